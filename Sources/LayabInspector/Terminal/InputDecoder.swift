/// Turns the bytes, characters and key codes a terminal delivers into ``KeyPress`` values, recognising bracketed
/// paste (`ESC [200~ … ESC [201~`), which may arrive across several reads, and cursor and function keys
/// sent as raw escape sequences (CSI `ESC [ … final` and SS3 `ESC O final`). Strings a terminal sends
/// unasked (OSC, DCS, APC, PM: `ESC ] … BEL` or `… ESC \\`) are dropped whole.
///
/// Bytes are assembled into UTF-8 here: a byte that cannot continue or start a character becomes U+FFFD
/// and the byte after it is read afresh, so an ESC never disappears into a broken character (a paste
/// ending in half a character still ends).
package struct InputDecoder: Sendable {
    package enum Code: Equatable, Sendable {
        /// One byte of input, assembled into characters as UTF-8.
        case byte(UInt8)
        case character(UInt32)
        /// An ncurses key code (KEY_UP, KEY_RESIZE, …), already mapped to a KeyPress by the backend.
        case key(KeyPress)
    }

    private var pending: [UInt32] = []
    /// The bytes of a UTF-8 character begun but not finished.
    private var partial: [UInt8] = []
    private var paste: [Unicode.Scalar]?
    /// How many characters of the paste end marker the paste has just shown (they are held back).
    private var pasteEndMatched = 0
    /// Inside a terminal string (OSC, DCS, APC, PM), which runs to BEL or ST and means nothing here;
    /// `true` once its ESC of a possible ST has been seen.
    private var terminalString: Bool?
    private var terminalStringLength = 0
    /// A paste larger than this is cut (the token limit is far below it).
    static let pasteLimit = 1 << 20
    /// A terminal string longer than this is ended (its end was lost).
    static let terminalStringLimit = 4096
    /// An escape sequence longer than this is not one: what was collected is given as typed.
    static let sequenceLimit = 32

    package init() {}

    private static let pasteStart: [UInt32] = [27, 91, 50, 48, 48, 126]  // ESC [ 2 0 0 ~
    private static let pasteEnd: [UInt32] = [27, 91, 50, 48, 49, 126]  // ESC [ 2 0 1 ~

    package var isInPaste: Bool { paste != nil }

    /// Decodes the codes of one read from the terminal. A sequence the read cut short waits for the next
    /// read, unless it is a lone ESC (ncurses has already waited ESCDELAY after it: that is the Escape key)
    /// or the read brought nothing (the sequence will not be finished).
    ///
    /// Printable characters that arrive together, more of them than a person types between two reads, are
    /// a paste from a terminal without bracketed paste (or `tmux send-keys`, a screen reader): they become
    /// one ``KeyPress/paste(_:)``, so that typed and pasted text give the same token and none of it is
    /// taken as a key binding (`e`, the edit key, is the first letter of every JWT).
    package mutating func decode(afterRead codes: [Code]) -> [KeyPress] {
        Self.joiningBursts(decode(codes, final: codes.isEmpty || codes.last == .byte(27) || codes.last == .character(27)))
    }

    /// The fewest printable characters in one read taken as a paste rather than typing.
    static let burstMinimum = 16

    /// `keys` (of one read) with each burst of typing made one paste: a stretch of characters, tabs and line
    /// breaks that starts and ends with a character and holds at least ``burstMinimum`` characters. Line
    /// breaks after the last character stay Enter: text typed and sent with Enter in one go is applied.
    static func joiningBursts(_ keys: [KeyPress]) -> [KeyPress] {
        guard keys.count >= burstMinimum else { return keys }
        var result: [KeyPress] = []
        var index = 0
        while index < keys.count {
            guard case .character = keys[index] else {
                result.append(keys[index])
                index += 1
                continue
            }
            // From a character to the last character before anything that is not typing.
            var end = index, scan = index, printable = 0
            scanning: while scan < keys.count {
                switch keys[scan] {
                case .character:
                    printable += 1
                    end = scan
                case .tab, .enter: break
                default: break scanning
                }
                scan += 1
            }
            let stretch = keys[index...end]
            if printable >= burstMinimum {
                result.append(.paste(String(stretch.map { key -> Character in
                    switch key {
                    case let .character(character): character
                    case .tab: "\t"
                    default: "\n"
                    }
                })))
            } else {
                result.append(contentsOf: stretch)
            }
            index = end + 1
        }
        return result
    }

    /// Decodes `codes`; an escape sequence cut at the end is kept for the next call unless `final`.
    package mutating func decode(_ codes: [Code], final: Bool = true) -> [KeyPress] {
        var keys: [KeyPress] = []
        for code in codes {
            switch code {
            case let .key(key):
                finishPartialCharacter(into: &keys)
                if paste == nil { flushPending(into: &keys) }
                keys.append(key)
            case let .byte(byte):
                assemble(byte, into: &keys)
            case let .character(value):
                finishPartialCharacter(into: &keys)
                character(value, into: &keys)
            }
        }
        if final, paste == nil, terminalString == nil { flushPending(into: &keys) }
        return keys
    }

    /// Adds a byte to the character being assembled.
    private mutating func assemble(_ byte: UInt8, into keys: inout [KeyPress]) {
        if partial.isEmpty {
            switch byte {
            case 0..<0x80: character(UInt32(byte), into: &keys)
            case 0xC2...0xF4: partial = [byte]
            default: character(0xFFFD, into: &keys)
            }
            return
        }
        guard (0x80...0xBF).contains(byte) else {
            // Not a continuation: the character begun is broken, and this byte starts afresh.
            finishPartialCharacter(into: &keys)
            assemble(byte, into: &keys)
            return
        }
        partial.append(byte)
        let length = partial[0] >= 0xF0 ? 4 : partial[0] >= 0xE0 ? 3 : 2
        guard partial.count == length else { return }
        // Overlong forms, surrogates and values past U+10FFFF fail validation.
        let value = String(validating: partial, as: UTF8.self)?.unicodeScalars.first?.value ?? 0xFFFD
        partial.removeAll()
        character(value, into: &keys)
    }

    /// A character left unfinished becomes U+FFFD.
    private mutating func finishPartialCharacter(into keys: inout [KeyPress]) {
        guard !partial.isEmpty else { return }
        partial.removeAll()
        character(0xFFFD, into: &keys)
    }

    private mutating func character(_ value: UInt32, into keys: inout [KeyPress]) {
        if paste != nil {
            pasteCharacter(value, into: &keys)
            return
        }
        if let sawEscape = terminalString {
            terminalStringLength += 1
            // BEL or ST (ESC \) ends it; a lost end is given up on after a bound.
            if value == 7 || (sawEscape && value == 92) || terminalStringLength > Self.terminalStringLimit {
                terminalString = nil
            } else {
                terminalString = value == 27
            }
            return
        }
        pending.append(value)
        process(into: &keys)
    }

    /// One character of a paste: the end marker is matched as it streams by, so that each character costs
    /// the same whatever the size of the paste.
    private mutating func pasteCharacter(_ value: UInt32, into keys: inout [KeyPress]) {
        if value == Self.pasteEnd[pasteEndMatched] {
            pasteEndMatched += 1
            if pasteEndMatched == Self.pasteEnd.count {
                keys.append(.paste(String(String.UnicodeScalarView(paste ?? []))))
                paste = nil
                pasteEndMatched = 0
            }
            return
        }
        // What looked like the start of the marker was content; ESC appears only first in the marker.
        for held in Self.pasteEnd[0..<pasteEndMatched] { appendPaste(held) }
        pasteEndMatched = 0
        if value == Self.pasteEnd[0] {
            pasteEndMatched = 1
        } else {
            appendPaste(value)
        }
    }

    private mutating func appendPaste(_ value: UInt32) {
        guard paste != nil, let scalar = Unicode.Scalar(value), (paste?.count ?? 0) < Self.pasteLimit else { return }
        paste?.append(scalar)
    }

    private mutating func process(into keys: inout [KeyPress]) {
        guard pending.first == 27 else {
            flushPending(into: &keys)
            return
        }
        if pending == Self.pasteStart {
            paste = []
            paste?.reserveCapacity(4096)
            pending.removeAll()
            return
        }
        // ESC ] (OSC), ESC P (DCS), ESC _ (APC), ESC ^ (PM): a string to its terminator.
        if pending.count == 2, [93, 80, 95, 94].contains(pending[1]) {
            pending.removeAll()
            terminalString = false
            terminalStringLength = 0
            return
        }
        switch Self.sequence(pending) {
        case .incomplete:
            return
        case let .complete(key):
            if let key { keys.append(key) }
            pending.removeAll()
        case .none:
            flushPending(into: &keys)
        }
    }

    /// Gives what is pending as typed: ESC as Escape, everything else as its key.
    private mutating func flushPending(into keys: inout [KeyPress]) {
        for value in pending { keys.append(value == 27 ? .escape : Self.key(for: value)) }
        pending.removeAll()
    }

    enum Sequence: Equatable {
        case incomplete
        /// A whole sequence and its key; nil for sequences that mean nothing here, which are dropped.
        case complete(KeyPress?)
        /// ESC followed by something that starts no sequence.
        case none
    }

    /// What `codes` (starting with ESC) are: a CSI or SS3 sequence, whole or not yet, or no sequence.
    static func sequence(_ codes: [UInt32]) -> Sequence {
        guard codes.count >= 2 else { return .incomplete }
        if codes.count > sequenceLimit { return .none }
        switch codes[1] {
        case 8, 127:  // Alt-Backspace: ESC DEL (or ESC BS)
            return .complete(.altBackspace)
        case 79:  // SS3: ESC O final
            guard codes.count >= 3 else { return .incomplete }
            return codes.count == 3 ? .complete(ss3Key(codes[2])) : .none
        case 91:  // CSI: ESC [ parameters intermediates final
            let body = codes.dropFirst(2)
            guard let last = body.last else { return .incomplete }
            if (0x20...0x3F).contains(last) { return .incomplete }
            guard (0x40...0x7E).contains(last), body.dropLast().allSatisfy({ (0x20...0x3F).contains($0) }) else { return .none }
            let parameters = String(decoding: body.dropLast().map { UInt8($0) }, as: UTF8.self)
            return .complete(csiKey(parameters: parameters, final: last))
        default:
            return .none
        }
    }

    static func ss3Key(_ final: UInt32) -> KeyPress? {
        switch final {
        case 65: .up
        case 66: .down
        case 67: .right
        case 68: .left
        case 72: .home
        case 70: .end
        case 80...83: .function(Int(final) - 79)  // P Q R S: F1 to F4
        default: nil
        }
    }

    /// Cursor keys (any modifiers), Home/End/PageUp/PageDown/Delete and F1–F12 in their `~` forms.
    static func csiKey(parameters: String, final: UInt32) -> KeyPress? {
        switch final {
        case 65: return .up
        case 66: return .down
        case 67: return .right
        case 68: return .left
        case 72: return .home
        case 70: return .end
        case 90: return .backTab
        case 126:  // ~
            guard let number = parameters.split(separator: ";").first.flatMap({ Int($0) }) else { return nil }
            switch number {
            case 1, 7: return .home
            case 3: return .delete
            case 4, 8: return .end
            case 5: return .pageUp
            case 6: return .pageDown
            case 11...15: return .function(number - 10)
            case 17...21: return .function(number - 11)
            case 23, 24: return .function(number - 12)
            default: return nil
            }
        default:
            return nil
        }
    }

    static func key(for value: UInt32) -> KeyPress {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 31: return .control("_")  // Ctrl-_ (also Ctrl-/ in many terminals): undo in a prompt
        case 1...26: return .control(Character(Unicode.Scalar(value + 96) ?? "?"))
        default:
            guard let scalar = Unicode.Scalar(value), value >= 32 else { return .control("?") }
            return .character(Character(scalar))
        }
    }
}
