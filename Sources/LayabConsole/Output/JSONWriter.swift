import LayabAuth

/// Writes compact JSON text straight into a byte buffer, value after value, with no tree in between: what
/// `layabauth verify --json` prints for each token of a batch.
///
/// The text is the one `JSONValue.jsonText` gives for the same members, passed through
/// `TerminalText.json(_:)`: DEL, C1 controls and bidirectional overrides and isolates are written as
/// `\uXXXX` escapes too, so that a token cannot drive the reader's terminal. Members are written in the order
/// of the calls; the writer does not check that names are unique.
package struct JSONWriter {
    /// The JSON text written so far, as UTF-8.
    package private(set) var bytes: [UInt8]
    /// Whether the next member or element follows another one in the same object or array.
    private var followsValue = false

    package init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: Structure

    /// An object whose members `body` writes.
    package mutating func object(_ body: (inout JSONWriter) -> Void) {
        container(UInt8(ascii: "{"), UInt8(ascii: "}"), body)
    }

    /// An array whose elements `body` writes.
    package mutating func array(_ body: (inout JSONWriter) -> Void) {
        container(UInt8(ascii: "["), UInt8(ascii: "]"), body)
    }

    private mutating func container(_ open: UInt8, _ close: UInt8, _ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(open)
        followsValue = false
        body(&self)
        bytes.append(close)
        followsValue = true
    }

    /// An array of strings.
    package mutating func array(_ strings: [String]) {
        array { writer in for string in strings { writer.string(string) } }
    }

    /// The name of the next member of the object being written; its value comes next.
    package mutating func name(_ name: String) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        followsValue = false
    }

    /// Ends a line of JSON Lines output.
    package mutating func lineBreak() {
        bytes.append(UInt8(ascii: "\n"))
        followsValue = false
    }

    // MARK: Values

    package mutating func null() { literal("null") }
    package mutating func bool(_ value: Bool) { literal(value ? "true" : "false") }

    package mutating func integer(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        followsValue = true
    }

    /// A number as `JSONValue.number` writes it: integral values without a fraction.
    package mutating func number(_ value: Double) {
        var literals = JSONNumberLiterals()
        separate()
        bytes.append(contentsOf: literals.text(of: .number(value)).utf8)
        followsValue = true
    }

    package mutating func string(_ value: String) {
        separate()
        writeString(value)
        followsValue = true
    }

    /// A string, or null.
    package mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// A value as a token or an answer carried it, members in their stored order.
    package mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case let .bool(bool): self.bool(bool)
        case let .integer(integer): self.integer(integer)
        case let .number(number): self.number(number)
        case let .string(string): self.string(string)
        case let .array(elements): array { writer in for element in elements { writer.value(element) } }
        case let .object(object): self.object(object)
        }
    }

    package mutating func object(_ object: JSONObject) {
        self.object { writer in
            for member in object.members {
                writer.name(member.name)
                writer.value(member.value)
            }
        }
    }

    // MARK: Bytes

    private mutating func separate() {
        if followsValue { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func literal(_ text: StaticString) {
        separate()
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        followsValue = true
    }

    /// A JSON string literal: runs of bytes that need no escape are copied whole. Escaped are what RFC 8259
    /// §7 requires (quote, backslash, C0 controls) and what `TerminalText.json(_:)` escapes after it (DEL,
    /// C1 controls U+0080–U+009F, U+202A–U+202E, U+2066–U+2069), each found by its UTF-8 bytes.
    private mutating func writeString(_ string: String) {
        var string = string
        string.makeContiguousUTF8()
        bytes.append(UInt8(ascii: "\""))
        string.utf8.withContiguousStorageIfAvailable { text in
            var runStart = 0
            var index = 0
            while index < text.count {
                let byte = text[index]
                let escapedScalar: UInt32?
                let length: Int
                switch byte {
                case 0x00..<0x20, UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x7F:
                    escapedScalar = UInt32(byte)
                    length = 1
                case 0xC2 where index + 1 < text.count && (0x80...0x9F).contains(text[index + 1]):
                    escapedScalar = UInt32(text[index + 1])
                    length = 2
                case 0xE2 where index + 2 < text.count && Self.isDirectionalFormat(text[index + 1], text[index + 2]):
                    escapedScalar = (UInt32(0x2) << 12) | (UInt32(text[index + 1] & 0x3F) << 6) | UInt32(text[index + 2] & 0x3F)
                    length = 3
                default:
                    escapedScalar = nil
                    length = 1
                }
                if let escapedScalar {
                    if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index])) }
                    writeEscape(escapedScalar)
                    runStart = index + length
                }
                index += length
            }
            if runStart < text.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The second and third bytes of U+202A–U+202E (`E2 80 AA`…`AE`) and U+2066–U+2069 (`E2 81 A6`…`A9`).
    private static func isDirectionalFormat(_ second: UInt8, _ third: UInt8) -> Bool {
        (second == 0x80 && (0xAA...0xAE).contains(third)) || (second == 0x81 && (0xA6...0xA9).contains(third))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The short escapes of RFC 8259 §7 where there is one, else `\u` and four lowercase hex digits.
    private mutating func writeEscape(_ scalar: UInt32) {
        let short: UInt8? = switch scalar {
        case UInt32(UInt8(ascii: "\"")): UInt8(ascii: "\"")
        case UInt32(UInt8(ascii: "\\")): UInt8(ascii: "\\")
        case 0x0A: UInt8(ascii: "n")
        case 0x0D: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        case 0x08: UInt8(ascii: "b")
        case 0x0C: UInt8(ascii: "f")
        default: nil
        }
        bytes.append(UInt8(ascii: "\\"))
        if let short {
            bytes.append(short)
            return
        }
        bytes.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) { bytes.append(Self.hexDigits[Int((scalar >> UInt32(shift)) & 0xF)]) }
    }
}
