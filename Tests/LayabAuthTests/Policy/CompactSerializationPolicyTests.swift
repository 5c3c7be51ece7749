import LayabAuth
import Testing

@Suite("Policy: compact serialization, strict base64url and the size cap")
struct CompactSerializationPolicyTests {
    static let header = PolicyFixtures.segment("{\"alg\":\"ES256\"}")
    static let payload = PolicyFixtures.segment("{\"sub\":\"alice\"}")
    static let signature = PolicyFixtures.segment(Array(repeating: 7, count: 64))

    static let segmentCounts: [Vector<String>] = [
        Vector("empty token", "", .malformed),
        Vector("one segment", header, .malformed),
        Vector("two segments", "\(header).\(payload)", .malformed),
        Vector("four segments", "\(header).\(payload).\(signature).\(signature)", .malformed),
        Vector("five segments (JWE)", "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d", .encryptedTokenUnsupported),
        Vector("five empty segments", "....", .encryptedTokenUnsupported),
        Vector("six segments", "\(header).\(payload).\(signature).a.b.c", .malformed),
        Vector("thousands of dots", String(repeating: ".", count: 5000), .malformed),
        Vector("a valid token followed by thousands of dots", "\(header).\(payload).\(signature)" + String(repeating: ".", count: 5000), .malformed),
        Vector("JWS JSON general serialization", "{\"payload\":\"\(payload)\",\"signatures\":[{\"protected\":\"\(header)\",\"signature\":\"\(signature)\"}]}", .malformed),
        Vector("JWS JSON flattened serialization", "{\"payload\":\"\(payload)\",\"protected\":\"\(header)\",\"signature\":\"\(signature)\"}", .malformed),
        Vector("empty header segment", ".\(payload).\(signature)", .malformed),
        Vector("empty signature segment", "\(header).\(payload).", .malformed),
        Vector("only dots", "..", .malformed),
    ]

    @Test("a compact JWS has exactly three segments", arguments: segmentCounts)
    func segmentCount(_ vector: Vector<String>) throws {
        expectFailure(vector.code) { try DecodedToken.decode(vector.input) }
        let (_, verifier) = try PolicyFixtures.ecSetup()
        expectFailure(vector.code) { try verifier.verify(vector.input) }
    }

    @Test("messages say how many segments were found")
    func segmentMessages() {
        let two = expectFailure(.malformed) { try DecodedToken.decode("\(Self.header).\(Self.payload)") }
        #expect(two?.message.contains("found 2") == true)
        let many = expectFailure(.malformed) { try DecodedToken.decode(String(repeating: ".", count: 5000)) }
        #expect(many?.message.contains("more than five") == true)
    }

    enum Part: String, Sendable, CaseIterable { case header, payload, signature }

    struct Mutation: Sendable, CustomTestStringConvertible {
        let name: String
        let part: Part
        let apply: @Sendable (String) -> String
        var testDescription: String { "\(name) in the \(part.rawValue)" }
    }

    /// Ways to spoil a base64url segment while keeping its bytes recognisable.
    static let mutations: [Mutation] = Part.allCases.flatMap { part -> [Mutation] in
        [
            Mutation(name: "'=' padding", part: part) { paddedToQuantum($0) },
            Mutation(name: "a single trailing '='", part: part) { $0 + "=" },
            Mutation(name: "'+' from the standard alphabet", part: part) { "+" + $0.dropFirst() },
            Mutation(name: "'/' from the standard alphabet", part: part) { "/" + $0.dropFirst() },
            Mutation(name: "a space", part: part) { insert(" ", into: $0) },
            Mutation(name: "a line feed", part: part) { insert("\n", into: $0) },
            Mutation(name: "a tab", part: part) { insert("\t", into: $0) },
            Mutation(name: "non-canonical trailing bits", part: part) { nonCanonical($0) },
            Mutation(name: "a length of 4n+1", part: part) { lengthFourNPlusOne($0) },
            Mutation(name: "a non-ASCII character", part: part) { insert("é", into: $0) },
        ]
    }

