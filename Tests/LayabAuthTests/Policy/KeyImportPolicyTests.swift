import Foundation
import LayabAuth
import LayabAuthTesting
import TestSupport
import Testing

@Suite("Policy: importing keys (size, curve, JWK Sets, thumbprints, PEM, certificates)")
struct KeyImportPolicyTests {
    static func claims() -> JSONObject { PolicyFixtures.validClaims() }

    // MARK: RSA size

    @Test("RSA keys under 2048 bits are refused, unless the policy lowers the minimum")
    func rsaMinimumFromPEM() throws {
        let weak = try PolicyFixtures.rsa1024.get()
        let pem = try #require(weak.verificationKey.pem)
        let error = expectFailure(.invalidKey) { try VerificationKey(pem: pem) }
        #expect(error?.message.contains("the RSA key has 1024 bits, at least 2048 are required") == true, "message: \(error?.message ?? "-")")
        let lowered = try VerificationKey(pem: pem, kid: "rsa-weak", policy: KeyPolicy(minimumRSABits: 1024))
        #expect(lowered.bits == 1024)
        let verifier = PolicyFixtures.verifier([lowered]) { $0.keyPolicy = KeyPolicy(minimumRSABits: 1024) }
        #expect(throws: Never.self) { try verifier.verify(weak.sign(claims: Self.claims())) }

        let rsa = try PolicyFixtures.rs256.get()
        let standard = try #require(rsa.verificationKey.pem)
        #expect(throws: Never.self) { try VerificationKey(pem: standard) }
        expectFailure(.invalidKey) { try VerificationKey(pem: standard, policy: KeyPolicy(minimumRSABits: 3072)) }
    }

    @Test("RSA JWKs under 2048 bits are refused")
    func rsaMinimumFromJWK() throws {
        let weak = try PolicyFixtures.rsa1024.get()
        do {
            _ = try VerificationKey(jwk: weak.verificationKey.publicJWK, policy: KeyPolicy(minimumRSABits: 1024))
            let error = expectFailure(.invalidKey) { try VerificationKey(jwk: weak.verificationKey.publicJWK) }
            #expect(error?.message.contains("1024 bits") == true, "message: \(error?.message ?? "-")")
        }
    }

    // MARK: HMAC secret size (RFC 7518 §3.2)

    static let shortSecrets: [Vector<(length: Int, algorithm: Algorithm?)>] = [
        Vector("empty secret", (0, nil), .invalidKey),
        Vector("16 bytes", (16, nil), .invalidKey),
        Vector("31 bytes", (31, nil), .invalidKey),
        Vector("31 bytes for HS256", (31, .hs256), .invalidKey),
        Vector("32 bytes for HS384", (32, .hs384), .invalidKey),
        Vector("47 bytes for HS384", (47, .hs384), .invalidKey),
        Vector("48 bytes for HS512", (48, .hs512), .invalidKey),
        Vector("63 bytes for HS512", (63, .hs512), .invalidKey),
    ]

    @Test("an HMAC secret shorter than the hash is refused", arguments: shortSecrets)
    func shortHMACSecret(_ vector: Vector<(length: Int, algorithm: Algorithm?)>) {
        let secret = [UInt8](repeating: 0x42, count: vector.input.length)
        let error = expectFailure(vector.code) { try VerificationKey(hmacSecret: secret, algorithm: vector.input.algorithm) }
        #expect(error?.message.contains("RFC 7518 §3.2") == true)
        if let algorithm = vector.input.algorithm {
            expectFailure(vector.code) { try SigningKey(hmacSecret: secret, algorithm: algorithm) }
        }
        var jwk: JSONObject = ["kty": "oct", "k": .string(Base64URL.encode(secret))]
        if let algorithm = vector.input.algorithm { jwk["alg"] = .string(algorithm.rawValue) }
        expectFailure(vector.code) { try VerificationKey(jwk: jwk, origin: .configured) }
    }

