import LayabAuth
import Testing

@Suite("Policy: exp, nbf and iat with leeway and an injected clock")
struct TimeClaimPolicyTests {
    static let now = PolicyFixtures.now

    /// A claim at `offset` seconds from now, and the outcome with the default 30 s leeway (nil: accepted).
    struct Boundary: Sendable, CustomTestStringConvertible {
        let claim: String
        let offset: Double
        let leeway: Double
        let code: LayabAuthError.Code?
        var testDescription: String {
            "\(claim) = now\(offset < 0 ? "" : "+")\(JSONValue.number(offset).jsonText)s, leeway \(Int(leeway))s → \(code?.rawValue ?? "accepted")"
        }
    }

    static let boundaries: [Boundary] = [
        Boundary(claim: "exp", offset: 3600, leeway: 30, code: nil),
        Boundary(claim: "exp", offset: 1, leeway: 30, code: nil),
        Boundary(claim: "exp", offset: 0, leeway: 30, code: nil),
        Boundary(claim: "exp", offset: -29, leeway: 30, code: nil),
        Boundary(claim: "exp", offset: -29.5, leeway: 30, code: nil),
        Boundary(claim: "exp", offset: -30, leeway: 30, code: .expired),
        Boundary(claim: "exp", offset: -30.5, leeway: 30, code: .expired),
        Boundary(claim: "exp", offset: -31, leeway: 30, code: .expired),
        Boundary(claim: "exp", offset: -86_400, leeway: 30, code: .expired),
        Boundary(claim: "exp", offset: 0, leeway: 0, code: .expired),
        Boundary(claim: "exp", offset: 0.5, leeway: 0, code: nil),
        Boundary(claim: "exp", offset: -0.5, leeway: 0, code: .expired),
        Boundary(claim: "exp", offset: -299, leeway: 300, code: nil),
        Boundary(claim: "exp", offset: -300, leeway: 300, code: .expired),
        Boundary(claim: "nbf", offset: -3600, leeway: 30, code: nil),
        Boundary(claim: "nbf", offset: 0, leeway: 30, code: nil),
        Boundary(claim: "nbf", offset: 30, leeway: 30, code: nil),
        Boundary(claim: "nbf", offset: 30.5, leeway: 30, code: .notYetValid),
        Boundary(claim: "nbf", offset: 31, leeway: 30, code: .notYetValid),
        Boundary(claim: "nbf", offset: 3600, leeway: 30, code: .notYetValid),
        Boundary(claim: "nbf", offset: 0, leeway: 0, code: nil),
        Boundary(claim: "nbf", offset: 0.5, leeway: 0, code: .notYetValid),
        Boundary(claim: "iat", offset: -86_400, leeway: 30, code: nil),
        Boundary(claim: "iat", offset: 0, leeway: 30, code: nil),
        Boundary(claim: "iat", offset: 30, leeway: 30, code: nil),
        Boundary(claim: "iat", offset: 30.5, leeway: 30, code: .issuedInFuture),
        Boundary(claim: "iat", offset: 31, leeway: 30, code: .issuedInFuture),
        Boundary(claim: "iat", offset: 1, leeway: 0, code: .issuedInFuture),
    ]

    static func date(_ offset: Double) -> JSONValue {
        offset == offset.rounded() ? .integer(PolicyFixtures.nowSeconds + Int64(offset)) : .number(now + offset)
    }

