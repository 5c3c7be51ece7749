import LayabInspector
import Testing

/// The line editor of every prompt: cursor, deletion, undo, selection on entry and history.
@Suite("Line editor")
struct LineEditorTests {
    /// An editor showing `text` after `keys`.
    static func edited(_ text: String, history: [String] = [], selectingAll: Bool = false, _ keys: [KeyPress]) -> LineEditor {
        var editor = LineEditor(text, history: history, selectingAll: selectingAll)
        for key in keys { _ = editor.handle(key) }
        return editor
    }

    static func typing(_ text: String) -> [KeyPress] { text.map { .character($0) } }

    @Test("typing replaces what is selected on entry; a movement key keeps it")
    func selectAllOnEntry() {
        #expect(Self.edited("old value", selectingAll: true, Self.typing("new")).text == "new")
        #expect(Self.edited("old value", selectingAll: true, [.backspace]).text == "")
        #expect(Self.edited("old value", selectingAll: true, [.end] + Self.typing("!")).text == "old value!")
        #expect(Self.edited("old value", selectingAll: true, [.right] + Self.typing("!")).text == "old value!")
        #expect(Self.edited("old value", selectingAll: true, [.left] + Self.typing("!")).text == "!old value")
        #expect(Self.edited("old value", selectingAll: true, [.home] + Self.typing("!")).text == "!old value")
        #expect(!Self.edited("old value", selectingAll: true, [.end]).isAllSelected)
    }

    @Test("the cursor moves with ←/→, Home/End and Ctrl-A/E/B/F, and typing goes where it is")
    func cursor() {
        #expect(Self.edited("held", [.left, .left] + Self.typing("XY")).text == "heXYld")
        #expect(Self.edited("held", [.home, .right] + Self.typing("_")).text == "h_eld")
        #expect(Self.edited("held", [.control("a")] + Self.typing(">")).text == ">held")
        #expect(Self.edited("held", [.control("a"), .control("e")] + Self.typing("<")).text == "held<")
        #expect(Self.edited("held", [.control("b"), .control("b"), .control("f")] + Self.typing("+")).text == "hel+d")
        // Not past either end.
        #expect(Self.edited("ab", [.left, .left, .left, .left]).cursor == 0)
        #expect(Self.edited("ab", [.right, .right]).cursor == 2)
        // Backspace and Delete at the cursor.
        #expect(Self.edited("abcd", [.left, .left, .backspace]).text == "acd")
        #expect(Self.edited("abcd", [.left, .left, .delete]).text == "abd")
    }

    @Test("Ctrl-W deletes back to a space, Alt-Backspace back to punctuation, Ctrl-U/K to either end")
    func deletion() {
        #expect(Self.edited("https://idp.example/realms/x", [.control("w")]).text == "")
        #expect(Self.edited("read write admin", [.control("w")]).text == "read write ")
        #expect(Self.edited("read write admin  ", [.control("w")]).text == "read write ")
        #expect(Self.edited("https://idp.example/realms/x", [.altBackspace]).text == "https://idp.example/realms/")
        #expect(Self.edited("https://idp.example/realms/", [.altBackspace]).text == "https://idp.example/")
        #expect(Self.edited("read write admin", [.left, .left, .left, .left, .left, .control("u")]).text == "admin")
        #expect(Self.edited("read write admin", [.left, .left, .left, .left, .left, .control("k")]).text == "read write ")
    }

    @Test("Ctrl-Z and Ctrl-_ undo step by step; a run of typing is one step")
    func undo() {
        let keys: [KeyPress] = Self.typing(" more") + [.control("w"), .home, .delete]
        var editor = Self.edited("text", keys)
        #expect(editor.text == "ext ")
        _ = editor.handle(.control("z"))
        #expect(editor.text == "text ")
        _ = editor.handle(.control("_"))
        #expect(editor.text == "text more")
        _ = editor.handle(.control("z"))
        #expect(editor.text == "text")
        _ = editor.handle(.control("z"))
        #expect(editor.text == "text")
        // Undoing the replacement of a selection gives the selection back.
        var replaced = Self.edited("old", selectingAll: true, Self.typing("new"))
        _ = replaced.handle(.control("z"))
        #expect(replaced.text == "old")
        #expect(replaced.isAllSelected)
    }

    @Test("↑/↓ go through earlier values and back to the text being edited")
    func history() {
        var editor = LineEditor("draft", history: ["first", "second"], selectingAll: true)
        _ = editor.handle(.up)
        #expect(editor.text == "second")
        #expect(!editor.isAllSelected)
        _ = editor.handle(.up)
        #expect(editor.text == "first")
        _ = editor.handle(.up)
        #expect(editor.text == "first")
        _ = editor.handle(.down)
        #expect(editor.text == "second")
        _ = editor.handle(.down)
        #expect(editor.text == "draft")
        _ = editor.handle(.down)
        #expect(editor.text == "draft")
    }

    @Test("keys a prompt handles itself are left to it")
    func notEditing() {
        var editor = LineEditor("x")
        for key: KeyPress in [.enter, .escape, .tab, .pageUp, .function(1)] {
            let handled = editor.handle(key)
            #expect(!handled, "\(key)")
        }
        #expect(editor.text == "x")
    }

    @Test("a paste is inserted at the cursor, or replaces what is selected")
    func insert() {
        var editor = Self.edited("ac", [.left])
        editor.insert("b")
        #expect(editor.text == "abc")
        #expect(editor.cursor == 2)
        var selected = LineEditor("old", selectingAll: true)
        selected.insert("new")
        #expect(selected.text == "new")
    }
}
