import LayabAuth

/// SplitMix64: a small seeded generator, so that one seed names one exact list of mutations.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    /// A stream of its own for `label` (a profile and a minter), so that cases do not depend on the order
    /// in which other profiles are generated.
    init(seed: UInt64, label: String) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        for byte in label.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        state = seed ^ hash
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<bound, by multiply-shift rather than the standard library's algorithm, so
    /// that a seed gives the same cases with any toolchain.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int((UInt64(bound).multipliedFullWidth(by: next())).high)
    }
}

/// A valid token changed after signing: the signature no longer matches what the token says, or the
/// token is no longer a well-formed compact JWS.
struct MutatedToken: Sendable {
    let kind: MutationKind
    let label: String
    let token: String
    let expectation: Expectation
}

enum TokenMutations {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// Every mutation of `token`, a valid compact JWS; `other` is another valid token of the same key and
    /// algorithm, whose parts are transplanted.
    static func make(from token: String, other: String, profile: DifferentialProfile, generator: inout SeededGenerator) -> [MutatedToken] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let otherParts = other.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, otherParts.count == 3,
              let header = try? Base64URL.decode(parts[0]), let payload = try? Base64URL.decode(parts[1]),
              let signature = try? Base64URL.decode(parts[2])
        else {
            return [MutatedToken(kind: .valid, label: "the valid token could not be split (\(token.prefix(80)))", token: token, expectation: .both(.rejected))]
        }
        let (h, p, s) = (parts[0], parts[1], parts[2])
        var mutations: [MutatedToken] = []
        func add(_ kind: MutationKind, _ label: String, _ token: String, _ expectation: Expectation = .both(.rejected)) {
            mutations.append(MutatedToken(kind: kind, label: label, token: token, expectation: expectation))
        }
        func encode(_ bytes: [UInt8]) -> String { Base64URL.encode(bytes) }

        if profile.keyPolicy != nil {
            var flipped = signature
            flipped[flipped.count / 2] ^= 0x01
            add(.keyPolicy, "signature bit flipped (byte \(flipped.count / 2), bit 0)", "\(h).\(p).\(encode(flipped))")
            return mutations
        }

        // Bit flips in the decoded bytes, re-encoded canonically: only the signature check can notice them.
        func flips(_ bytes: [UInt8], count: Int, fixed: [Int] = []) -> [(Int, Int, [UInt8])] {
            var positions = fixed
            while positions.count < count { positions.append(generator.below(bytes.count)) }
            return positions.map { index in
                let bit = generator.below(8)
                var copy = bytes
                copy[index] ^= UInt8(1) << UInt8(bit)
                return (index, bit, copy)
            }
        }
        for (index, bit, bytes) in flips(header, count: 4) { add(.bitFlipHeader, "byte \(index) bit \(bit)", "\(encode(bytes)).\(p).\(s)") }
        for (index, bit, bytes) in flips(payload, count: 4) { add(.bitFlipPayload, "byte \(index) bit \(bit)", "\(h).\(encode(bytes)).\(s)") }
        for (index, bit, bytes) in flips(signature, count: 6, fixed: [0, signature.count - 1]) {
            add(.bitFlipSignature, "byte \(index) bit \(bit)", "\(h).\(p).\(encode(bytes))")
        }

        // One character of a segment replaced by another base64url character (the last one may only touch
        // the unused trailing bits, which a canonical decoder refuses).
        for (name, segment) in [("header", h), ("payload", p), ("signature", s)] {
            var characters = Array(segment)
            let index = name == "signature" ? characters.count - 1 : generator.below(characters.count)
            let original = characters[index]
            var replacement = alphabet[generator.below(alphabet.count)]
            if replacement == original { replacement = alphabet[(alphabet.firstIndex(of: original).map { $0 + 1 } ?? 0) % alphabet.count] }
            characters[index] = replacement
            let mutated = String(characters)
            let token = switch name {
            case "header": "\(mutated).\(p).\(s)"
            case "payload": "\(h).\(mutated).\(s)"
            default: "\(h).\(p).\(mutated)"
            }
            add(.characterSubstitution, "\(name) character \(index) '\(original)' → '\(replacement)'", token)
        }

