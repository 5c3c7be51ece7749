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
