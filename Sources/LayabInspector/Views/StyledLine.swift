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

extension StyledLine {
    /// The columns the line takes.
    var columns: Int { spans.reduce(0) { $0 + CharacterWidth.columns(of: $1.text) } }

    /// The line cut into rows of at most `width` columns at spaces where it can be (else anywhere), roles
    /// kept; rows after the first start with `indent` spaces. A line that fits is returned as it is.
    func wrappedAtSpaces(width: Int, indent: Int = 0) -> [StyledLine] {
        guard width > indent + 1, columns > width else { return [self] }
        let cells = spans.flatMap { span in span.text.map { (character: $0, role: span.role, columns: CharacterWidth.columns(of: String($0))) } }
        var rows: [StyledLine] = []
        var start = 0
        var first = true
        while start < cells.count {
            let room = first ? width : width - indent
            var end = start, used = 0
            while end < cells.count, used + cells[end].columns <= room {
                used += cells[end].columns
                end += 1
            }
            var next = end
            if end < cells.count {
                // Break after the last space of the row, when there is one past its first few columns.
                if let space = cells[start..<end].lastIndex(where: { $0.character == " " }), space > start + room / 4 {
                    end = space
                    next = space + 1
                } else if cells[end].character == " " {
                    next = end + 1
                }
            }
            var row = first ? StyledLine() : StyledLine(String(repeating: " ", count: indent))
            for cell in cells[start..<end] {
                if let last = row.spans.last, last.role == cell.role {
                    row.spans[row.spans.count - 1].text.append(cell.character)
                } else {
                    row.append(String(cell.character), cell.role)
                }
            }
            rows.append(row)
            start = max(next, start + 1)
            first = false
        }
        return rows
    }
}