    @Test("time claims at and around their boundaries", arguments: boundaries)
    func boundary(_ vector: Boundary) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup { $0.leeway = vector.leeway }
        var claims = PolicyFixtures.validClaims()
        claims[vector.claim] = Self.date(vector.offset)
        let token = try key.sign(claims: claims)
        if let code = vector.code {
            expectFailure(code) { try verifier.verify(token) }
            #expect(verifier.report(token).checks.first { $0.claim == vector.claim }?.error?.code == code)
        } else {
            #expect(throws: Never.self) { try verifier.verify(token) }
        }
    }

    @Test("the clock is the configuration's, never the wall clock")
    func injectedClock() throws {
        let key = try PolicyFixtures.es256.get()
        // Expired for decades by the wall clock, valid at the injected instant.
        let token = try key.sign(claims: ["exp": 1_000_000_100, "nbf": 1_000_000_000])
        let then = PolicyFixtures.verifier([key.verificationKey]) { $0.clock = { 1_000_000_050 } }
        #expect(throws: Never.self) { try then.verify(token) }
        let later = PolicyFixtures.verifier([key.verificationKey]) { $0.clock = { 1_000_000_200 } }
        expectFailure(.expired) { try later.verify(token) }
        let earlier = PolicyFixtures.verifier([key.verificationKey]) { $0.clock = { 999_999_900 } }
        expectFailure(.notYetValid) { try earlier.verify(token) }
    }

    static let acceptedForms: [(String, String)] = [
        ("an integer", "1800000300"),
        ("a fraction", "1800000300.25"),
        ("an exponent", "1.8000003e9"),
        ("an exponent with a sign", "18000003E+2"),
        ("a fraction of zero", "1800000300.0"),
    ]

    @Test("NumericDate accepts integers and fractions", arguments: acceptedForms)
    func numericDateForms(_ name: String, _ text: String) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try PolicyFixtures.forge(header: "{\"alg\":\"ES256\"}", payload: "{\"exp\":\(text)}", signedBy: key)
        let verified = try verifier.verify(token)
        #expect(abs((verified.claims.expiresAt ?? 0) - 1_800_000_300) < 1)
    }

    static let badDates: [Vector<String>] = [
        Vector("a string of digits", "\"1800000300\"", .invalidClaim),
        Vector("an ISO 8601 string", "\"2027-01-15T08:05:00Z\"", .invalidClaim),
        Vector("true", "true", .invalidClaim),
        Vector("false", "false", .invalidClaim),
        Vector("null", "null", .invalidClaim),
        Vector("an array", "[1800000300]", .invalidClaim),
        Vector("an object", "{\"seconds\":1800000300}", .invalidClaim),
        Vector("10^11 seconds", "100000000000", .invalidClaim),
        Vector("-10^11 seconds", "-100000000000", .invalidClaim),
        Vector("Int64.max", "9223372036854775807", .invalidClaim),
        Vector("beyond Int64", "92233720368547758070", .invalidClaim),
        Vector("1e300", "1e300", .invalidClaim),
        Vector("-1e300", "-1e300", .invalidClaim),
    ]

    @Test("NumericDate refuses what is not a reasonable number of seconds", arguments: badDates)
    func badNumericDate(_ vector: Vector<String>) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup { $0.requiredClaims = [] }
        for claim in ["exp", "nbf", "iat"] {
            let token = try PolicyFixtures.forge(header: "{\"alg\":\"ES256\"}", payload: "{\"\(claim)\":\(vector.input)}", signedBy: key)
            let error = expectFailure(vector.code) { try verifier.verify(token) }
            #expect(error?.message.contains("\"\(claim)\"") == true, "message: \(error?.message ?? "-")")
            #expect(verifier.report(token).checks.first { $0.claim == claim }?.error?.code == vector.code)
        }
    }

    @Test("exp is required by default")
    func expRequired() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try key.sign(claims: ["sub": "alice"])
        let error = expectFailure(.missingClaim) { try verifier.verify(token) }
        #expect(error?.message.contains("\"exp\" is missing") == true)
        #expect(VerifierConfiguration().requiredClaims == ["exp"])
        let relaxed = PolicyFixtures.verifier([key.verificationKey]) { $0.requiredClaims = [] }
        #expect(throws: Never.self) { try relaxed.verify(token) }
    }

    @Test("nbf and iat can be required too", arguments: ["nbf", "iat"])
    func otherTimeClaimsRequired(_ claim: String) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup { $0.requiredClaims = ["exp", claim] }
        let error = expectFailure(.missingClaim) { try verifier.verify(key.sign(claims: PolicyFixtures.validClaims())) }
        #expect(error?.message.contains("\"\(claim)\"") == true)
        var claims = PolicyFixtures.validClaims()
        claims[claim] = .integer(PolicyFixtures.nowSeconds - 10)
        #expect(throws: Never.self) { try verifier.verify(key.sign(claims: claims)) }
    }

    @Test("messages say how long ago or ahead, and the date")
    func messages() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let expired = expectFailure(.expired) {
            try verifier.verify(key.sign(claims: ["exp": .integer(PolicyFixtures.nowSeconds - 3600 - 192)]))
        }
        #expect(expired?.message == "the token expired 1h 3m ago (exp 2027-01-15T06:56:48Z)", "message: \(expired?.message ?? "-")")
        let early = expectFailure(.notYetValid) {
            try verifier.verify(key.sign(claims: PolicyFixtures.validClaims(["nbf": .integer(PolicyFixtures.nowSeconds + 192)])))
        }
        #expect(early?.message == "the token is not valid for another 3m 12s (nbf 2027-01-15T08:03:12Z)", "message: \(early?.message ?? "-")")
        let future = expectFailure(.issuedInFuture) {
            try verifier.verify(key.sign(claims: PolicyFixtures.validClaims(["iat": .integer(PolicyFixtures.nowSeconds + 7200)])))
        }
        #expect(future?.message.contains("2h in the future (iat 2027-01-15T10:00:00Z)") == true, "message: \(future?.message ?? "-")")
    }
}
