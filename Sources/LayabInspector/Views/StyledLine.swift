/// A line of text in runs of roles: the unit panels produce and screens draw.
public struct StyledLine: Sendable, Equatable {
    public var spans: [Span]

    public struct Span: Sendable, Equatable {
        public var text: String
        public var role: Role
    }

    public init(_ spans: [Span] = []) { self.spans = spans }
    public init(_ text: String, _ role: Role = .text) { spans = [Span(text: text, role: role)] }

    public static let empty = StyledLine()

    public var text: String { spans.map(\.text).joined() }

    public mutating func append(_ text: String, _ role: Role = .text) { spans.append(Span(text: text, role: role)) }

    public func appending(_ text: String, _ role: Role = .text) -> StyledLine {
        var copy = self
        copy.append(text, role)
        return copy
    }
}

extension Screen {
    /// Draws `lines` into a rectangle, starting at line `scroll`, clipping each line at the width.
    public mutating func draw(_ lines: [StyledLine], x: Int, y: Int, width w: Int, height h: Int, scroll: Int = 0) {
        guard w > 0, h > 0 else { return }
        let first = min(max(0, scroll), max(0, lines.count - 1))
        for (row, line) in lines.dropFirst(first).prefix(h).enumerated() {
            var column = x
            for span in line.spans {
                let remaining = x + w - column
                if remaining <= 0 { break }
                column += put(span.text, x: column, y: y + row, role: span.role, maxWidth: remaining)
            }
        }
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
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
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
