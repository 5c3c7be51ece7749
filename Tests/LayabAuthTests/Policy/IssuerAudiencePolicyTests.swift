import LayabAuth
import Testing

@Suite("Policy: iss, aud and required claims")
struct IssuerAudiencePolicyTests {
    static let issuer = "https://issuer.example/tenant/café"

    static func verify(_ claims: JSONObject, _ adjust: (inout VerifierConfiguration) -> Void) throws -> VerifiedToken {
        let (key, verifier) = try PolicyFixtures.ecSetup(adjust)
        return try verifier.verify(key.sign(claims: PolicyFixtures.validClaims(claims)))
    }

    @Test("the configured issuer is accepted as is")
    func exactIssuer() throws {
        #expect(try Self.verify(["iss": .string(Self.issuer)]) { $0.issuers = [Self.issuer] }.claims.issuer == Self.issuer)
    }

    /// RFC 7519 §2 (StringOrURI) and §4.1.1: compared as case-sensitive strings, without any
    /// transformation or canonicalization.
    static let foreignIssuers: [Vector<String>] = [
        Vector("trailing slash", issuer + "/", .issuerMismatch),
        Vector("missing last character", String(issuer.dropLast()), .issuerMismatch),
        Vector("upper-case host", "https://ISSUER.example/tenant/café", .issuerMismatch),
        Vector("upper-case scheme", "HTTPS://issuer.example/tenant/café", .issuerMismatch),
        Vector("another scheme", "http://issuer.example/tenant/café", .issuerMismatch),
        Vector("a longer host", "https://issuer.example.evil.test/tenant/café", .issuerMismatch),
        Vector("the issuer as a substring", "https://evil.test/?next=" + issuer, .issuerMismatch),
        Vector("the issuer as a prefix", issuer + "/../other", .issuerMismatch),
        Vector("a leading space", " " + issuer, .issuerMismatch),
        Vector("a trailing space", issuer + " ", .issuerMismatch),
        Vector("a trailing NUL", issuer + "\u{0}", .issuerMismatch),
        Vector("a default port", "https://issuer.example:443/tenant/café", .issuerMismatch),
        Vector("percent-encoded", "https://issuer.example/tenant/caf%C3%A9", .issuerMismatch),
        Vector("decomposed é (canonically equivalent, other code points)", "https://issuer.example/tenant/cafe\u{301}", .issuerMismatch),
        Vector("empty", "", .issuerMismatch),
    ]

    @Test("iss must equal a configured issuer exactly", arguments: foreignIssuers)
    func foreignIssuer(_ vector: Vector<String>) {
        let error = expectFailure(vector.code) { try Self.verify(["iss": .string(vector.input)]) { $0.issuers = [Self.issuer] } }
        #expect(error?.message.contains("expected \"\(Self.issuer)\"") == true, "message: \(error?.message ?? "-")")
    }

    @Test("the Kelvin sign is not the letter K")
    func kelvinIssuer() {
        expectFailure(.issuerMismatch) { try Self.verify(["iss": "https://\u{212A}eycloak.example"]) { $0.issuers = ["https://Keycloak.example"] } }
    }

    @Test("any of several issuers is accepted, others are not")
    func severalIssuers() throws {
        let issuers = ["https://a.example", "https://b.example"]
        #expect(try Self.verify(["iss": "https://b.example"]) { $0.issuers = issuers }.claims.issuer == "https://b.example")
        #expect(try Self.verify(["iss": "https://a.example"]) { $0.issuers = issuers }.claims.issuer == "https://a.example")
        let error = expectFailure(.issuerMismatch) { try Self.verify(["iss": "https://c.example"]) { $0.issuers = issuers } }
        #expect(error?.message == "the issuer is \"https://c.example\", expected \"https://a.example\" or \"https://b.example\"", "message: \(error?.message ?? "-")")
    }