        // The lowest unused bit of the signature's last character set: the same bytes to a lenient decoder.
        if s.count % 4 != 0, let last = s.last, let index = alphabet.firstIndex(of: last), index % 2 == 0 {
            add(.characterSubstitution, "signature's unused trailing bits set ('\(last)' → '\(alphabet[index + 1])')",
                "\(h).\(p).\(s.dropLast())\(alphabet[index + 1])")
        }

        add(.swappedSegments, "header and payload swapped", "\(p).\(h).\(s)")
        add(.swappedSegments, "payload and signature swapped", "\(h).\(s).\(p)")
        add(.swappedSegments, "header and signature swapped", "\(s).\(p).\(h)")
        add(.swappedSegments, "segments rotated", "\(p).\(s).\(h)")
        add(.swappedSegments, "signature of another token by the same key", "\(h).\(p).\(otherParts[2])")
        add(.swappedSegments, "header and payload of another token", "\(otherParts[0]).\(otherParts[1]).\(s)")

        add(.truncation, "last character removed", String(token.dropLast()))
        add(.truncation, "last two characters removed", String(token.dropLast(2)))
        add(.truncation, "last four characters removed", String(token.dropLast(4)))
        add(.truncation, "signature segment empty", "\(h).\(p).")
        add(.truncation, "signature segment dropped", "\(h).\(p)")
        add(.truncation, "first character removed", String(token.dropFirst()))
        add(.truncation, "cut in half", String(token.prefix(token.count / 2)))

        add(.signatureLength, "one zero byte appended", "\(h).\(p).\(encode(signature + [0]))")
        add(.signatureLength, "last byte removed", "\(h).\(p).\(encode(Array(signature.dropLast())))")
        add(.signatureLength, "signature doubled", "\(h).\(p).\(encode(signature + signature))")
        add(.signatureLength, "all zero bytes of the right length", "\(h).\(p).\(encode([UInt8](repeating: 0, count: signature.count)))")

        if let malleated = malleate(signature, profile: profile) {
            add(.malleability, malleated.label, "\(h).\(p).\(encode(malleated.signature))", malleated.expectation)
        }

        let padding = (4 - s.count % 4) % 4
        if padding > 0 {
            add(.padding, "signature padded with \(padding) '='", "\(h).\(p).\(s)\(String(repeating: "=", count: padding))", .policy(.base64Padding))
        } else {
            add(.padding, "signature (a multiple of 4) followed by '===='", "\(h).\(p).\(s)====", .policy(.base64Padding))
        }
        add(.padding, "signature with one '=' too many", "\(h).\(p).\(s)\(String(repeating: "=", count: padding + 1))")
        // Padding (or '====' where none is due) that the signature did not cover.
        func padded(_ segment: String) -> String {
            let due = (4 - segment.count % 4) % 4
            return segment + String(repeating: "=", count: due == 0 ? 4 : due)
        }
        add(.padding, "header padded, signature not renewed", "\(padded(h)).\(p).\(s)")
        add(.padding, "payload padded, signature not renewed", "\(h).\(padded(p)).\(s)")

        add(.segmentCount, "a fourth, empty segment", token + ".")
        add(.segmentCount, "five segments (shaped like a JWE)", token + ".e30.e30")
        add(.segmentCount, "an empty segment after the header", "\(h)..\(p).\(s)")
        add(.segmentCount, "a '.' inside the header segment", "\(h.prefix(4)).\(h.dropFirst(4)).\(p).\(s)")

        add(.whitespace, "leading space", " " + token)
        add(.whitespace, "trailing newline", token + "\n")
        add(.whitespace, "space after the first dot", "\(h). \(p).\(s)")
        add(.whitespace, "Bearer prefix left on", "Bearer " + token)

