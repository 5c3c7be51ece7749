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

    /// Bytes `decode(_:into:)` needs for `count` characters (enough for any length, valid or not, and for
    /// the decoder's one byte of slack: it stores four bytes for every three it decodes).
    static func decodedCapacity(_ count: Int) -> Int { count / 4 * 3 + 2 }

    /// The sextet of each byte, shifted into place for each of the four positions of a quantum:
    /// `quantumTable[position * 256 + byte]`. A byte outside the alphabet sets bit 31 in every position,
    /// so one test of the four values OR-ed together finds it.
    private static let quantumTable: [UInt32] = {
        var table = [UInt32](repeating: 0x8000_0000, count: 4 * 256)
        for (index, byte) in alphabet.enumerated() {
            for position in 0..<4 { table[position * 256 + Int(byte)] = UInt32(index) << (18 - 6 * position) }
        }
        return table
    }()

    /// Decodes into `out`, which holds at least ``decodedCapacity(_:)`` bytes, and returns the decoded length.
    static func decode(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) throws(DecodingError) -> Int {
        let count = input.count
        try checkLength(input)
        precondition(out.count >= decodedCapacity(count), "base64url output buffer too small")
        guard let source = input.baseAddress, let target = out.baseAddress else { return 0 }
        return try quantumTable.withUnsafeBufferPointer { table throws(DecodingError) -> Int in
            guard let t = table.baseAddress else { return 0 }
            var i = 0
            var o = 0
            // Whole quanta but the last: four bytes stored (the fourth is overwritten next), three kept.
            while i + 4 < count {
                let n = t[Int(source[i])] | t[256 + Int(source[i + 1])] | t[512 + Int(source[i + 2])] | t[768 + Int(source[i + 3])]
                if n & 0x8000_0000 != 0 { throw firstInvalid(input, from: i) }
                UnsafeMutableRawPointer(target + o).storeBytes(of: (n << 8).bigEndian, as: UInt32.self)
                o += 3
                i += 4
            }
            _ = try finish(input, from: i, table: t) { bytes, length in
                for k in 0..<length { target[o + k] = UInt8(truncatingIfNeeded: bytes >> (16 - 8 * k)) }
                o += length
            }
            return o
        }
    }

    /// Checks that `input` is canonical base64url without decoding it, and returns its decoded length.
    public static func validate(_ input: UnsafeBufferPointer<UInt8>) throws(DecodingError) -> Int {
        try checkLength(input)
        guard let source = input.baseAddress else { return 0 }
        return try quantumTable.withUnsafeBufferPointer { table throws(DecodingError) -> Int in
            guard let t = table.baseAddress else { return 0 }
            var i = 0
            var invalid: UInt32 = 0
            while i + 4 < input.count {
                invalid |= t[Int(source[i])] | t[Int(source[i + 1])] | t[Int(source[i + 2])] | t[Int(source[i + 3])]
                i += 4
            }
            if invalid & 0x8000_0000 != 0 { throw firstInvalid(input, from: 0) }
            return try i / 4 * 3 + finish(input, from: i, table: t) { _, _ in }
        }
    }

    /// A length of 4n+1 is impossible; a stray character, if any, is the better explanation.
    private static func checkLength(_ input: UnsafeBufferPointer<UInt8>) throws(DecodingError) {
        guard input.count % 4 == 1 else { return }
        if case let .invalidCharacter(offset, byte) = firstInvalid(input, from: 0) { throw .invalidCharacter(offset: offset, byte: byte) }
        throw .invalidLength(input.count)
    }

    /// The last quantum (two to four characters, or none): checked for canonical trailing bits, its bytes
    /// (from the top of a 24-bit value) given to `emit` with their count, which it returns.
    @inline(__always)
    private static func finish(_ input: UnsafeBufferPointer<UInt8>, from i: Int, table t: UnsafePointer<UInt32>,
                               _ emit: (UInt32, Int) -> Void) throws(DecodingError) -> Int {
        let rest = input.count - i
        guard rest >= 2 else { return 0 }
        let a = t[Int(input[i])], b = t[256 + Int(input[i + 1])]
        let c = rest >= 3 ? t[512 + Int(input[i + 2])] : 0
        let d = rest == 4 ? t[768 + Int(input[i + 3])] : 0
        if (a | b | c | d) & 0x8000_0000 != 0 { throw firstInvalid(input, from: i) }
        // The bits past the last whole byte must be zero (RFC 4648 §3.5: canonical encoding).
        if rest == 2 && b & 0xFFFF != 0 || rest == 3 && c & 0xFF != 0 { throw .nonCanonical }
        let length = rest - 1
        emit(a | b | c | d, length)
        return length
    }

    private static func firstInvalid(_ input: UnsafeBufferPointer<UInt8>, from start: Int) -> DecodingError {
        var i = start
        while i < input.count {
            if quantumTable[Int(input[i])] & 0x8000_0000 != 0 { return .invalidCharacter(offset: i, byte: input[i]) }
            i += 1
        }
        return .nonCanonical
    }
}