    @Test("base64url segments are decoded strictly", arguments: mutations)
    func strictBase64URL(_ mutation: Mutation) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        // Header (37 bytes), payload (25 bytes) and signature (64 bytes) all leave a partial base64 quantum,
        // so that padding and unused trailing bits apply to each.
        let token = try key.sign(header: ["alg": "ES256", "kid": "ec-1", "x": "ab"], payload: Array("{\"exp\":\(PolicyFixtures.nowSeconds + 300),\"n\":12}".utf8))
        #expect(throws: Never.self) { try verifier.verify(token) }
        var parts = PolicyFixtures.parts(token)
        let index = Part.allCases.firstIndex(of: mutation.part) ?? 0
        let original = parts[index]
        parts[index] = mutation.apply(original)
        #expect(parts[index] != original, "the mutation changed nothing")
        let mutated = parts.joined(separator: ".")
        let error = expectFailure(.malformed) { try verifier.verify(mutated) }
        #expect(error?.message.contains("\(mutation.part.rawValue) segment is not valid base64url") == true, "message: \(error?.message ?? "-")")
    }

    static let base64Vectors: [(String, Base64URL.DecodingError)] = [
        ("QQ==", .invalidCharacter(offset: 2, byte: UInt8(ascii: "="))),
        ("QR", .nonCanonical),
        ("QUF", .nonCanonical),
        ("Q", .invalidLength(1)),
        ("QUFBQ", .invalidLength(5)),
        ("a+bc", .invalidCharacter(offset: 1, byte: UInt8(ascii: "+"))),
        ("ab/c", .invalidCharacter(offset: 2, byte: UInt8(ascii: "/"))),
        ("ab c", .invalidCharacter(offset: 2, byte: 0x20)),
    ]

    @Test("Base64URL.decode refuses non-canonical input with the exact reason", arguments: base64Vectors)
    func base64Reasons(_ input: String, _ expected: Base64URL.DecodingError) {
        #expect(throws: expected) { try Base64URL.decode(input) }
    }

    @Test("Base64URL.decode accepts the canonical encodings", arguments: [("", [UInt8]()), ("QQ", [0x41]), ("QUE", [0x41, 0x41]), ("QUFB", [0x41, 0x41, 0x41]), ("-_8", [0xFB, 0xFF])])
    func base64Canonical(_ input: String, _ bytes: [UInt8]) throws {
        #expect(try Base64URL.decode(input) == bytes)
        #expect(Base64URL.encode(bytes) == input)
    }

    @Test("decode and validate agree with a bit-by-bit reference at every length and every position of a bad character")
    func base64Exhaustive() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0...64 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base64URL.encode(bytes)
            #expect(Self.referenceDecode(text) == bytes, "the reference itself, length \(length)")
            #expect(try Base64URL.decode(text) == bytes, "length \(length)")
            let utf8 = Array(text.utf8)
            #expect(try utf8.withUnsafeBufferPointer { try Base64URL.validate($0) } == length)
            // A character outside the alphabet anywhere is named with its offset, by both.
            for offset in utf8.indices {
                var bad = utf8
                bad[offset] = UInt8(ascii: "=")
                let expected = Base64URL.DecodingError.invalidCharacter(offset: offset, byte: UInt8(ascii: "="))
                #expect(throws: expected) { try Base64URL.decode(String(decoding: bad, as: UTF8.self)) }
                #expect(throws: expected) { try bad.withUnsafeBufferPointer { try Base64URL.validate($0) } }
            }
            // Non-zero unused bits in the last character are refused by both.
            if length % 3 != 0, var last = utf8.last {
                last = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)[Self.alphabetIndex(last) | 1]
                let bad = Array(utf8.dropLast()) + [last]
                #expect(throws: Base64URL.DecodingError.nonCanonical) { try Base64URL.decode(String(decoding: bad, as: UTF8.self)) }
                #expect(throws: Base64URL.DecodingError.nonCanonical) { try bad.withUnsafeBufferPointer { try Base64URL.validate($0) } }
            }
        }
    }

    static func alphabetIndex(_ byte: UInt8) -> Int {
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8).firstIndex(of: byte) ?? 0
    }

    /// Base64url decoded one bit at a time: slow and obviously right.
    static func referenceDecode(_ text: String) -> [UInt8] {
        var bits: [Bool] = []
        for byte in text.utf8 {
            let value = alphabetIndex(byte)
            for shift in (0..<6).reversed() { bits.append(value >> shift & 1 == 1) }
        }
        return stride(from: 0, to: bits.count / 8 * 8, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
    }

    @Test("the size cap comes before decoding: an oversized token of garbage is too large, not malformed")
    func sizeBeforeDecoding() {
        let garbage = String(repeating: "!", count: DecodedToken.defaultMaximumSize + 1)
        let error = expectFailure(.tokenTooLarge) { try DecodedToken.decode(garbage) }
        #expect(error?.message.contains("\(DecodedToken.defaultMaximumSize + 1) bytes") == true)
        #expect(error?.message.contains("limit is 16384") == true)
        // At the limit the same garbage is decoded, and refused for what it is.
        expectFailure(.malformed) { try DecodedToken.decode(String(repeating: "!", count: DecodedToken.defaultMaximumSize)) }
    }

    @Test("the default cap is 16 KiB, counted in bytes")
    func defaultCap() {
        #expect(DecodedToken.defaultMaximumSize == 16 * 1024)
        // 8193 two-byte characters are 16386 bytes.
        expectFailure(.tokenTooLarge) { try DecodedToken.decode(String(repeating: "é", count: 8193)) }
    }

    @Test("the cap is configurable")
    func configurableCap() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try key.sign(claims: PolicyFixtures.validClaims(["pad": .string(String(repeating: "x", count: 400))]))
        #expect(throws: Never.self) { try verifier.verify(token) }
        let strict = try Verifier(keys: verifier.keys, configuration: PolicyFixtures.configuration { $0.maximumTokenSize = token.utf8.count - 1 })
        expectFailure(.tokenTooLarge) { try strict.verify(token) }
        expectFailure(.tokenTooLarge) { try DecodedToken.decode(token, maximumSize: 256) }
        #expect(strict.report(token).errors.map(\.code) == [.tokenTooLarge])
        let exact = try Verifier(keys: verifier.keys, configuration: PolicyFixtures.configuration { $0.maximumTokenSize = token.utf8.count })
        #expect(throws: Never.self) { try exact.verify(token) }
    }

    // MARK: Segment mutations

    static func insert(_ text: String, into segment: String) -> String {
        let middle = segment.index(segment.startIndex, offsetBy: segment.count / 2)
        return String(segment[..<middle]) + text + String(segment[middle...])
    }

    /// Adds the '=' padding standard base64 would add (a quantum of four characters).
    static func paddedToQuantum(_ segment: String) -> String {
        let rest = segment.utf8.count % 4
        return rest == 0 ? segment + "====" : segment + String(repeating: "=", count: 4 - rest)
    }

    static func lengthFourNPlusOne(_ segment: String) -> String {
        var result = segment
        repeat { result += "A" } while result.utf8.count % 4 != 1
        return result
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// Sets an unused trailing bit of the last character, so the same bytes get a second spelling.
    static func nonCanonical(_ segment: String) -> String {
        var characters = Array(segment)
        let rest = characters.count % 4
        guard rest != 0, let last = characters.last, let value = alphabet.firstIndex(of: last) else { return segment }
        characters[characters.count - 1] = alphabet[value ^ 1]
        return String(characters)
    }
}
