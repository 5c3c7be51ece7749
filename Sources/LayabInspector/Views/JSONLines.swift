import LayabAuth
import LayabConsole

/// Pretty JSON with a role per token kind, for syntax colours. Numbers are written as the document has them
/// when its `literals` are given; strings keep every character, with those a terminal would hide (controls,
/// bidirectional and invisible format characters) escaped as `\u{…}`.
enum JSONLines {
    static func render(_ value: JSONValue, indent: Int = 2, literals: JSONNumberLiterals = JSONNumberLiterals()) -> [StyledLine] {
        var lines: [StyledLine] = []
        var current = StyledLine()
        var literals = literals
        write(value, level: 0, indent: indent, lines: &lines, current: &current, literals: &literals)
        lines.append(current)
        return lines
    }

    /// A string as a JSON literal a terminal shows whole.
    static func stringText(_ string: String) -> String { TerminalText.visible(JSONValue.string(string).jsonText) }

    private static func write(_ value: JSONValue, level: Int, indent: Int, lines: inout [StyledLine], current: inout StyledLine,
                              literals: inout JSONNumberLiterals)
    {
        func newline(_ level: Int) {
            lines.append(current)
            current = StyledLine(String(repeating: " ", count: level * indent), .text)
        }
        switch value {
        case .null, .bool: current.append(value.jsonText, .jsonLiteral)
        case .integer, .number: current.append(literals.text(of: value), .jsonNumber)
        case let .string(string): current.append(stringText(string), .jsonString)
        case let .array(elements):
            if elements.isEmpty { current.append("[]", .text); return }
            current.append("[", .text)
            for (index, element) in elements.enumerated() {
                newline(level + 1)
                write(element, level: level + 1, indent: indent, lines: &lines, current: &current, literals: &literals)
                if index < elements.count - 1 { current.append(",", .text) }
            }
            newline(level)
            current.append("]", .text)
        case let .object(object):
            if object.isEmpty { current.append("{}", .text); return }
            current.append("{", .text)
            for (index, member) in object.members.enumerated() {
                newline(level + 1)
                current.append(stringText(member.name), .jsonKey)
                current.append(": ", .text)
                write(member.value, level: level + 1, indent: indent, lines: &lines, current: &current, literals: &literals)
                if index < object.count - 1 { current.append(",", .text) }
            }
            newline(level)
            current.append("}", .text)
        }
    }
}
