import LayabInspector
import Testing

/// Bytes as a terminal sends them, turned into keys.
@Suite("Input decoder")
struct InputDecoderTests {
    static func codes(_ text: String) -> [InputDecoder.Code] {
        text.unicodeScalars.map { .character($0.value) }
    }

    static let pasteStart = "\u{1B}[200~"
    static let pasteEnd = "\u{1B}[201~"

    @Test("characters, Enter, Tab, Backspace and Ctrl keys")
    func plain() {
        var decoder = InputDecoder()
        #expect(decoder.decode(Self.codes("aZ?é")) == [.character("a"), .character("Z"), .character("?"), .character("é")])
        #expect(decoder.decode(Self.codes("\r\n\t\u{7F}\u{08}")) == [.enter, .enter, .tab, .backspace, .backspace])
        #expect(decoder.decode(Self.codes("\u{03}\u{15}")) == [.control("c"), .control("u")])
    }

    @Test("Escape alone is Escape, also between other keys")
    func escapeAlone() {
        var decoder = InputDecoder()
        #expect(decoder.decode(Self.codes("\u{1B}")) == [.escape])
        #expect(decoder.decode(Self.codes("a\u{1B}")) == [.character("a"), .escape])
        // Escape then a letter (Alt-x in most terminals) is Escape and the letter.
        #expect(decoder.decode(Self.codes("\u{1B}x")) == [.escape, .character("x")])
        #expect(decoder.decode(Self.codes("\u{1B}\u{1B}")) == [.escape, .escape])
    }

    struct Sequence: Sendable, CustomTestStringConvertible {
        let bytes: String
        let keys: [KeyPress]
        var testDescription: String { bytes.replacingOccurrences(of: "\u{1B}", with: "ESC ") }
    }

    static let sequences = [
        Sequence(bytes: "\u{1B}[A", keys: [.up]),
        Sequence(bytes: "\u{1B}[B", keys: [.down]),
        Sequence(bytes: "\u{1B}[C", keys: [.right]),
        Sequence(bytes: "\u{1B}[D", keys: [.left]),
        Sequence(bytes: "\u{1B}[H", keys: [.home]),
        Sequence(bytes: "\u{1B}[F", keys: [.end]),
        Sequence(bytes: "\u{1B}[Z", keys: [.backTab]),
        // Application cursor mode (SS3), as many terminals send arrows.
        Sequence(bytes: "\u{1B}OA", keys: [.up]),
        Sequence(bytes: "\u{1B}OB", keys: [.down]),
        Sequence(bytes: "\u{1B}OH", keys: [.home]),
        Sequence(bytes: "\u{1B}OP", keys: [.function(1)]),
        // With parameters: modifiers and the ~ keys.
        Sequence(bytes: "\u{1B}[1;5A", keys: [.up]),
        Sequence(bytes: "\u{1B}[5~", keys: [.pageUp]),
        Sequence(bytes: "\u{1B}[6~", keys: [.pageDown]),
        Sequence(bytes: "\u{1B}[3~", keys: [.delete]),
        Sequence(bytes: "\u{1B}[1~", keys: [.home]),
        Sequence(bytes: "\u{1B}[4~", keys: [.end]),
        Sequence(bytes: "\u{1B}[11~", keys: [.function(1)]),
        // Sequences that mean nothing here are dropped, not typed as characters (which could be bindings).
        Sequence(bytes: "\u{1B}[2~", keys: []),
        Sequence(bytes: "\u{1B}[99;3q", keys: []),
        Sequence(bytes: "\u{1B}[Aq", keys: [.up, .character("q")]),
        Sequence(bytes: "n\u{1B}OBp", keys: [.character("n"), .down, .character("p")]),
    ]

    @Test("cursor and function key sequences sent raw", arguments: sequences)
    func sequence(_ sequence: Sequence) {
        var decoder = InputDecoder()
        #expect(decoder.decode(Self.codes(sequence.bytes)) == sequence.keys)
    }

