/// The tokens shown since the inspector started, oldest first: pasted, typed, given at start, made locally.
package struct TokenHistory: Sendable {
    package struct Entry: Sendable, Equatable {
        /// The token as pasted or typed (the inspector extracts the token from it again when stepped back to).
        package let text: String
        /// How it came: "pasted", "entered", "given at start", "made locally".
        package let origin: String
    }

    package private(set) var entries: [Entry] = []
    /// The entry shown; nil before the first.
    package private(set) var position: Int?
    /// The earlier entry the comparison view compares the one shown with; nil: the one before it.
    package var comparedIndex: Int?

    package init() {}

    /// Adds `text` as the newest entry and shows it; a token seen before is shown where it already is.
    package mutating func record(_ text: String, origin: String) {
        guard !text.isEmpty else { return }
        if let index = entries.firstIndex(where: { $0.text == text }) {
            position = index
        } else {
            entries.append(Entry(text: text, origin: origin))
            position = entries.count - 1
        }
        comparedIndex = nil
    }

    /// The entry `delta` steps from the one shown, which becomes the one shown; nil at either end.
    package mutating func step(_ delta: Int) -> Entry? {
        guard let position, entries.indices.contains(position + delta) else { return nil }
        self.position = position + delta
        comparedIndex = nil
        return entries[position + delta]
    }

    /// The entry compared with the one shown: the chosen one, else the one before it (or after it, for the first).
    package var compared: Int? {
        if let comparedIndex, entries.indices.contains(comparedIndex), comparedIndex != position { return comparedIndex }
        guard let position, entries.count > 1 else { return nil }
        return position > 0 ? position - 1 : position + 1
    }

    /// Chooses the entry `delta` steps from the compared one, skipping the one shown.
    package mutating func moveCompared(_ delta: Int) {
        guard var index = compared else { return }
        repeat { index += delta } while index == position
        if entries.indices.contains(index) { comparedIndex = index }
    }
}