    @Test("a secret long enough for HS256 only cannot verify HS384 or HS512", arguments: [Algorithm.hs384, .hs512])
    func secretTooShortForTheToken(_ algorithm: Algorithm) throws {
        let secret = [UInt8](repeating: 0x42, count: 32)
        let key = try VerificationKey(hmacSecret: secret, kid: "h")
        let signer = try SigningKey(hmacSecret: [UInt8](repeating: 0x42, count: 64), algorithm: algorithm, kid: "h")
        let verifier = PolicyFixtures.verifier([key], algorithms: [.hs256, .hs384, .hs512])
        let error = expectFailure(.invalidKey) { try verifier.verify(signer.sign(claims: Self.claims())) }
        #expect(error?.message.contains("the secret has 32 bytes, \(algorithm.rawValue) needs at least") == true, "message: \(error?.message ?? "-")")
        #expect(throws: Never.self) { try SigningKey(hmacSecret: secret, algorithm: .hs256) }
    }

    // MARK: EC points

    @Test("an EC public key whose point is not on the curve is refused (DER)")
    func pointNotOnCurveDER() throws {
        let ec = try PolicyFixtures.es256.get()
        var der = KeySelectionPolicyTests.pemBody(try #require(ec.verificationKey.pem))
        #expect(der.count == 91)
        #expect(throws: Never.self) { try VerificationKey(subjectPublicKeyInfo: der) }
        der[der.count - 1] ^= 0x01
        expectFailure(.invalidKey) { try VerificationKey(subjectPublicKeyInfo: der) }
    }

    static let offCurve: [(Algorithm, String)] = [Algorithm.es256, .es384, .es512, .es256k].flatMap { [($0, "y"), ($0, "x")] }

    @Test("an EC JWK whose point is not on the curve is refused", arguments: offCurve)
    func pointNotOnCurveJWK(_ algorithm: Algorithm, _ coordinate: String) throws {
        let key = try SigningKey.generate(algorithm).verificationKey
        var jwk = key.publicJWK
        var bytes = try Base64URL.decode(try #require(jwk[coordinate]?.stringValue))
        bytes[bytes.count - 1] ^= 0x01
        jwk[coordinate] = .string(Base64URL.encode(bytes))
        _ = try VerificationKey(jwk: key.publicJWK)
        let error = expectFailure(.invalidKey) { try VerificationKey(jwk: jwk) }
        let curve = try #require(key.curve)
        #expect(error?.message.contains("not on \(curve.rawValue)") == true, "message: \(error?.message ?? "-")")
    }

    static let badCoordinates: [Vector<JSONObject>] = [
        Vector("x of 33 bytes", ["x": .string(Base64URL.encode([UInt8](repeating: 1, count: 33)))], .invalidKey),
        Vector("y of 33 bytes", ["y": .string(Base64URL.encode([UInt8](repeating: 1, count: 33)))], .invalidKey),
        Vector("unknown curve", ["crv": "P-192"], .invalidKey),
        Vector("an Edwards curve", ["crv": "Ed25519"], .invalidKey),
        Vector("y missing", ["y": nil], .invalidKey),
        Vector("x padded base64", ["x": "AAAA="], .invalidKey),
        Vector("kty missing", ["kty": nil], .invalidKey),
        Vector("kty unknown", ["kty": "DSA"], .invalidKey),
        Vector("kid a number", ["kid": 7], .invalidKey),
        Vector("alg none", ["alg": "none"], .invalidKey),
    ]

    @Test("malformed EC JWKs are refused before OpenSSL sees them", arguments: badCoordinates)
    func badECMembers(_ vector: Vector<JSONObject>) throws {
        let ec = try PolicyFixtures.es256.get()
        var jwk = ec.verificationKey.publicJWK
        for member in vector.input { jwk[member.name] = member.value == .null ? JSONValue?.none : member.value }
        let error = expectFailure(vector.code) { try VerificationKey(jwk: jwk) }
        #expect(error?.message.contains("importing the EC key failed") == false, "refused for its members, not by OpenSSL: \(error?.message ?? "-")")
    }

    // MARK: JWK Sets

    @Test("a JWK Set keeps its good keys and lists the skipped ones with their reasons")
    func partialKeySet() throws {
        let ec = try PolicyFixtures.es256.get()
        let rsa = try PolicyFixtures.rs256.get()
        let weak = try PolicyFixtures.rsa1024.get()
        var offCurve = ec.verificationKey.publicJWK
        offCurve["kid"] = "off-curve"
        offCurve["y"] = .string(Base64URL.encode([UInt8](repeating: 1, count: 32)))
        var encryption = ec.verificationKey.publicJWK
        encryption["kid"] = "enc"
        encryption["use"] = "enc"
        let members: [JSONValue] = [
            .object(ec.verificationKey.publicJWK),
            .object(weak.verificationKey.publicJWK),
            .object(offCurve),
            ["kty": "oct", "kid": "shared", "k": .string(Base64URL.encode([UInt8](repeating: 1, count: 32)))],
            .object(encryption),
            "not a key",
            ["kty": "DSA", "kid": "dsa"],
            .object(rsa.verificationKey.publicJWK),
        ]
        do {
            _ = try VerificationKey(jwk: ec.verificationKey.publicJWK)
            _ = try VerificationKey(jwk: rsa.verificationKey.publicJWK)
            let set = try KeySet(jwksJSON: JSONValue.object(["keys": .array(members)]).jsonText)
            #expect(set.keys.compactMap(\.kid) == ["ec-1", "rsa-1"])
            let reasons = Dictionary(uniqueKeysWithValues: set.skipped.map { ($0.index, $0.reason) })
            #expect(set.skipped.map(\.index) == [1, 2, 3, 4, 5, 6])
            #expect(reasons[1]?.contains("1024 bits") == true)
            #expect(reasons[2]?.contains("not on P-256") == true)
            #expect(reasons[3]?.contains("never trusted for HMAC") == true)
            #expect(reasons[4]?.contains("use is \"enc\"") == true)
            #expect(reasons[5]?.contains("not a JSON object") == true)
            #expect(reasons[6]?.contains("unsupported key type \"DSA\"") == true)
            #expect(set.skipped.first { $0.index == 1 }?.kid == "rsa-weak")
            // The good keys still verify.
            let verifier = try Verifier(keys: set, configuration: PolicyFixtures.configuration())
            #expect(throws: Never.self) { try verifier.verify(ec.sign(claims: Self.claims())) }
            #expect(throws: Never.self) { try verifier.verify(rsa.sign(claims: Self.claims())) }
        }
    }

    static let unusableDocuments: [Vector<String>] = [
        Vector("not JSON", "keys", .invalidKey),
        Vector("an array", "[]", .invalidKey),
        Vector("no keys member", "{\"issuer\":\"x\"}", .invalidKey),
        Vector("keys not an array", "{\"keys\":{}}", .invalidKey),
        Vector("duplicate keys member", "{\"keys\":[],\"keys\":[]}", .invalidKey),
    ]

    @Test("an unusable JWK Set document is refused as a whole", arguments: unusableDocuments)
    func unusableDocument(_ vector: Vector<String>) {
        expectFailure(vector.code) { try KeySet(jwksJSON: vector.input) }
    }

    // MARK: RFC 7638 thumbprint

    /// RFC 7638 §3.1 (the RFC 7517 Appendix A.1 key).
    static let rfc7638JWK = """
        {"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}
        """
    /// The same key as a PEM SubjectPublicKeyInfo.
    static let rfc7638PEM = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0vx7agoebGcQSuuPiLJX
        ZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tS
        oc/BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ/2W+5JsGY4Hc5n9yBXArwl93lqt
        7/RN5w6Cf0h4QyQ5v+65YGjQR0/FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0
        zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt+bFTWhAI4vMQFh6WeZu0f
        M4lFd2NcRwr3XPksINHaQ+G/xBniIqbw0Ls1jF44+csFCur+kEgU8awapJzKnqDK
        gwIDAQAB
        -----END PUBLIC KEY-----

        """
    static let rfc7638Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"

    @Test("the RFC 7638 §3.1 example key has thumbprint NzbLsXh8…")
    func thumbprintOfTheExampleKey() throws {
        let fromPEM = try VerificationKey(pem: Self.rfc7638PEM, kid: "2011-04-29", algorithm: .rs256)
        #expect(fromPEM.thumbprint == Self.rfc7638Thumbprint)
        do {
            let fromJWK = try VerificationKey(jwkJSON: Self.rfc7638JWK)
            #expect(fromJWK.thumbprint == Self.rfc7638Thumbprint)
            // Optional members and their order do not change the thumbprint.
            var reordered = JSONObject()
            for member in fromJWK.publicJWK.members.reversed() { reordered[member.name] = member.value }
            reordered["use"] = "sig"
            #expect(try VerificationKey(jwk: reordered).thumbprint == Self.rfc7638Thumbprint)
        }
    }

    /// Known answers for the other key types: RFC 8037 §A.3 states the Ed25519 one; the P-521 one, for the
    /// RFC 7520 §3.1 key, was computed apart with Python's hashlib over the RFC 7638 canonical members.
    static let thumbprints: [(jwk: String, thumbprint: String)] = [
        (#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"),
        (#"{"kty":"EC","kid":"bilbo.baggins@hobbiton.example","use":"sig","crv":"P-521","x":"AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt","y":"AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1"}"#,
         "dHri3SADZkrush5HU_50AoRhcKFryN-PI6jPBtPL55M"),
    ]

    @Test("EC and OKP thumbprints match their known answers", arguments: thumbprints)
    func thumbprintKnownAnswers(_ jwk: String, _ thumbprint: String) throws {
        #expect(try VerificationKey(jwkJSON: jwk).thumbprint == thumbprint)
    }

    // MARK: PEM

    @Test("a PEM public key verifies the tokens of its private key")
    func pemPublicKey() throws {
        for signer in [try PolicyFixtures.es256.get(), try PolicyFixtures.rs256.get()] {
            let key = try VerificationKey(pem: try #require(signer.verificationKey.pem), kid: signer.kid)
            #expect(key.thumbprint == signer.verificationKey.thumbprint)
            let verifier = PolicyFixtures.verifier([key])
            #expect(throws: Never.self) { try verifier.verify(signer.sign(claims: Self.claims())) }
        }
    }

    @Test("a PEM private key is imported as its public half only")
    func pemPrivateKey() throws {
        let key = try VerificationKey(pem: TestCertificate.privateKeyPEM)
        #expect(key.pem?.contains("BEGIN PUBLIC KEY") == true)
        #expect(key.publicJWK["d"] == nil)
        #expect(key.bits == 2048)
    }

    static let badPEMs: [Vector<String>] = [
        Vector("empty", "", .invalidKey),
        Vector("no PEM block", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", .invalidKey),
        Vector("truncated public key", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEF\n-----END PUBLIC KEY-----\n", .invalidKey),
        Vector("certificate with garbage", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", .invalidKey),
        Vector("a certificate request", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", .invalidKey),
    ]

    @Test("unreadable PEM is invalid_key", arguments: badPEMs)
    func badPEM(_ vector: Vector<String>) {
        expectFailure(vector.code) { try VerificationKey(pem: vector.input) }
    }

    // MARK: Certificates

    @Test("a PEM certificate yields its public key and subject")
    func pemCertificate() throws {
        let key = try VerificationKey(pem: TestCertificate.certificatePEM, kid: "cert")
        #expect(key.keyType == .rsa)
        #expect(key.certificate?.subject.contains("CN=\(TestCertificate.subjectCommonName)") == true)
        #expect(key.certificate?.notAfter ?? 0 > PolicyFixtures.now)
        let signer = try SigningKey(pem: TestCertificate.privateKeyPEM, algorithm: .rs256, kid: "cert")
        let verifier = PolicyFixtures.verifier([key])
        #expect(throws: Never.self) { try verifier.verify(signer.sign(claims: Self.claims())) }
        // Another key's token is refused by the certificate's key.
        let other = try PolicyFixtures.rs256.get()
        expectFailure(.badSignature) { try verifier.verify(other.sign(claims: Self.claims(), extraHeader: ["kid": "cert"])) }
    }

    /// The certificate's key as a JWK (n and e exported by OpenSSL from the PEM).
    static func certificateJWK() throws -> JSONObject {
        var jwk = try VerificationKey(pem: TestCertificate.certificatePEM, kid: "cert").publicJWK
        jwk["x5c"] = [.string(TestCertificate.x5cValue)]
        return jwk
    }

    @Test("x5c in a JWK must hold the JWK's own key")
    func x5cAgreement() throws {
        let agreeing = try Self.certificateJWK()
        var disagreeing = agreeing
        let other = try PolicyFixtures.rs256.get()
        disagreeing["n"] = other.verificationKey.publicJWK["n"]
        do {
            let key = try VerificationKey(jwk: agreeing)
            #expect(key.certificate?.subject.contains(TestCertificate.subjectCommonName) == true)
            let signer = try SigningKey(pem: TestCertificate.privateKeyPEM, algorithm: .rs256, kid: "cert")
            #expect(throws: Never.self) { try PolicyFixtures.verifier([key]).verify(signer.sign(claims: Self.claims())) }
            _ = try VerificationKey(jwk: other.verificationKey.publicJWK)
            let error = expectFailure(.invalidKey) { try VerificationKey(jwk: disagreeing) }
            #expect(error?.message.contains("the key in \"x5c\" differs from the JWK's own key members") == true, "message: \(error?.message ?? "-")")
            var alone = agreeing
            alone["n"] = nil
            alone["e"] = nil
            let refused = expectFailure(.invalidKey) { try VerificationKey(jwk: alone) }
            #expect(refused?.message.contains("\"n\" is missing (the key members are required beside x5c") == true, "message: \(refused?.message ?? "-")")
        }
    }

    @Test("x5c in an EC or OKP JWK must hold the JWK's own key", arguments: [
        (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"], Algorithm.es256, ["x", "y"]),
        (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp384r1"], Algorithm.es384, ["x", "y"]),
        (["-newkey", "ed25519"], Algorithm.eddsa, ["x"]),
    ])
    func x5cAgreementOtherFamilies(_ newKey: [String], _ algorithm: Algorithm, _ replaced: [String]) throws {
        let (certificatePEM, privatePEM) = try OpenSSLCommand.selfSignedCertificate(newKey)
        let signer = try SigningKey(pem: privatePEM, algorithm: algorithm, kid: "cert")
        var agreeing = try VerificationKey(pem: certificatePEM, kid: "cert").publicJWK
        agreeing["x5c"] = [.string(OpenSSLCommand.derBase64(certificatePEM))]
        let key = try VerificationKey(jwk: agreeing)
        #expect(key.certificate?.subject.contains("LayabAuth x5c test") == true)
        #expect(throws: Never.self) { try PolicyFixtures.verifier([key]).verify(signer.sign(claims: Self.claims())) }
        let other = try SigningKey.generate(algorithm).verificationKey.publicJWK
        var disagreeing = agreeing
        for name in replaced { disagreeing[name] = other[name] }
        let error = expectFailure(.invalidKey) { try VerificationKey(jwk: disagreeing) }
        #expect(error?.message.contains("the key in \"x5c\" differs from the JWK's own key members") == true, "message: \(error?.message ?? "-")")
    }

    static let badX5C: [Vector<JSONValue>] = [
        Vector("empty chain", [], .invalidKey),
        Vector("not an array", .string(TestCertificate.x5cValue), .invalidKey),
        Vector("base64url instead of base64", [.string(TestCertificate.x5cValue.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))], .invalidKey),
        Vector("not a certificate", [.string(Data("hello".utf8).base64EncodedString())], .invalidKey),
        Vector("a certificate with trailing data", [.string(Data((Data(base64Encoded: TestCertificate.x5cValue) ?? Data()) + [0, 0, 0]).base64EncodedString())], .invalidKey),
        Vector("a number inside", [1], .invalidKey),
    ]

    @Test("an unusable x5c makes the JWK unusable", arguments: badX5C)
    func unusableX5C(_ vector: Vector<JSONValue>) throws {
        var jwk = try Self.certificateJWK()
        jwk["x5c"] = vector.input
        let error = expectFailure(vector.code) { try VerificationKey(jwk: jwk) }
        #expect(error?.message.contains("x5c") == true, "message: \(error?.message ?? "-")")
    }
}