    @Test("ncurses key codes pass through, between characters")
    func keyCodes() {
        var decoder = InputDecoder()
        #expect(decoder.decode([.character(97), .key(.resize), .key(.pageDown), .character(98)]) == [.character("a"), .resize, .pageDown, .character("b")])
    }

    @Test("a bracketed paste is one key with its text verbatim, between other keys")
    func paste() {
        var decoder = InputDecoder()
        let text = "Bearer abc.def\r\nghi\u{1B}[A tail"
        let keys = decoder.decode(Self.codes("n" + Self.pasteStart + text + Self.pasteEnd + "q"))
        #expect(keys == [.character("n"), .paste(text), .character("q")])
        #expect(!decoder.isInPaste)
        #expect(decoder.decode(Self.codes(Self.pasteStart + Self.pasteEnd)) == [.paste("")])
    }

    /// 16 KiB of token with line breaks, as `tmux paste-buffer` or a terminal would deliver it.
    static let largePaste: String = {
        var text = "Authorization: Bearer "
        var counter = 0
        while text.utf8.count < 16 * 1024 {
            text += String(repeating: "eyJhbGciOi", count: 7) + "\(counter % 10)\r"
            counter += 1
        }
        return text
    }()

    @Test("a 16 KiB paste split across reads of every size arrives whole", arguments: [1, 2, 3, 5, 6, 7, 64, 65, 1000, 4096])
    func splitPaste(chunk: Int) {
        var decoder = InputDecoder()
        let codes = Self.codes("a" + Self.pasteStart + Self.largePaste + Self.pasteEnd + "b")
        var keys: [KeyPress] = []
        var start = 0
        while start < codes.count {
            let end = min(codes.count, start + chunk)
            keys += decoder.decode(Array(codes[start..<end]), final: end == codes.count)
            start = end
        }
        #expect(keys.count == 3)
        #expect(keys.first == .character("a"))
        #expect(keys.dropFirst().first == .paste(Self.largePaste))
        #expect(keys.last == .character("b"))
    }

    // Not cut right after an ESC (at 1 or 4): a read ending there is Escape, since ncurses has already waited
    // ESCDELAY for what follows, and a terminal pausing there cannot be told from a key press.
    @Test("reads cut anywhere in a paste or an arrow, as the terminal loop reads them", arguments: [2, 3] + Array(5..<14))
    func readsCutAnywhere(cut: Int) {
        // The loop decodes each read; a read that brought nothing ends any sequence still open.
        let bytes = Self.codes("\u{1B}[A" + Self.pasteStart + "tok.en" + Self.pasteEnd)
        var decoder = InputDecoder()
        var keys = decoder.decode(afterRead: Array(bytes[..<cut]))
        keys += decoder.decode(afterRead: Array(bytes[cut...]))
        keys += decoder.decode(afterRead: [])
        #expect(keys == [.up, .paste("tok.en")])
    }

    @Test("an Escape that ends a read is Escape at once; an unfinished sequence waits for the next read")
    func escapeAtTheEndOfARead() {
        var decoder = InputDecoder()
        #expect(decoder.decode(afterRead: Self.codes("e\u{1B}")) == [.character("e"), .escape])
        #expect(decoder.decode(afterRead: Self.codes("\u{1B}[2")) == [])
        #expect(decoder.decode(afterRead: Self.codes("00~x")) == [])
        #expect(decoder.isInPaste)
        #expect(decoder.decode(afterRead: Self.codes(Self.pasteEnd)) == [.paste("x")])
        // Nothing more came: what was open is given as typed.
        #expect(decoder.decode(afterRead: Self.codes("\u{1B}[")) == [])
        #expect(decoder.decode(afterRead: []) == [.escape, .character("[")])
    }
}

/// Bytes as the terminal loop reads them (ncurses hands over single bytes), assembled into characters here.
@Suite("Input bytes")
struct InputByteTests {
    static func bytes(_ text: String) -> [InputDecoder.Code] { text.utf8.map { .byte($0) } }
    static func bytes(_ values: [UInt8]) -> [InputDecoder.Code] { values.map { .byte($0) } }

