import LayabAuth
import Testing

/// Issue 13, "Bounded, configurable answers to clients": a 401 told any client the configured audience and
/// issuer, the known kids, the key that was tried and the size of the HMAC secret. By default a client is now
/// told the failed check and what its token carried; the whole message stays in `message` (the log, the
/// inspector, the CLI) and goes to clients only with `disclosure: .full`.
@Suite("Regression: what a refused client is told of the server")
struct DisclosureTests {
    static let now = 1_800_000_000.0

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// Server-side facts the whole message names and a default answer must not.
        let secrets: [String]
        let error: @Sendable () throws -> LayabAuthError
        var testDescription: String { name }
    }

    static func refusal(keys: [VerificationKey], _ adjust: @Sendable (inout VerifierConfiguration) -> Void = { _ in },
                        token: () throws -> String) throws -> LayabAuthError
    {
        var configuration = VerifierConfiguration(algorithms: Set(Algorithm.allCases), clock: { now })
        adjust(&configuration)
        let verifier = try Verifier(keys: KeySet(keys: keys), configuration: configuration)
        let token = try token()
        do { _ = try verifier.verify(token) } catch { return error }
        throw LayabAuthError(.malformed, "the token was accepted")
    }

    static let cases: [Case] = [
        Case(name: "audience mismatch", secrets: ["orders-api"]) {
            let key = try SigningKey.generate(.es256, kid: "k1")
            return try refusal(keys: [key.verificationKey], { $0.audiences = ["orders-api"] }) {
                try key.sign(claims: ["aud": "other-api", "exp": .integer(Int64(now + 60))])
            }
        },
        Case(name: "issuer mismatch", secrets: ["idp.internal"]) {
            let key = try SigningKey.generate(.es256, kid: "k1")
            return try refusal(keys: [key.verificationKey], { $0.issuers = ["https://idp.internal"] }) {
                try key.sign(claims: ["iss": "https://attacker.example", "exp": .integer(Int64(now + 60))])
            }
        },
        Case(name: "unknown kid", secrets: ["inventory-key-7", "known:"]) {
            let key = try SigningKey.generate(.es256, kid: "inventory-key-7")
            let other = try SigningKey.generate(.es256, kid: "k-other")
            return try refusal(keys: [key.verificationKey]) { try other.sign(claims: ["exp": .integer(Int64(now + 60))]) }
        },
        Case(name: "algorithm not allowed", secrets: ["allowed:", "ES384"]) {
            let key = try SigningKey.generate(.es256, kid: "k1")
            return try refusal(keys: [key.verificationKey], { $0.algorithms = [.es384] }) { try key.sign(claims: ["exp": .integer(Int64(now + 60))]) }
        },
        Case(name: "bad signature", secrets: ["P-256", "inventory-key-7"]) {
            let key = try SigningKey.generate(.es256, kid: "inventory-key-7")
            let other = try SigningKey.generate(.es256, kid: "inventory-key-7")
            return try refusal(keys: [key.verificationKey]) { try other.sign(claims: ["exp": .integer(Int64(now + 60))]) }
        },
        Case(name: "HMAC secret too short for the algorithm", secrets: ["32 bytes", "bytes"]) {
            let secret = [UInt8](repeating: 7, count: 32)
            let verification = try VerificationKey(hmacSecret: secret, kid: "h1")
            let signer = try SigningKey(hmacSecret: secret + secret, algorithm: .hs512, kid: "h1")
            return try refusal(keys: [verification]) { try signer.sign(claims: ["exp": .integer(Int64(now + 60))]) }
        },
        Case(name: "RSA key under the minimum", secrets: ["1024", "minimumRSABits"]) {
            let signer = try SigningKey.generate(.rs256, kid: "old", rsaBits: 1024)
            return try refusal(keys: [signer.verificationKey]) { try signer.sign(claims: ["exp": .integer(Int64(now + 60))]) }
        },
    ]

    @Test("the default answer names the failed check, not the server's configuration or keys; .full names both", arguments: cases)
    func disclosure(_ testCase: Case) throws {
        let error = try testCase.error()
        let limited = error.challenge(realm: "api")
        let full = error.challenge(realm: "api", disclosure: .full)
        let limitedHeader = limited.headers.first { $0.name == "WWW-Authenticate" }?.value ?? ""
        let fullHeader = full.headers.first { $0.name == "WWW-Authenticate" }?.value ?? ""
        #expect(error.clientMessage != nil, "\(error)")
        #expect(limitedHeader.contains(#"error="invalid_token""#), "\(limitedHeader)")
        for secret in testCase.secrets {
            #expect(error.message.contains(secret), "the whole message names \(secret): \(error.message)")
            #expect(!limited.body.contains(secret), "\(limited.body)")
            #expect(!limitedHeader.contains(secret), "\(limitedHeader)")
        }
        #expect(testCase.secrets.contains { fullHeader.contains($0) && full.body.contains($0) }, "\(full.body)")
        #expect(error.errorDescription == error.errorDescription(.limited))
    }

    @Test("an error that says nothing of the server reads the same under both disclosures")
    func tokenOnlyErrors() {
        let expired = LayabAuthError(.expired, "the token expired 5m ago (exp 2027-01-15T07:55:00Z)")
        #expect(expired.challenge() == expired.challenge(disclosure: .full))
        #expect(expired.disclosedMessage(.limited) == expired.message)
        // A retry keeps what the client may be told.
        let retried = LayabAuthError(.keyNotFound, "no key has kid \"a\" (known: \"b\")", clientMessage: "no key has kid \"a\"").retrying(after: 3)
        #expect(retried.clientMessage == "no key has kid \"a\"")
    }
}
