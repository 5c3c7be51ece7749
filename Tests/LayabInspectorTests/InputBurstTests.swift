import LayabInspector
import Testing

/// Text typed faster than a person types (a terminal without bracketed paste, `tmux send-keys`, a screen
/// reader) arrives in one read and is a paste, not key bindings.
@Suite("Typed bursts")
struct InputBurstTests {
    static func read(_ text: String) -> [InputDecoder.Code] { text.utf8.map { .byte($0) } }

    static let token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl"

    @Test("a token typed in one read is one paste, its first e not taken as the edit key")
    func tokenTyped() {
        var decoder = InputDecoder()
        #expect(decoder.decode(afterRead: Self.read(Self.token)) == [.paste(Self.token)])
    }

    @Test("a few keys in one read stay keys")
    func fewKeys() {
        var decoder = InputDecoder()
        #expect(decoder.decode(afterRead: Self.read("nnp")) == [.character("n"), .character("n"), .character("p")])
        #expect(decoder.decode(afterRead: Self.read("e")) == [.character("e")])
    }

    @Test("line breaks inside a burst are part of it; Enter after it and keys around it stay keys")
    func around() {
        var decoder = InputDecoder()
        let wrapped = String(Self.token.prefix(30)) + "\r" + String(Self.token.dropFirst(30))
        #expect(decoder.decode(afterRead: Self.read(wrapped + "\r")) == [.paste(String(Self.token.prefix(30)) + "\n" + String(Self.token.dropFirst(30))), .enter])
        #expect(decoder.decode(afterRead: Self.read("\u{1B}[A" + Self.token + "\u{1B}[B")) == [.up, .paste(Self.token), .down])
    }

    @Test("Alt-Backspace and Ctrl-_ are keys of their own")
    func editingKeys() {
        var decoder = InputDecoder()
        #expect(decoder.decode(afterRead: Self.read("\u{1B}\u{7F}")) == [.altBackspace])
        #expect(decoder.decode(afterRead: Self.read("\u{1F}")) == [.control("_")])
        #expect(decoder.decode(afterRead: Self.read("\u{1A}")) == [.control("z")])
    }
}
