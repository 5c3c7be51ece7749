/// Why JSON text was refused: what was wrong, and where.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "\(reason) at offset \(offset)" }
}

/// A strict RFC 8259 parser for the small JSON documents of JOSE.
///
/// Hand-written because JOSE needs what Foundation's `JSONDecoder` does not do: it must refuse duplicate
/// member names (RFC 7515 §5.2, RFC 7519 §4), which a lax parser resolves silently to the first or the last
/// — a way to show one verifier one claim and another verifier another. It also refuses invalid UTF-8, lone
/// surrogates, non-finite numbers, trailing data, and nesting deeper than ``maximumDepth``, and keeps members in
/// document order. Internal to the package: others parse with ``JSONValue/init(parsing:)``.
package enum JSONParser {
    package typealias Failure = JSONParseError

    /// Nesting beyond this is refused; JOSE documents never need more than a few levels.
    package static let maximumDepth = 64

    package static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in try parse(buffer) }
    }

    package static func parse(_ text: String) throws(Failure) -> JSONValue {
        try parse(Array(text.utf8))
    }

    package static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(Failure) -> JSONValue {
        var parser = Parser(buffer)
        return try parser.parseDocument()
    }

    /// Parses a document and, when it is an object, finds its members named in `known` as it reads them: a
    /// claims set's or header's registered members are recognised from their bytes, without making a string of
    /// their names, and where each sits is returned with the value (meaningless when the value is not an object).
    package static func parse(_ buffer: UnsafeBufferPointer<UInt8>, finding known: KnownNames) throws(Failure) -> (value: JSONValue, positions: MemberPositions) {
        var parser = Parser(buffer)
        parser.known = known
        let value = try parser.parseDocument()
        return (value, parser.positions)
    }

    /// The value of JSON bytes with the text of each of its numbers as written, in document order, for
    /// display: a value holds `123456789012345678901234567890` as the nearest Double, its literal holds it as
    /// the token has it. Nil when the bytes are not JSON.
    package static func parseKeepingNumberLiterals(_ bytes: [UInt8]) -> (value: JSONValue, literals: JSONNumberLiterals)? {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(buffer)
            parser.numberLiterals = []
            guard let value = try? parser.parseDocument() else { return nil }
            return (value, JSONNumberLiterals(parser.numberLiterals ?? []))
        }
    }

    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// When not nil, the text of each number parsed is appended.
        var numberLiterals: [String]?
        /// When not nil, the names of the top-level object's members are looked up in it, and where each known
        /// one sits is kept in `positions`.
        var known: KnownNames?
        var positions = MemberPositions()

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func fail(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

        /// One value with optional whitespace around it, and nothing else.
        mutating func parseDocument() throws(Failure) -> JSONValue {
            skipWhitespace()
            let value = try parseValue(depth: 0)
            skipWhitespace()
            if index != bytes.count { throw fail("unexpected data after the JSON value") }
            return value
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
            guard index < bytes.count else { throw fail("unexpected end of JSON") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
            case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
            case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
            case UInt8(ascii: "n"): try expectLiteral("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw fail("unexpected character")
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
            let count = literal.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw fail("invalid literal") }
            let start = literal.utf8Start
            for offset in 0..<count where bytes[index + offset] != start[offset] { throw fail("invalid literal") }
            index += count
        }

        mutating func parseObject(depth: Int) throws(Failure) -> JSONObject {
            if depth > JSONParser.maximumDepth { throw fail("JSON nested deeper than \(JSONParser.maximumDepth) levels") }
            index += 1
            var members: [(name: String, value: JSONValue)] = []
            // JOSE headers and claims sets have a handful of members: one allocation instead of four growths.
            members.reserveCapacity(8)
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return JSONObject(uniqueMembers: members)
            }
            // Duplicates are names Swift's `==` equates: byte-equal ones, and canonically equivalent spellings,
            // refused as ambiguous. Small objects (all of JOSE in practice) compare linearly; large ones use a set.
            var seen: Set<String>?
            // Only the top-level object's members are looked up.
            let known = depth == 1 ? known : nil
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                let nameOffset = index
                let name: String
                var knownIndex: Int?
                if let known {
                    if let found = knownName(in: known) {
                        knownIndex = found
                        name = known.spellings[found]
                    } else {
                        // Also an escaped spelling of a known name ("\u0065xp" is "exp").
                        name = try parseString()
                        knownIndex = known.index(of: name)
                    }
                } else {
                    name = try parseString()
                }
                let duplicate: Bool
                if let knownIndex, known?.namesAreCanonicallyUnique == true {
                    // Only its own bytes equal a known name (see `KnownNames`): a duplicate is a second finding.
                    duplicate = positions.contains(knownIndex)
                } else if members.count < 16 {
                    duplicate = members.contains { $0.name == name }
                } else {
                    if seen == nil { seen = Set(members.map(\.name)) }
                    duplicate = seen?.insert(name).inserted == false
                }
                if duplicate { throw Failure(offset: nameOffset, reason: "duplicate member name \"\(LayabAuthError.shown(name))\"") }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                index += 1
                skipWhitespace()
                let value = try parseValue(depth: depth)
                members.append((name, value))
                if let knownIndex { positions.record(knownIndex, at: members.count - 1) }
                skipWhitespace()
                guard index < bytes.count else { throw fail("unterminated object") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return JSONObject(uniqueMembers: members)
                } else {
                    throw fail("expected ',' or '}'")
                }
            }
        }

        /// The index in `known` of the member name at `index` (its opening quote), when it is one of them written
        /// without escapes; the parser is then after its closing quote. Otherwise nil, and nothing is read.
        @inline(__always)
        mutating func knownName(in known: KnownNames) -> Int? {
            let start = index + 1
            var end = start
            let limit = min(bytes.count, start + known.maximumLength + 1)
            while end < limit {
                let byte = bytes[end]
                if byte == UInt8(ascii: "\"") { break }
                // Escapes, control characters and non-ASCII bytes take the full path.
                if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return nil }
                end += 1
            }
            guard end < limit, bytes[end] == UInt8(ascii: "\""),
                  let found = known.index(of: UnsafeBufferPointer(rebasing: bytes[start..<end])) else { return nil }
            index = end + 1
            return found
        }

        mutating func parseArray(depth: Int) throws(Failure) -> [JSONValue] {
            if depth > JSONParser.maximumDepth { throw fail("JSON nested deeper than \(JSONParser.maximumDepth) levels") }
            index += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return elements
            }
            while true {
                skipWhitespace()
                elements.append(try parseValue(depth: depth))
                skipWhitespace()
                guard index < bytes.count else { throw fail("unterminated array") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return elements
                } else {
                    throw fail("expected ',' or ']'")
                }
            }
        }

        mutating func parseString() throws(Failure) -> String {
            index += 1
            let start = index
            // Fast path: no escapes. ASCII (all of JOSE's registered values) needs no UTF-8 validation.
            var bits: UInt8 = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                    let string: String
                    if bits < 0x80 {
                        string = String(decoding: slice, as: UTF8.self)
                    } else {
                        guard let validated = String(validating: slice, as: UTF8.self) else {
                            throw Failure(offset: start, reason: "string is not valid UTF-8")
                        }
                        string = validated
                    }
                    index += 1
                    return string
                }
                bits |= byte
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw fail("control character in string") }
                index += 1
            }
            var scratch = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    guard let string = String(validating: scratch, as: UTF8.self) else {
                        throw Failure(offset: start, reason: "string is not valid UTF-8")
                    }
                    index += 1
                    return string
                }
                if byte < 0x20 { throw fail("control character in string") }
                if byte != UInt8(ascii: "\\") {
                    scratch.append(byte)
                    index += 1
                    continue
                }
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scratch.append(0x22)
                case UInt8(ascii: "\\"): scratch.append(0x5C)
                case UInt8(ascii: "/"): scratch.append(0x2F)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if scalar >= 0xD800 && scalar <= 0xDBFF {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw fail("lone high surrogate in string")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard low >= 0xDC00 && low <= 0xDFFF else { throw fail("invalid surrogate pair in string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                        throw fail("lone low surrogate in string")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid escape") }
                    if let encoded = UTF8.encode(unicode) { scratch.append(contentsOf: encoded) }
                default:
                    throw fail("invalid escape sequence")
                }
            }
            throw fail("unterminated string")
        }

        mutating func parseHex4() throws(Failure) -> UInt32 {
            guard index + 4 <= bytes.count else { throw fail("truncated \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw fail("invalid \\u escape")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        mutating func parseNumber() throws(Failure) -> JSONValue {
            let start = index
            var isInteger = true
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count else { throw fail("invalid number") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else if bytes[index] >= UInt8(ascii: "1") && bytes[index] <= UInt8(ascii: "9") {
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            } else {
                throw fail("invalid number")
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                isInteger = false
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                isInteger = false
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if numberLiterals != nil { numberLiterals?.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) }
            if isInteger, let integer = Self.integer(UnsafeBufferPointer(rebasing: bytes[start..<index])) { return .integer(integer) }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard let double = Double(text), double.isFinite else {
                throw Failure(offset: start, reason: "number \(text.prefix(40)) is out of range")
            }
            return .number(double)
        }

        /// The value of an integer literal (`-?digits`, already validated), nil when it does not fit in 64
        /// bits; what `Int64(String)` returns, without making the string.
        static func integer(_ digits: UnsafeBufferPointer<UInt8>) -> Int64? {
            var index = 0
            let negative = digits.first == UInt8(ascii: "-")
            if negative { index = 1 }
            // Accumulate downwards: Int64.min has no positive counterpart.
            var value: Int64 = 0
            while index < digits.count {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (next, overflow2) = times10.subtractingReportingOverflow(Int64(digits[index] &- UInt8(ascii: "0")))
                if overflow1 || overflow2 { return nil }
                value = next
                index += 1
            }
            if negative { return value }
            return value == .min ? nil : -value
        }

        @inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    }
}
