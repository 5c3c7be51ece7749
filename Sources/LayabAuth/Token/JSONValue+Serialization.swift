extension JSONValue {
    /// Compact JSON text, members in their stored order, no insignificant whitespace.
    public var jsonText: String {
        var output = ""
        write(to: &output, indent: nil, level: 0)
        return output
    }

    /// Indented JSON text for people, members in their stored order.
    public func prettyJSONText(indent: Int = 2) -> String {
        var output = ""
        write(to: &output, indent: indent, level: 0)
        return output
    }

    /// Compact JSON text whose numbers are written as `literals` gives them (as the document had them).
    package func jsonText(literals: inout JSONNumberLiterals) -> String {
        var output = ""
        write(to: &output, indent: nil, level: 0, literals: &literals)
        return output
    }

    /// Parses JSON text (strictly, as token parts are parsed: duplicate member names are refused).
    public init(parsing text: String) throws(JSONParseError) {
        self = try JSONParser.parse(text)
    }

    /// Parses JSON bytes, which must be UTF-8 (strictly, as token parts are parsed).
    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        self = try JSONParser.parse(bytes)
    }

    func write(to output: inout String, indent: Int?, level: Int) {
        var literals = JSONNumberLiterals()
        write(to: &output, indent: indent, level: level, literals: &literals)
    }

    private func write(to output: inout String, indent: Int?, level: Int, literals: inout JSONNumberLiterals) {
        switch self {
        case .null: output += "null"
        case .bool(let b): output += b ? "true" : "false"
        case .integer, .number: output += literals.text(of: self)
        case let .string(s): JSONValue.writeString(s, to: &output)
        case let .array(elements):
            if elements.isEmpty { output += "[]"; return }
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                JSONValue.newline(&output, indent: indent, level: level + 1)
                element.write(to: &output, indent: indent, level: level + 1, literals: &literals)
            }
            JSONValue.newline(&output, indent: indent, level: level)
            output += "]"
        case let .object(object):
            if object.isEmpty { output += "{}"; return }
            output += "{"
            for (index, member) in object.members.enumerated() {
                if index > 0 { output += "," }
                JSONValue.newline(&output, indent: indent, level: level + 1)
                JSONValue.writeString(member.name, to: &output)
                output += indent == nil ? ":" : ": "
                member.value.write(to: &output, indent: indent, level: level + 1, literals: &literals)
            }
            JSONValue.newline(&output, indent: indent, level: level)
            output += "}"
        }
    }

    private static func newline(_ output: inout String, indent: Int?, level: Int) {
        guard let indent else { return }
        output += "\n"
        output += String(repeating: " ", count: indent * level)
    }

    /// Integral doubles print without a fraction; others with Swift's shortest round-trip form.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A JSON string literal: runs of bytes that need no escape are copied whole (a 16 KiB claim is one
    /// append, not 16,000), the rest escaped as RFC 8259 §7 requires. Escaped bytes are ASCII, so every run
    /// is whole UTF-8.
    static func writeString(_ string: String, to output: inout String) {
        var string = string
        string.makeContiguousUTF8()
        output += "\""
        string.utf8.withContiguousStorageIfAvailable { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index { output += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<index]), as: UTF8.self) }
                output += escape(byte)
                runStart = index + 1
            }
            if runStart < bytes.count { output += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart...]), as: UTF8.self) }
        }
        output += "\""
    }

    private static func escape(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\""): return "\\\""
        case UInt8(ascii: "\\"): return "\\\\"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x08: return "\\b"
        case 0x0C: return "\\f"
        default:
            let hex = String(byte, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}
