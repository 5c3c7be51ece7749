import Foundation
@testable import LayabAuth
import TestSupport
import Testing

/// Issue 13, "a debugger that explains instead of refusing to look": the verdicts stay those of a server,
/// and the report says the one fact a person debugging the token needs (``VerificationReport/hints``,
/// ``VerificationReport/checkingWeakKeys(_:)``).
@Suite("Debugger explanations (issue 13)")
struct DebuggerExplanationTests {
    static let claims: JSONObject = ["sub": "alice", "exp": .integer(Int64(Date().timeIntervalSince1970) + 600)]
    static let hmacConfiguration = VerifierConfiguration(algorithms: [.hs256, .hs384, .hs512])

    /// A token signed by HMAC over `secret`, which `SigningKey` refuses when short: signed here with OpenSSL directly.
    static func hmacToken(secret: [UInt8], algorithm: Algorithm = .hs256, header: JSONObject? = nil) throws -> String {
        let header = header ?? ["alg": .string(algorithm.rawValue), "typ": "JWT"]
        let input = Base64URL.encode(Array(JSONValue.object(header).jsonText.utf8)) + "." + Base64URL.encode(Array(JSONValue.object(claims).jsonText.utf8))
        let mac = try OpenSSLHMACKey(secret: secret, hash: try #require(algorithm.hash))
        let tag = try Array(input.utf8).withUnsafeBytes { try mac.authenticationCode($0) }
        return input + "." + Base64URL.encode(tag)
    }

    static let jwtIOSecret = Array("your-256-bit-secret".utf8)

    @Test("weak_key: an HS256 token made with jwt.io's 19-byte secret matches it, and is refused for its size")
    func weakSecretMatches() throws {
        let token = try Self.hmacToken(secret: Self.jwtIOSecret)
        // A server cannot even hold the secret.
        #expect(throws: LayabAuthError.self) { try VerificationKey(hmacSecret: Self.jwtIOSecret) }
        let weak = try #require(WeakKey.hmacSecret(Self.jwtIOSecret))
        let report = try Verifier(keys: .empty, configuration: Self.hmacConfiguration).report(token).checkingWeakKeys([weak])
        guard case let .invalid(error) = report.signature else { Issue.record("\(report.signature)"); return }
        #expect(error.code == .weakKey)
        #expect(error.message.contains("the HS256 signature matches this 19-byte secret"), "\(error.message)")
        #expect(error.message.contains("refused: RFC 7518 §3.2 requires at least 32 bytes"), "\(error.message)")
        #expect(!report.isValid)
    }

    @Test("weak_key: a wrong signature with a weak secret is plain bad_signature, with the weakness beside it")
    func weakSecretMismatch() throws {
        let token = try Self.hmacToken(secret: Array("another secret, 23 bytes".utf8))
        let weak = try #require(WeakKey.hmacSecret(Self.jwtIOSecret))
        let report = try Verifier(keys: .empty, configuration: Self.hmacConfiguration).report(token).checkingWeakKeys([weak])
        #expect(report.signature.error?.code == .badSignature)
        #expect(report.signature.error?.message.contains("19-byte secret") == true)
        #expect(report.hints == ["this 19-byte secret is refused anyway: RFC 7518 §3.2 requires at least 32 bytes for HS256"])
    }

    @Test("weak_key: a 40-byte secret verifies HS256 and is weak for HS384 only")
    func secretWeakForLongerHashes() throws {
        let secret = Array(repeating: UInt8(ascii: "s"), count: 40)
        let keys = KeySet(keys: [try VerificationKey(hmacSecret: secret)])
        let weak = try #require(WeakKey.hmacSecret(secret))
        let verifier = try Verifier(keys: keys, configuration: Self.hmacConfiguration)
        #expect(verifier.report(try Self.hmacToken(secret: secret)).checkingWeakKeys([weak]).signature.key != nil)
        let report = verifier.report(try Self.hmacToken(secret: secret, algorithm: .hs384)).checkingWeakKeys([weak])
        #expect(report.signature.error?.code == .weakKey)
        #expect(report.signature.error?.message.contains("requires at least 48 bytes for HS384") == true)
    }

    @Test("weak_key: an RSA key of 1024 bits verifies its token and is refused under RFC 7518 §3.3; servers still refuse it")
    func weakRSAKey() throws {
        let signer = try SigningKey.generate(.rs256, kid: "old", rsaBits: 1024)
        let token = try signer.sign(claims: Self.claims)
        let weak = try #require(WeakKey(signer.verificationKey))
        #expect(WeakKey(try SigningKey.generate(.es256).verificationKey) == nil)
        // The verifier alone: no usable key, as before.
        let server = try Verifier(keys: KeySet(keys: [signer.verificationKey])).report(token)
        #expect(server.signature.error?.code == .invalidKey)
        let report = try Verifier(keys: .empty).report(token).checkingWeakKeys([weak])
        #expect(report.signature.error?.code == .weakKey)
        #expect(report.signature.error?.message == "the RS256 signature matches the 1024-bit RSA key \"old\"; refused: RFC 7518 §3.3 requires at least 2048 bits")
        // Another kid: the weak key is not taken for it.
        let other = try SigningKey.generate(.rs256, kid: "new", rsaBits: 1024)
        #expect(try Verifier(keys: .empty).report(try other.sign(claims: Self.claims)).checkingWeakKeys([weak]).signature.error?.code == .keyNotFound)
    }

    /// Three ES256 keys with kids and a token without one.
    static func kidlessSetUp() throws -> (keys: KeySet, signers: [SigningKey]) {
        let signers = try ["k1", "k2", "k3"].map { try SigningKey.generate(.es256, kid: $0) }
        return (KeySet(keys: signers.map(\.verificationKey)), signers)
    }

    static func kidless(_ signer: SigningKey) throws -> String {
        try signer.sign(header: ["alg": "ES256", "typ": "JWT"], payload: Array(JSONValue.object(claims).jsonText.utf8))
    }

    @Test("a token without kid that several keys fit: still key_not_found, and the hint names the key that verifies it")
    func kidlessNamesTheKey() throws {
        let (keys, signers) = try Self.kidlessSetUp()
        let report = try Verifier(keys: keys).report(try Self.kidless(signers[1]))
        #expect(report.signature.error?.code == .keyNotFound)
        let hint = try #require(report.hints.first)
        #expect(hint.contains("key \"k2\""), "\(hint)")
        #expect(hint.contains(signers[1].verificationKey.thumbprint), "\(hint)")
        #expect(hint.contains("the issuer must put \"kid\": \"k2\" in the token's header"), "\(hint)")
        // Not a word of this reaches a client.
        #expect(!(report.signature.error?.errorDescription.contains("k2") ?? true))
    }

    @Test("a token without kid signed by none of the keys: the hint says so")
    func kidlessNoKey() throws {
        let (keys, _) = try Self.kidlessSetUp()
        let report = try Verifier(keys: keys).report(try Self.kidless(try SigningKey.generate(.es256)))
        #expect(report.signature.error?.code == .keyNotFound)
        #expect(report.hints == ["none of the 3 keys that fit ES256 verifies the signature: the token was signed with another key"])
    }

    /// A PS256 token signed by `openssl dgst` with the salt length `saltLength` (`0`, `max`, `digest`).
    static func pssToken(_ signer: SigningKey, saltLength: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("layabauth-pss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let header: JSONObject = ["alg": "PS256", "kid": .string(signer.kid ?? "")]
        let input = Base64URL.encode(Array(JSONValue.object(header).jsonText.utf8)) + "." + Base64URL.encode(Array(JSONValue.object(claims).jsonText.utf8))
        try Data(input.utf8).write(to: directory.appendingPathComponent("input"))
        try Data(try #require(signer.privateKeyPEM).utf8).write(to: directory.appendingPathComponent("key.pem"))
        try OpenSSLCommand.run(["dgst", "-sha256", "-sign", "key.pem", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:\(saltLength)",
                                "-out", "signature", "input"], in: directory)
        return input + "." + Base64URL.encode(Array(try Data(contentsOf: directory.appendingPathComponent("signature"))))
    }

    @Test("RSA-PSS with another salt length: still bad_signature, and the hint names the length found",
          arguments: [("0", 0), ("max", 222), ("20", 20)])
    func pssSaltLength(saltLength: String, bytes: Int) throws {
        let signer = try SigningKey.generate(.ps256, kid: "pss")
        let keys = KeySet(keys: [signer.verificationKey])
        let report = try Verifier(keys: keys).report(try Self.pssToken(signer, saltLength: saltLength))
        #expect(report.signature.error?.code == .badSignature)
        let hint = try #require(report.hints.first)
        #expect(hint.contains("when the salt is \(bytes) bytes long"), "\(hint)")
        #expect(hint.contains("RFC 7518 §3.5 requires a salt as long as the hash (32 bytes)"), "\(hint)")
        // The hash length itself verifies, without a hint; another key's wrong signature gets none.
        #expect(try Verifier(keys: keys).report(try Self.pssToken(signer, saltLength: "digest")).signature.key != nil)
        let stranger = try SigningKey.generate(.ps256, kid: "pss")
        #expect(try Verifier(keys: keys).report(try Self.pssToken(stranger, saltLength: saltLength)).hints.isEmpty)
    }

    @Test("an alg that differs from a registered name only in case: still unsupported_algorithm, and the registered spelling",
          arguments: [("hs256", "HS256"), ("ED25519", "Ed25519"), ("eddsa", "EdDSA"), ("Es256K", "ES256K")])
    func caseVariantAlgorithm(alg: String, registered: String) throws {
        let token = try Self.hmacToken(secret: Self.jwtIOSecret, header: ["alg": .string(alg)])
        let report = try Verifier(keys: .empty).report(token)
        #expect(report.signature.error?.code == .unsupportedAlgorithm)
        #expect(report.hints.count == 1)
        #expect(report.hints.first?.contains("the issuer must send \"\(registered)\"") == true, "\(report.hints)")
    }

    @Test("the case hint folds ASCII letters only: look-alikes and registered names get none",
          arguments: ["ES256\u{212A}", "HS256\u{0301}", "ＨＳ２５６", "HS257", "none", "HS256"])
    func noCaseHint(alg: String) {
        #expect(Algorithm.differingOnlyInCase(from: alg) == nil)
    }
}
