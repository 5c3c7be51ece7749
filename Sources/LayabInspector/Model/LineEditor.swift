/// One line of text being edited at a prompt, as a terminal user expects of it: a cursor that moves
/// (←/→, Home/End, Ctrl-A/E, Ctrl-B/F), word and line deletion (Ctrl-W, Alt-Backspace, Ctrl-U/K), undo
/// (Ctrl-Z, Ctrl-_), earlier values (↑/↓) and everything selected on entry, so that typing replaces the
/// value shown and a movement key keeps it.
///
/// A value: the model holds one per prompt and the view reads ``text``, ``cursor`` and ``isAllSelected``.
package struct LineEditor: Sendable, Equatable {
    /// The text as characters, so that the cursor moves over what the terminal shows as one.
    package private(set) var characters: [Character]
    /// Where typing goes: an offset into ``characters`` (0 is before the first).
    package private(set) var cursor: Int
    /// Everything selected: the next typed character or paste replaces the text, Backspace empties it.
    package private(set) var isAllSelected: Bool

    private struct Snapshot: Sendable, Equatable {
        var characters: [Character]
        var cursor: Int
        var isAllSelected: Bool
    }

    private var undoStack: [Snapshot] = []
    /// Typed characters in a row undo as one step.
    private var isTypingRun = false
    /// Earlier values, oldest first, and where ↑/↓ are in them (nil: at the text being edited).
    private let history: [String]
    private var historyIndex: Int?
    /// The text being edited when ↑ first left it, given back by ↓ past the newest value.
    private var draft: Snapshot?

    /// The most undo steps kept.
    static let undoLimit = 200

    /// - Parameters:
    ///   - text: the value shown at first, cursor at its end.
    ///   - history: earlier values, oldest first.
    ///   - selectingAll: select everything (typing replaces it), as a prompt does on entry.
    package init(_ text: String = "", history: [String] = [], selectingAll: Bool = false) {
        characters = Array(text)
        cursor = characters.count
        isAllSelected = selectingAll && !text.isEmpty
        self.history = history
    }

    package var text: String { String(characters) }

    /// The text before and after the cursor, for drawing it.
    package var beforeCursor: String { String(characters[..<cursor]) }
    package var afterCursor: String { String(characters[cursor...]) }

    /// Inserts `text` at the cursor, replacing the text when everything is selected.
    package mutating func insert(_ text: String) {
        guard !text.isEmpty else { return }
        remember()
        replaceSelection()
        let inserted = Array(text)
        characters.insert(contentsOf: inserted, at: cursor)
        cursor += inserted.count
    }

    /// Applies an editing or movement key.
    /// - Returns: false for a key the editor has no use for (Enter, Esc, Tab…), which the prompt handles.
    package mutating func handle(_ key: KeyPress) -> Bool {
        let typing = if case .character = key { true } else { false }
        defer { isTypingRun = typing }
        switch key {
        case let .character(character):
            if !isTypingRun || isAllSelected { remember() }
            replaceSelection()
            characters.insert(character, at: cursor)
            cursor += 1
        case .left, .control("b"):
            move(to: isAllSelected ? 0 : cursor - 1)
        case .right, .control("f"):
            move(to: isAllSelected ? characters.count : cursor + 1)
        case .home, .control("a"):
            move(to: 0)
        case .end, .control("e"):
            move(to: characters.count)
        case .backspace:
            if isAllSelected { delete(0..<characters.count) } else if cursor > 0 { delete(cursor - 1..<cursor) }
        case .delete, .control("d"):
            if isAllSelected { delete(0..<characters.count) } else if cursor < characters.count { delete(cursor..<cursor + 1) }
        case .control("w"):
            // As a shell does: back over spaces, then over everything that is not one.
            delete(wordStart(isWord: { !$0.isWhitespace })..<cursor)
        case .altBackspace:
            // Back over a word of letters and digits, stopping at punctuation (a URL's `/`, a token's `.`).
            delete(wordStart(isWord: { $0.isLetter || $0.isNumber })..<cursor)
        case .control("u"):
            delete(0..<(isAllSelected ? characters.count : cursor))
        case .control("k"):
            delete((isAllSelected ? 0 : cursor)..<characters.count)
        case .control("z"), .control("_"):
            undo()
        case .up:
            recall(older: true)
        case .down:
            recall(older: false)
        default:
            return false
        }
        return true
    }

    /// Puts back the text as it was before the last change.
    package mutating func undo() {
        guard let last = undoStack.popLast() else { return }
        (characters, cursor, isAllSelected) = (last.characters, last.cursor, last.isAllSelected)
    }

    private mutating func move(to offset: Int) {
        isAllSelected = false
        cursor = max(0, min(offset, characters.count))
    }

    /// Deletes `range` (nothing when empty), as one undo step.
    private mutating func delete(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        remember()
        isAllSelected = false
        characters.removeSubrange(range)
        cursor = range.lowerBound
    }

    /// Where a word ends before the cursor: skips what is not a word, then the word.
    private func wordStart(isWord: (Character) -> Bool) -> Int {
        guard !isAllSelected else { return 0 }
        var start = cursor
        while start > 0, !isWord(characters[start - 1]) { start -= 1 }
        while start > 0, isWord(characters[start - 1]) { start -= 1 }
        return start
    }

    private mutating func replaceSelection() {
        guard isAllSelected else { return }
        characters.removeAll()
        cursor = 0
        isAllSelected = false
    }

    private mutating func remember() {
        undoStack.append(Snapshot(characters: characters, cursor: cursor, isAllSelected: isAllSelected))
        if undoStack.count > Self.undoLimit { undoStack.removeFirst() }
    }

    /// ↑ shows the value before the one shown, ↓ the one after; past the newest, the text being edited.
    private mutating func recall(older: Bool) {
        guard !history.isEmpty else { return }
        let current = historyIndex ?? history.count
        var next = older ? current - 1 : current + 1
        // A value the same as the one shown (a prompt prefilled with the value in use) is passed over.
        while next >= 0, next < history.count, history[next] == text { next += older ? -1 : 1 }
        guard next >= 0, next <= history.count else { return }
        if historyIndex == nil { draft = Snapshot(characters: characters, cursor: cursor, isAllSelected: false) }
        remember()
        if next == history.count {
            historyIndex = nil
            characters = draft?.characters ?? []
            cursor = draft?.cursor ?? characters.count
        } else {
            historyIndex = next
            characters = Array(history[next])
            cursor = characters.count
        }
        isAllSelected = false
    }
}
