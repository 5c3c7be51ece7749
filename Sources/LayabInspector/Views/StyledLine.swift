/// A line of text in runs of roles: the unit panels produce and screens draw.
package struct StyledLine: Sendable, Equatable {
    package var spans: [Span]

    package struct Span: Sendable, Equatable {
        package var text: String
        package var role: Role
    }

    package init(_ spans: [Span] = []) { self.spans = spans }
    package init(_ text: String, _ role: Role = .text) { spans = [Span(text: text, role: role)] }

    package static let empty = StyledLine()

    package var text: String { spans.map(\.text).joined() }

    package mutating func append(_ text: String, _ role: Role = .text) { spans.append(Span(text: text, role: role)) }

    package func appending(_ text: String, _ role: Role = .text) -> StyledLine {
        var copy = self
        copy.append(text, role)
        return copy
    }

    /// The line cut into rows of at most `width` columns, roles kept; rows after the first start with
    /// `indent` spaces. For text without spaces to break at (JSON strings, keys, base64).
    func wrapped(width: Int, indent: Int = 0) -> [StyledLine] {
        guard width > indent + 1 else { return [self] }
        var rows: [StyledLine] = []
        var row = StyledLine(), column = 0
        for span in spans {
            var text = ""
            for character in span.text {
                let columns = CharacterWidth.columns(of: String(character))
                if column + columns > width {
                    if !text.isEmpty { row.append(text, span.role) }
                    rows.append(row)
                    row = StyledLine(String(repeating: " ", count: indent))
                    column = indent
                    text = ""
                }
                text.append(character)
                column += columns
            }
            if !text.isEmpty { row.append(text, span.role) }
        }
        rows.append(row)
        return rows
    }
}

extension Screen {
    /// Draws `lines` into a rectangle, starting at line `scroll`, clipping each line at the width; a line
    /// cut short ends in "…", so that a clipped value is never taken for a whole one.
    package mutating func draw(_ lines: [StyledLine], x: Int, y: Int, width w: Int, height h: Int, scroll: Int = 0) {
        guard w > 0, h > 0 else { return }
        let first = min(max(0, scroll), max(0, lines.count - 1))
        for (row, line) in lines.dropFirst(first).prefix(h).enumerated() {
            var column = x
            var clipped = false
            for span in line.spans {
                let remaining = x + w - column
                let drawn = remaining > 0 ? put(span.text, x: column, y: y + row, role: span.role, maxWidth: remaining) : 0
                column += drawn
                // Anything but trailing spaces left out?
                if !clipped, CharacterWidth.columns(of: span.text.trimmingTrailingSpaces) > drawn { clipped = true }
            }
            if clipped { _ = put("…", x: x + w - 1, y: y + row, role: .muted) }
        }
    }
}

extension String {
    /// The string without the spaces at its end.
    var trimmingTrailingSpaces: Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " { end = index(before: end) }
        return self[..<end]
    }
}

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

extension String {
    /// The string cut or padded with spaces to `width` characters (what `padding(toLength:withPad:startingAt:)`
    /// does, without the round trip through NSString on every frame).
    func padded(to width: Int) -> String {
        let count = self.count
        if count == width { return self }
        if count > width { return String(prefix(max(0, width))) }
        return self + String(repeating: " ", count: width - count)
    }
}
