/// Word wrapping for plain text in panels.
enum Wrap {
    /// Splits `text` into lines of at most `width` columns, at spaces where possible.
    static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = String(word)
            while word.count > width {
                if !current.isEmpty {
                    lines.append(current)
                    current = ""
                }
                let cut = breakPoint(word, width: width)
                lines.append(String(word.prefix(cut)))
                word = String(word.dropFirst(cut))
            }
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// Where to cut a word longer than `width`: after the last URL or identifier separator in its second
    /// half when there is one, so that `https://host.example/path` breaks at a dot or a slash; never leaving
    /// a tail of one or two characters (a lone closing quote) when the cut can move back.
    static func breakPoint(_ word: String, width: Int) -> Int {
        let characters = Array(word.prefix(width))
        if let separator = characters.lastIndex(where: { "/.-_,:;&?=".contains($0) }), separator + 1 >= width / 2, separator + 1 < width {
            return separator + 1
        }
        let tail = word.count - width
        if tail > 0, tail < 3, width > 6 { return width - (3 - tail) }
        return width
    }
}