    static let badIssuerTypes: [Vector<JSONValue>] = [
        Vector("a number", 42, .invalidClaim),
        Vector("an array holding the issuer", [.string(issuer)], .invalidClaim),
        Vector("null", nil, .invalidClaim),
        Vector("an object", ["iss": .string(issuer)], .invalidClaim),
        Vector("a boolean", true, .invalidClaim),
    ]

    @Test("iss must be a string", arguments: badIssuerTypes)
    func issuerType(_ vector: Vector<JSONValue>) {
        expectFailure(vector.code) { try Self.verify(["iss": vector.input]) { $0.issuers = [Self.issuer] } }
    }

    @Test("iss is required once issuers are configured")
    func issuerRequired() throws {
        let error = expectFailure(.missingClaim) { try Self.verify([:]) { $0.issuers = [Self.issuer] } }
        #expect(error?.message.contains("\"iss\"") == true)
        // Without configured issuers it is not checked.
        #expect(try Self.verify(["iss": "https://anyone.example"]) { _ in }.claims.issuer == "https://anyone.example")
    }

    // MARK: Audience

    static let acceptedAudiences: [(String, JSONValue)] = [
        ("a string", "api"),
        ("an array holding it", ["api"]),
        ("an array holding it among others", ["other", "api", "third"]),
        ("the second configured audience", "admin-api"),
        ("an array with the second configured audience", ["x", "admin-api"]),
    ]

    @Test("aud is a string or an array containing a configured audience", arguments: acceptedAudiences)
    func acceptedAudience(_ name: String, _ aud: JSONValue) throws {
        #expect(throws: Never.self) { try Self.verify(["aud": aud]) { $0.audiences = ["api", "admin-api"] } }
    }

    static let badAudiences: [Vector<JSONValue>] = [
        Vector("another audience", "other", .audienceMismatch),
        Vector("different case", "API", .audienceMismatch),
        Vector("a prefix", "ap", .audienceMismatch),
        Vector("an extension", "api2", .audienceMismatch),
        Vector("a trailing space", "api ", .audienceMismatch),
        Vector("a space-separated list", "other api", .audienceMismatch),
        Vector("an array of others", ["other", "third"], .audienceMismatch),
        Vector("an empty array", [], .audienceMismatch),
        Vector("an empty string", "", .audienceMismatch),
        Vector("decomposed é", "caf\u{65}\u{301}", .audienceMismatch),
        Vector("a nested array", [["api"]], .invalidClaim),
        Vector("an array with a number", ["api", 1], .invalidClaim),
        Vector("an array with null", ["api", nil], .invalidClaim),
        Vector("an array with an object", ["api", ["aud": "api"]], .invalidClaim),
        Vector("a number", 1, .invalidClaim),
        Vector("null", nil, .invalidClaim),
        Vector("an object", ["api": true], .invalidClaim),
        Vector("true", true, .invalidClaim),
    ]

    @Test("aud mismatches and malformed aud are refused", arguments: badAudiences)
    func badAudience(_ vector: Vector<JSONValue>) {
        let error = expectFailure(vector.code) { try Self.verify(["aud": vector.input]) { $0.audiences = ["api", "café"] } }
        if vector.code == .audienceMismatch {
            #expect(error?.message.contains("expected \"api\" or \"café\"") == true, "message: \(error?.message ?? "-")")
        }
    }

    @Test("malformed aud is refused even when no audience is configured")
    func malformedAudienceUnconfigured() {
        expectFailure(.invalidClaim) { try Self.verify(["aud": [["api"]]]) { _ in } }
    }

    @Test("aud is required once audiences are configured")
    func audienceRequired() {
        let error = expectFailure(.missingClaim) { try Self.verify([:]) { $0.audiences = ["api"] } }
        #expect(error?.message.contains("\"aud\"") == true)
    }

    @Test("the audience message lists what was found")
    func audienceMessage() {
        let error = expectFailure(.audienceMismatch) { try Self.verify(["aud": ["web", "mobile"]]) { $0.audiences = ["api"] } }
        #expect(error?.message == "the audience is \"web\", \"mobile\", expected \"api\"", "message: \(error?.message ?? "-")")
    }