        let standardAlphabet = String(s.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        add(.alphabet, standardAlphabet == s ? "signature's first character replaced by '+'" : "signature in the standard alphabet (+ and /)",
            "\(h).\(p).\(standardAlphabet == s ? "+" + s.dropFirst() : standardAlphabet)")

        let kid = profile.kid
        add(.algNone, "alg none, empty signature", "\(encode(Array(#"{"alg":"none","kid":"\#(kid)"}"#.utf8))).\(p).")
        add(.algNone, "alg none, signature kept", "\(encode(Array(#"{"alg":"none","kid":"\#(kid)"}"#.utf8))).\(p).\(s)")
        add(.algNone, "alg None, empty signature", "\(encode(Array(#"{"alg":"None"}"#.utf8))).\(p).")
        add(.algNone, "alg NONE, empty signature", "\(encode(Array(#"{"alg":"NONE"}"#.utf8))).\(p).")

        let changed = profile.alternative ?? (profile.algorithm == .es256 ? .es384 : .es256)
        add(.algChanged, "header says \(changed), signature kept", "\(encode(Array(#"{"alg":"\#(changed.rawValue)","typ":"JWT","kid":"\#(kid)"}"#.utf8))).\(p).\(s)")
        return mutations
    }

    // MARK: Malleability

    /// ECDSA's (r, n − s) is a second valid signature, which JWS does not forbid (no low-S rule): both must
    /// accept it. EdDSA's S + L is not canonical (RFC 8032 §5.1.7 requires S < L): both must refuse it.
    static func malleate(_ signature: [UInt8], profile: DifferentialProfile) -> (label: String, signature: [UInt8], expectation: Expectation)? {
        switch profile.key {
        case let .ec(curve):
            guard let order = ecdsaOrders[curve], signature.count % 2 == 0 else { return nil }
            let width = signature.count / 2
            let s = Array(signature[width...])
            let paddedOrder = [UInt8](repeating: 0, count: max(0, width - order.count)) + order.suffix(width)
            return ("s replaced by n − s", Array(signature[..<width]) + subtract(paddedOrder, s), .both(.accepted))
        case let .okp(curve):
            let order = curve == .ed448 ? ed448Order : ed25519Order
            guard signature.count % 2 == 0 else { return nil }
            let width = signature.count / 2
            // S is little-endian: add L as big-endian numbers over the reversed bytes.
            let s = Array(signature[width...].reversed())
            let sum = add(s, [UInt8](repeating: 0, count: width - order.count) + order)
            return ("S replaced by S + L", Array(signature[..<width]) + sum.suffix(width).reversed(), .both(.rejected))
        default:
            return nil
        }
    }

    /// Curve orders, big-endian (SEC 2).
    static let ecdsaOrders: [Curve: [UInt8]] = [
        .p256: bytes("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
        .p384: bytes("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
        .p521: bytes("01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409"),
        .secp256k1: bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"),
    ]
    /// The order L of the Edwards base points (RFC 8032 §5.1 and §5.2), big-endian.
    static let ed25519Order = bytes("1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed")
    static let ed448Order = bytes("003fffffffffffffffffffffffffffffffffffffffffffffffffffffff7cca23e9c44edb49aed63690216cc2728dc58f552378c292ab5844f3")

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8).map { UInt8(($0 <= 0x39) ? $0 - 0x30 : $0 - 0x57) }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    /// a − b for big-endian numbers of equal length, a ≥ b.
    static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: a.count)
        var borrow = 0
        for index in stride(from: a.count - 1, through: 0, by: -1) {
            var digit = Int(a[index]) - Int(b[index]) - borrow
            borrow = digit < 0 ? 1 : 0
            if digit < 0 { digit += 256 }
            result[index] = UInt8(digit)
        }
        return result
    }

    /// a + b for big-endian numbers of equal length; one byte longer when it carries.
    static func add(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: a.count)
        var carry = 0
        for index in stride(from: a.count - 1, through: 0, by: -1) {
            let digit = Int(a[index]) + Int(b[index]) + carry
            result[index] = UInt8(digit & 0xFF)
            carry = digit >> 8
        }
        return carry > 0 ? [UInt8(carry)] + result : result
    }
}