    @Test("UTF-8 is assembled into characters, also across reads")
    func assembled() {
        var decoder = InputDecoder()
        #expect(decoder.decode(afterRead: Self.bytes("aé€😀")) == [.character("a"), .character("é"), .character("€"), .character("😀")])
        #expect(decoder.decode(afterRead: Self.bytes([0xE2, 0x82])) == [])
        #expect(decoder.decode(afterRead: Self.bytes([0xAC, 0x62])) == [.character("€"), .character("b")])
    }

    @Test("bytes that are not UTF-8 become U+FFFD, and the byte after a broken character is read afresh", arguments: [
        ([0xFF, 0x61] as [UInt8], "\u{FFFD}a"),
        ([0x80], "\u{FFFD}"),
        ([0xC0, 0x80], "\u{FFFD}\u{FFFD}"),  // an overlong NUL: C0 starts nothing
        ([0xE0, 0x80, 0x80], "\u{FFFD}"),  // overlong, refused when complete
        ([0xED, 0xA0, 0x80], "\u{FFFD}"),  // a surrogate
        ([0xE2, 0x61], "\u{FFFD}a"),
        ([0xF0, 0x9F, 0x71], "\u{FFFD}q"),
    ])
    func invalid(bytes: [UInt8], text: String) {
        var decoder = InputDecoder()
        #expect(decoder.decode(Self.bytes(bytes)) == text.map { .character($0) })
    }

    @Test("a paste ending in half a character still ends, and the keys after it are keys again")
    func brokenPasteEnd() {
        var decoder = InputDecoder()
        let keys = decoder.decode(afterRead: Self.bytes("\u{1B}[200~abc") + Self.bytes([0xE2]) + Self.bytes("\u{1B}[201~q"))
        #expect(keys == [.paste("abc\u{FFFD}"), .character("q")])
        #expect(!decoder.isInPaste)
    }

    @Test("strings a terminal sends unasked (OSC, DCS) are dropped whole, ended by BEL or ST")
    func terminalStrings() {
        var decoder = InputDecoder()
        #expect(decoder.decode(afterRead: Self.bytes("\u{1B}]0;title\u{07}q")) == [.character("q")])
        #expect(decoder.decode(afterRead: Self.bytes("\u{1B}]11;rgb:0000/0000/0000\u{1B}\\n")) == [.character("n")])
        #expect(decoder.decode(afterRead: Self.bytes("\u{1B}P1$r0m\u{1B}\\")) == [])
        // Split across reads, the string is still dropped.
        #expect(decoder.decode(afterRead: Self.bytes("\u{1B}]0;ti")) == [])
        #expect(decoder.decode(afterRead: []) == [])
        #expect(decoder.decode(afterRead: Self.bytes("tle\u{07}x")) == [.character("x")])
        // One that never ends is given up on after its bound; what follows is read as input again: keys, or
        // (as here, hundreds of characters in one read) a burst of typing, which is a paste.
        let endless = Self.bytes("\u{1B}]") + Array(repeating: InputDecoder.Code.byte(0x61), count: 5000) + Self.bytes("q")
        guard case let .paste(rest)? = decoder.decode(afterRead: endless).last else {
            Issue.record("the characters after the string were lost")
            return
        }
        #expect(rest.hasSuffix("aaaq") && rest.allSatisfy { $0 == "a" || $0 == "q" } && rest.count < 1000, "\(rest.count)")
        #expect(decoder.decode(afterRead: Self.bytes("\u{1B}]") + Array(repeating: InputDecoder.Code.byte(0x61), count: 4100) + Self.bytes("q")).last == .character("q"))
    }

    @Test("a paste over 1 MiB is cut at 1 MiB, in one pass")
    func largePaste() {
        var decoder = InputDecoder()
        let body = [InputDecoder.Code](repeating: .byte(0x61), count: (1 << 20) + 1000)
        let keys = decoder.decode(afterRead: Self.bytes("\u{1B}[200~") + body + Self.bytes("\u{1B}[201~"))
        guard case let .paste(text) = keys.first else {
            Issue.record("no paste: \(keys.prefix(3))")
            return
        }
        #expect(keys.count == 1)
        #expect(text.utf8.count == 1 << 20)
    }
}