    // MARK: sub and jti

    static let badStringClaims: [Vector<JSONValue>] = [
        Vector("a number", 42, .invalidClaim),
        Vector("an array holding a string", ["alice"], .invalidClaim),
        Vector("an object", ["id": "alice"], .invalidClaim),
        Vector("null", nil, .invalidClaim),
        Vector("a boolean", false, .invalidClaim),
    ]

    /// RFC 7519 §4.1.2 and §4.1.7: `sub` is a StringOrURI and `jti` a string; another type is refused
    /// whether or not the claim is required, so an accepted token's subject is always text.
    @Test("sub and jti must be strings when present", arguments: ["sub", "jti"], badStringClaims)
    func stringClaimType(_ name: String, _ vector: Vector<JSONValue>) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup { _ in }
        let token = try key.sign(claims: PolicyFixtures.validClaims([name: vector.input]))
        let error = expectFailure(vector.code) { try verifier.verify(token) }
        #expect(error?.message.hasPrefix("\"\(name)\" must be a string, found ") == true, "message: \(error?.message ?? "-")")
        let failing = verifier.report(token).checks.filter { !$0.passed }
        #expect(failing.map(\.claim) == [name])
        #expect(failing.first?.error == error)
    }

    @Test("a required sub of another type is invalid, not missing")
    func requiredStringClaimType() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup { $0.requiredClaims = ["exp", "sub"] }
        let token = try key.sign(claims: PolicyFixtures.validClaims(["sub": 7]))
        let error = expectFailure(.invalidClaim) { try verifier.verify(token) }
        #expect(error?.message == "\"sub\" must be a string, found a number", "message: \(error?.message ?? "-")")
        #expect(verifier.report(token).checks.filter { $0.claim == "sub" }.map(\.error) == [error])
        #expect(throws: Never.self) { try verifier.verify(key.sign(claims: PolicyFixtures.validClaims(["sub": "7"]))) }
    }

    /// Required claims are checked in their configured order, a wrong type included, by `verify` as by the
    /// report; a `jti` of the wrong type that is not required comes before them.
    static let orderCases: [([String], JSONObject, [String], LayabAuthError.Code)] = [
        (["azp", "sub"], ["sub": 7], ["azp", "sub"], .missingClaim),
        (["sub", "azp"], ["sub": 7], ["sub", "azp"], .invalidClaim),
        (["azp", "sub"], ["sub": 7, "jti": ["x"]], ["jti", "azp", "sub"], .invalidClaim),
    ]

    @Test("verify fails on the report's first failing check", arguments: orderCases)
    func stringClaimOrder(_ required: [String], _ extra: JSONObject, _ failing: [String], _ code: LayabAuthError.Code) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup { $0.requiredClaims = ["exp"] + required }
        let token = try key.sign(claims: PolicyFixtures.validClaims(extra))
        let report = verifier.report(token)
        guard let error = expectFailure(code, { try verifier.verify(token) }) else { return }
        #expect(report.errors.first == error, "report lists \(report.errors.map(\.message))")
        #expect(report.checks.filter { !$0.passed }.map(\.claim) == failing)
    }

    // MARK: Required claims

    @Test("configured required claims must be present", arguments: [["sub"], ["jti"], ["sub", "jti", "azp"]])
    func requiredClaims(_ required: [String]) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup { $0.requiredClaims = ["exp"] + required }
        let token = try key.sign(claims: ["exp": .integer(PolicyFixtures.nowSeconds + 60)])
        let error = expectFailure(.missingClaim) { try verifier.verify(token) }
        #expect(error?.message == "the required claim \"\(required[0])\" is missing")
        let failing = verifier.report(token).checks.compactMap(\.error)
        #expect(failing.count == required.count)
        #expect(failing.allSatisfy { $0.code == .missingClaim })
        var complete = PolicyFixtures.validClaims()
        for name in required { complete[name] = "present" }
        #expect(throws: Never.self) { try verifier.verify(key.sign(claims: complete)) }
    }
}
