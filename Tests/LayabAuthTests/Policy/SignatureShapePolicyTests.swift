import LayabAuth
import Testing

@Suite("Policy: signature shapes (ECDSA r‖s and range, RSA length, EdDSA, HMAC)")
struct SignatureShapePolicyTests {
    static let ecdsaAlgorithms: [Algorithm] = [.es256, .es384, .es512, .es256k]

    /// The group order n of each curve, big-endian at the curve's width.
    static func order(_ algorithm: Algorithm) -> [UInt8] {
        switch algorithm {
        case .es256: PolicyFixtures.hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
        case .es384: PolicyFixtures.hex("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973")
        case .es512: PolicyFixtures.hex("01ff" + String(repeating: "ffffffff", count: 7) + "fffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409")
        case .es256k: PolicyFixtures.hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
        default: []
        }
    }

    static func plusOne(_ value: [UInt8]) -> [UInt8] {
        var result = value
        var index = result.count - 1
        while index >= 0 {
            if result[index] == 0xFF {
                result[index] = 0
                index -= 1
            } else {
                result[index] += 1
                break
            }
        }
        return result
    }

    /// ECDSA-Sig-Value DER from r‖s: what OpenSSL and many libraries produce, and what JWS forbids.
    static func der(fromRaw raw: [UInt8]) -> [UInt8] {
        func length(_ count: Int) -> [UInt8] { count < 0x80 ? [UInt8(count)] : [0x81, UInt8(count)] }
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.isEmpty { value = [0] }
            if value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02] + length(value.count) + value
        }
        let half = raw.count / 2
        let body = integer(raw[..<half]) + integer(raw[half...])
        return [0x30] + length(body.count) + body
    }

    struct RangeCase: Sendable, CustomTestStringConvertible {
        let algorithm: Algorithm
        let name: String
        /// Builds the forged r‖s from a genuine one and the curve order.
        let forge: @Sendable (_ genuine: [UInt8], _ order: [UInt8]) -> [UInt8]
        var testDescription: String { "\(algorithm.rawValue): \(name)" }
    }

    static let rangeCases: [RangeCase] = ecdsaAlgorithms.flatMap { algorithm -> [RangeCase] in
        [
            RangeCase(algorithm: algorithm, name: "r = s = 0 (psychic signature, CVE-2022-21449)") { genuine, _ in [UInt8](repeating: 0, count: genuine.count) },
            RangeCase(algorithm: algorithm, name: "r = 0") { genuine, _ in [UInt8](repeating: 0, count: genuine.count / 2) + genuine[(genuine.count / 2)...] },
            RangeCase(algorithm: algorithm, name: "s = 0") { genuine, _ in Array(genuine[..<(genuine.count / 2)]) + [UInt8](repeating: 0, count: genuine.count / 2) },
            RangeCase(algorithm: algorithm, name: "r = n") { genuine, order in order + genuine[(genuine.count / 2)...] },
            RangeCase(algorithm: algorithm, name: "s = n") { genuine, order in Array(genuine[..<(genuine.count / 2)]) + order },
            RangeCase(algorithm: algorithm, name: "s = n + 1") { genuine, order in Array(genuine[..<(genuine.count / 2)]) + plusOne(order) },
            RangeCase(algorithm: algorithm, name: "r = s = n") { _, order in order + order },
            RangeCase(algorithm: algorithm, name: "s all ones") { genuine, _ in Array(genuine[..<(genuine.count / 2)]) + [UInt8](repeating: 0xFF, count: genuine.count / 2) },
            RangeCase(algorithm: algorithm, name: "r = n with low bits of the genuine r set") { genuine, order in
                // r + n would not fit in the curve's width; n with extra low bits is still ≥ n.
                var r = order
                r[r.count - 1] |= genuine[genuine.count / 2 - 1]
                return r + genuine[(genuine.count / 2)...]
            },
        ]
    }

    @Test("ECDSA r and s must lie in [1, n-1]", arguments: rangeCases)
    func ecdsaRange(_ vector: RangeCase) throws {
        let key = try SigningKey.generate(vector.algorithm, kid: "k")
        let verifier = PolicyFixtures.verifier([key.verificationKey])
        let token = try key.sign(claims: PolicyFixtures.validClaims())
        #expect(throws: Never.self) { try verifier.verify(token) }
        let genuine = try Base64URL.decode(PolicyFixtures.parts(token)[2])
        let order = Self.order(vector.algorithm)
        #expect(order.count * 2 == genuine.count)
        let forged = vector.forge(genuine, order)
        #expect(forged.count == genuine.count)
        let error = expectFailure(.badSignature) { try verifier.verify(PolicyFixtures.resigned(token, with: forged)) }
        #expect(error?.message.contains("r or s is zero or not below the curve order") == true, "message: \(error?.message ?? "-")")
        // The primitive refuses it too.
        let input = Array(PolicyFixtures.parts(token)[0...1].joined(separator: ".").utf8)
        expectFailure(.badSignature) { try key.verificationKey.verifySignature(forged, over: input, algorithm: vector.algorithm) }
    }

    @Test("an ECDSA signature in DER instead of r‖s is refused", arguments: ecdsaAlgorithms)
    func ecdsaDER(_ algorithm: Algorithm) throws {
        let key = try SigningKey.generate(algorithm, kid: "k")
        let verifier = PolicyFixtures.verifier([key.verificationKey])
        let token = try key.sign(claims: PolicyFixtures.validClaims())
        let der = Self.der(fromRaw: try Base64URL.decode(PolicyFixtures.parts(token)[2]))
        #expect(der.first == 0x30)
        let error = expectFailure(.badSignature) { try verifier.verify(PolicyFixtures.resigned(token, with: der)) }
        #expect(error?.message.contains("DER encoding is not JWS") == true, "message: \(error?.message ?? "-")")
    }

    static let ecdsaLengths: [Vector<Int>] = [
        Vector("1 byte", 1, .badSignature),
        Vector("32 bytes (r only)", 32, .badSignature),
        Vector("63 bytes", 63, .badSignature),
        Vector("65 bytes", 65, .badSignature),
        Vector("96 bytes (an ES384 length)", 96, .badSignature),
        Vector("128 bytes", 128, .badSignature),
    ]

    @Test("an ES256 signature of the wrong length is refused", arguments: ecdsaLengths)
    func ecdsaLength(_ vector: Vector<Int>) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try key.sign(claims: PolicyFixtures.validClaims())
        let genuine = try Base64URL.decode(PolicyFixtures.parts(token)[2])
        // Truncated or padded genuine bytes, so only the length is wrong.
        let signature = vector.input <= genuine.count ? Array(genuine.prefix(vector.input)) : genuine + [UInt8](repeating: 1, count: vector.input - genuine.count)
        let error = expectFailure(vector.code) { try verifier.verify(PolicyFixtures.resigned(token, with: signature)) }
        #expect(error?.message.contains("r‖s of 64 bytes, found \(vector.input)") == true, "message: \(error?.message ?? "-")")
    }

    @Test("swapping r and s breaks the signature")
    func ecdsaSwapped() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try key.sign(claims: PolicyFixtures.validClaims())
        let genuine = try Base64URL.decode(PolicyFixtures.parts(token)[2])
        expectFailure(.badSignature) { try verifier.verify(PolicyFixtures.resigned(token, with: Array(genuine[32...] + genuine[..<32]))) }
    }

    static let rsaLengths: [Vector<Int>] = [
        Vector("1 byte", 1, .badSignature),
        Vector("255 bytes (leading byte dropped)", 255, .badSignature),
        Vector("257 bytes (a zero prepended)", 257, .badSignature),
        Vector("384 bytes (a 3072-bit length)", 384, .badSignature),
        Vector("512 bytes", 512, .badSignature),
    ]

    @Test("an RSA signature must be exactly as long as the modulus", arguments: rsaLengths)
    func rsaLength(_ vector: Vector<Int>) throws {
        let rsa = try PolicyFixtures.rs256.get()
        let pem = try #require(rsa.privateKeyPEM)
        for signer in [rsa, try SigningKey(pem: pem, algorithm: .ps256, kid: "rsa-1")] {
            let verifier = PolicyFixtures.verifier([try VerificationKey(pem: try #require(rsa.verificationKey.pem), kid: "rsa-1")])
            let token = try signer.sign(claims: PolicyFixtures.validClaims())
            #expect(throws: Never.self) { try verifier.verify(token) }
            let genuine = try Base64URL.decode(PolicyFixtures.parts(token)[2])
            let signature: [UInt8]
            switch vector.input {
            case 255: signature = Array(genuine.dropFirst())
            case 257: signature = [0] + genuine
            default: signature = [UInt8](repeating: 0x5A, count: vector.input)
            }
            let error = expectFailure(vector.code) { try verifier.verify(PolicyFixtures.resigned(token, with: signature)) }
            #expect(error?.message.contains("a 2048-bit key has 256 bytes, found \(vector.input)") == true, "message: \(error?.message ?? "-")")
        }
    }

    @Test("an EdDSA signature of the wrong length is refused", arguments: [Algorithm.eddsa, .ed448])
    func eddsaLength(_ algorithm: Algorithm) throws {
        let key = try SigningKey.generate(algorithm, kid: "ed")
        let verifier = PolicyFixtures.verifier([key.verificationKey])
        let token = try key.sign(claims: PolicyFixtures.validClaims())
        let genuine = try Base64URL.decode(PolicyFixtures.parts(token)[2])
        for signature in [Array(genuine.dropLast()), genuine + [0], Array(genuine.prefix(32))] {
            expectFailure(.badSignature) { try verifier.verify(PolicyFixtures.resigned(token, with: signature)) }
        }
        // All zeros of the right length is well-formed and simply wrong.
        expectFailure(.badSignature) { try verifier.verify(PolicyFixtures.resigned(token, with: [UInt8](repeating: 0, count: genuine.count))) }
    }

    @Test("a truncated or extended HMAC tag is refused", arguments: [Algorithm.hs256, .hs384, .hs512])
    func hmacLength(_ algorithm: Algorithm) throws {
        let key = try SigningKey.generate(algorithm, kid: "h")
        let verifier = PolicyFixtures.verifier([key.verificationKey], algorithms: [algorithm])
        let token = try key.sign(claims: PolicyFixtures.validClaims())
        let genuine = try Base64URL.decode(PolicyFixtures.parts(token)[2])
        for signature in [Array(genuine.prefix(16)), Array(genuine.dropLast()), genuine + [0], [0]] {
            expectFailure(.badSignature) { try verifier.verify(PolicyFixtures.resigned(token, with: signature)) }
        }
    }
}
