/// Strict base64url (RFC 4648 §5) as JWS uses it (RFC 7515 §2): no padding, no whitespace, nothing outside
/// the alphabet, and unused trailing bits must be zero so that every byte string has exactly one encoding.
public enum Base64URL {
    /// Why a base64url string was refused.
    public enum DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        case invalidCharacter(offset: Int, byte: UInt8)
        case invalidLength(Int)
        case nonCanonical

        public var description: String {
            switch self {
            case let .invalidCharacter(offset, byte):
                if byte == UInt8(ascii: "=") { return "padding '=' at offset \(offset) (base64url in JWS carries no padding)" }
                if byte < 0x21 || byte > 0x7E { return "byte 0x\(String(byte, radix: 16)) at offset \(offset) is not in the base64url alphabet" }
                return "character '\(Character(Unicode.Scalar(byte)))' at offset \(offset) is not in the base64url alphabet"
            case let .invalidLength(length):
                return "length \(length) is impossible for base64url (a length of 4n+1)"
            case .nonCanonical:
                return "non-canonical encoding (unused trailing bits are not zero)"
            }
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// 0xFF marks a byte outside the alphabet.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    public static func encode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let input = Array(bytes)
        let outputLength = (input.count * 4 + 2) / 3
        return String(unsafeUninitializedCapacity: outputLength) { out in
            alphabet.withUnsafeBufferPointer { table in
                var o = 0
                var i = 0
                while i + 3 <= input.count {
                    let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                    out[o] = table[Int(n >> 18 & 63)]
                    out[o + 1] = table[Int(n >> 12 & 63)]
                    out[o + 2] = table[Int(n >> 6 & 63)]
                    out[o + 3] = table[Int(n & 63)]
                    o += 4
                    i += 3
                }
                let rest = input.count - i
                if rest == 1 {
                    let n = UInt32(input[i]) << 16
                    out[o] = table[Int(n >> 18 & 63)]
                    out[o + 1] = table[Int(n >> 12 & 63)]
                    o += 2
                } else if rest == 2 {
                    let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
                    out[o] = table[Int(n >> 18 & 63)]
                    out[o + 1] = table[Int(n >> 12 & 63)]
                    out[o + 2] = table[Int(n >> 6 & 63)]
                    o += 3
                }
                return o
            }
        }
    }

    public static func decode(_ text: String) throws(DecodingError) -> [UInt8] {
        try Array(text.utf8).withUnsafeBufferPointer { buffer throws(DecodingError) in try decode(buffer) }
    }

    /// Decodes base64url bytes; the workhorse of token parsing.
    public static func decode(_ input: UnsafeBufferPointer<UInt8>) throws(DecodingError) -> [UInt8] {
        var failure: DecodingError?
        let output = [UInt8](unsafeUninitializedCapacity: decodedCapacity(input.count)) { out, initialized in
            do throws(DecodingError) { initialized = try decode(input, into: out) } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return output
    }

    /// Bytes `decode(_:into:)` needs for `count` characters (enough for any length, valid or not).
    static func decodedCapacity(_ count: Int) -> Int { count / 4 * 3 + 2 }

    /// Decodes into `out`, which holds at least ``decodedCapacity(_:)`` bytes, and returns the decoded length.
    static func decode(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) throws(DecodingError) -> Int {
        let count = input.count
        if count % 4 == 1 {
            // Name a stray character rather than the length it causes, when there is one.
            if case let .invalidCharacter(offset, byte) = firstInvalid(input, from: 0) { throw .invalidCharacter(offset: offset, byte: byte) }
            throw .invalidLength(count)
        }
        precondition(out.count >= decodedCapacity(count), "base64url output buffer too small")
        return try decodeTable.withUnsafeBufferPointer { table throws(DecodingError) -> Int in
            var i = 0
            var o = 0
            while i + 4 <= count {
                let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                let c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
                if (a | b | c | d) & 0xC0 != 0 { throw firstInvalid(input, from: i) }
                let n = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                out[o] = UInt8(truncatingIfNeeded: n >> 16)
                out[o + 1] = UInt8(truncatingIfNeeded: n >> 8)
                out[o + 2] = UInt8(truncatingIfNeeded: n)
                o += 3
                i += 4
            }
            let rest = count - i
            if rest >= 2 {
                let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                let c = rest == 3 ? table[Int(input[i + 2])] : 0
                if (a | b | c) & 0xC0 != 0 { throw firstInvalid(input, from: i) }
                // The bits past the last whole byte must be zero (RFC 4648 §3.5: canonical encoding).
                if rest == 2 && b & 0x0F != 0 || rest == 3 && c & 0x03 != 0 { throw .nonCanonical }
                let n = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                out[o] = UInt8(truncatingIfNeeded: n >> 16)
                o += 1
                if rest == 3 {
                    out[o] = UInt8(truncatingIfNeeded: n >> 8)
                    o += 1
                }
            }
            return o
        }
    }

    private static func firstInvalid(_ input: UnsafeBufferPointer<UInt8>, from start: Int) -> DecodingError {
        var i = start
        while i < input.count {
            if decodeTable[Int(input[i])] == 0xFF { return .invalidCharacter(offset: i, byte: input[i]) }
            i += 1
        }
        return .nonCanonical
    }
}
