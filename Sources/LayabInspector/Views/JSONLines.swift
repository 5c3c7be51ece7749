import LayabAuth

/// Pretty JSON with a role per token kind, for syntax colours.
enum JSONLines {
    static func render(_ value: JSONValue, indent: Int = 2) -> [StyledLine] {
        var lines: [StyledLine] = []
        var current = StyledLine()
        write(value, level: 0, indent: indent, lines: &lines, current: &current)
        lines.append(current)
        return lines
    }

    private static func write(_ value: JSONValue, level: Int, indent: Int, lines: inout [StyledLine], current: inout StyledLine) {
        func newline(_ level: Int) {
            lines.append(current)
            current = StyledLine(String(repeating: " ", count: level * indent), .text)
        }
        switch value {
        case .null, .bool: current.append(value.jsonText, .jsonLiteral)
        case .integer, .number: current.append(value.jsonText, .jsonNumber)
        case .string: current.append(value.jsonText, .jsonString)
        case let .array(elements):
            if elements.isEmpty { current.append("[]", .text); return }
            current.append("[", .text)
            for (index, element) in elements.enumerated() {
                newline(level + 1)
                write(element, level: level + 1, indent: indent, lines: &lines, current: &current)
                if index < elements.count - 1 { current.append(",", .text) }
            }
            newline(level)
            current.append("]", .text)
        case let .object(object):
            if object.isEmpty { current.append("{}", .text); return }
            current.append("{", .text)
            for (index, member) in object.members.enumerated() {
                newline(level + 1)
                current.append(JSONValue.string(member.name).jsonText, .jsonKey)
                current.append(": ", .text)
                write(member.value, level: level + 1, indent: indent, lines: &lines, current: &current)
                if index < object.count - 1 { current.append(",", .text) }
            }
            newline(level)
            current.append("}", .text)
        }
    }
}
