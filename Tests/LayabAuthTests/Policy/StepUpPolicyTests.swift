import LayabAuth
import Testing

@Suite("Policy: step-up authentication (RFC 9470)")
struct StepUpPolicyTests {
    static let now = PolicyFixtures.now
    static let mfa = AuthenticationRequirement(acceptedACRs: ["urn:example:mfa", "urn:example:hwk"])

    static func claims(_ members: JSONObject) -> Claims { Claims(members) }

    static let acceptedACRs: [(String, JSONObject)] = [
        ("the first accepted value", ["acr": "urn:example:mfa"]),
        ("the second accepted value", ["acr": "urn:example:hwk"]),
    ]

    @Test("an accepted acr passes", arguments: acceptedACRs)
    func acrAccepted(_ name: String, _ members: JSONObject) throws {
        let evaluation = Self.mfa.evaluate(Self.claims(members), now: Self.now, leeway: 0)
        #expect(evaluation.isSatisfied)
        #expect(evaluation.error == nil)
        #expect(evaluation.checks.map(\.claim) == ["acr"])
        try Self.mfa.check(Self.claims(members), now: Self.now, leeway: 0)
    }

    static let refusedACRs: [(String, JSONObject, String)] = [
        ("another acr", ["acr": "urn:example:pwd"], "acr \"urn:example:pwd\" is not one of \"urn:example:mfa\", \"urn:example:hwk\""),
        ("no acr", [:], "the token has no \"acr\" claim; accepted: \"urn:example:mfa\", \"urn:example:hwk\""),
        ("acr as a number", ["acr": 2], "\"acr\" must be a string, found a number; accepted: \"urn:example:mfa\", \"urn:example:hwk\""),
        ("acr as an array", ["acr": ["urn:example:mfa"]], "\"acr\" must be a string, found an array; accepted: \"urn:example:mfa\", \"urn:example:hwk\""),
        ("a case variant", ["acr": "URN:example:mfa"], "acr \"URN:example:mfa\" is not one of \"urn:example:mfa\", \"urn:example:hwk\""),
        // Compared byte for byte: the Kelvin sign is not K although Swift's == says so.
        ("a canonically equivalent spelling", ["acr": "urn:example:\u{212A}"], "acr \"urn:example:\u{212A}\" is not one of \"urn:example:K\""),
    ]

    @Test("an acr that is not accepted is insufficient_user_authentication", arguments: refusedACRs)
    func acrRefused(_ name: String, _ members: JSONObject, _ message: String) {
        let requirement = name == "a canonically equivalent spelling" ? AuthenticationRequirement.acr("urn:example:K") : Self.mfa
        let evaluation = requirement.evaluate(Self.claims(members), now: Self.now, leeway: 0)
        #expect(!evaluation.isSatisfied)
        #expect(evaluation.error?.code == .insufficientUserAuthentication)
        #expect(evaluation.error?.message.hasPrefix(message) == true, "\(evaluation.error?.message ?? "-")")
        #expect(evaluation.error?.acrValues == requirement.acrValues)
        let thrown = expectFailure(.insufficientUserAuthentication) { try requirement.check(Self.claims(members), now: Self.now, leeway: 0) }
        #expect(thrown == evaluation.error)
    }

    static let ages: [(String, auth: JSONValue?, leeway: Double, passes: Bool)] = [
        ("just now", .integer(Int64(PolicyFixtures.now)), 0, true),
        ("exactly max_age ago", .integer(Int64(PolicyFixtures.now) - 300), 0, true),
        ("a second too old", .integer(Int64(PolicyFixtures.now) - 301), 0, false),
        ("too old but within the leeway", .integer(Int64(PolicyFixtures.now) - 320), 30, true),
        ("too old beyond the leeway", .integer(Int64(PolicyFixtures.now) - 331), 30, false),
        ("a fractional auth_time", .number(PolicyFixtures.now - 299.5), 0, true),
        ("missing auth_time", nil, 0, false),
        ("auth_time as a string", .string("1800000000"), 0, false),
        ("auth_time beyond the range of dates", .number(1e12), 0, false),
    ]

    @Test("max_age against auth_time, with the leeway", arguments: ages)
    func maxAge(_ name: String, _ authTime: JSONValue?, _ leeway: Double, _ passes: Bool) {
        var members: JSONObject = [:]
        if let authTime { members["auth_time"] = authTime }
        let requirement = AuthenticationRequirement.maxAge(300)
        let evaluation = requirement.evaluate(Self.claims(members), now: Self.now, leeway: leeway)
        #expect(evaluation.isSatisfied == passes)
        #expect(evaluation.checks.map(\.claim) == ["auth_time"])
        if passes {
            #expect(evaluation.error == nil)
        } else {
            #expect(evaluation.error?.code == .insufficientUserAuthentication)
            #expect(evaluation.error?.maxAge == 300)
            #expect(evaluation.error?.message.contains("max_age 300 s") == true)
        }
    }

    @Test("the messages name what the token had")
    func messages() {
        let old = Self.claims(["auth_time": .integer(Int64(Self.now) - 7200)])
        let error = AuthenticationRequirement.maxAge(300).evaluate(old, now: Self.now, leeway: 30).error
        #expect(error?.message == "authenticated 2h ago, more than max_age 300 s (leeway 30 s)")
        // The leeway is the server's configuration, not part of what RFC 9470 tells the client.
        #expect(error?.clientMessage == "authenticated 2h ago, more than max_age 300 s")
        let missing = AuthenticationRequirement.maxAge(300).evaluate(Self.claims([:]), now: Self.now, leeway: 0).error
        #expect(missing?.message == "the token has no \"auth_time\" claim, needed for max_age 300 s")
        let text = AuthenticationRequirement.maxAge(300).evaluate(Self.claims(["auth_time": "yesterday"]), now: Self.now, leeway: 0).error
        #expect(text?.message == "\"auth_time\" must be a NumericDate (a JSON number of seconds), found a string, needed for max_age 300 s")
        let passed = AuthenticationRequirement.maxAge(300).evaluate(Self.claims(["auth_time": .integer(Int64(Self.now) - 90)]), now: Self.now, leeway: 0)
        #expect(passed.authenticatedAt == Self.now - 90)
        guard case let .passed(description)? = passed.checks.first?.outcome else { Issue.record("not passed"); return }
        #expect(description.hasPrefix("authenticated 1m 30s ago"))
    }

    @Test("acr and max_age together: the acr failure comes first, both parameters are carried")
    func both() {
        let requirement = AuthenticationRequirement(acceptedACRs: ["urn:example:mfa"], maxAge: 600)
        let claims = Self.claims(["acr": "urn:example:pwd", "auth_time": .integer(Int64(Self.now) - 3600)])
        let evaluation = requirement.evaluate(claims, now: Self.now, leeway: 0)
        #expect(evaluation.checks.map(\.claim) == ["acr", "auth_time"])
        #expect(evaluation.checks.allSatisfy { !$0.passed })
        #expect(evaluation.acr == "urn:example:pwd")
        #expect(evaluation.error?.message == "acr \"urn:example:pwd\" is not one of \"urn:example:mfa\"")
        #expect(evaluation.error?.acrValues == "urn:example:mfa")
        #expect(evaluation.error?.maxAge == 600)
    }

    @Test("an unusable max_age is invalid_configuration, never a pass", arguments: [Double.nan, -1, .infinity])
    func invalidMaxAge(_ maxAge: Double) {
        let claims = Self.claims(["auth_time": .integer(Int64(Self.now))])
        let error = expectFailure(.invalidConfiguration) { try AuthenticationRequirement.maxAge(maxAge).check(claims, now: Self.now, leeway: 0) }
        #expect(error?.httpStatus == 500)
    }

    @Test("WWW-Authenticate carries acr_values and max_age (RFC 9470 §3)")
    func challenge() {
        let requirement = AuthenticationRequirement(acceptedACRs: ["urn:example:mfa", "urn:example:hwk"], maxAge: 300)
        let error = requirement.evaluate(Self.claims(["acr": "urn:example:pwd", "auth_time": .integer(Int64(Self.now))]), now: Self.now, leeway: 0).error
        #expect(error?.wwwAuthenticate(realm: "api") == """
            Bearer realm="api", error="insufficient_user_authentication", \
            error_description="acr 'urn:example:pwd' is not one of 'urn:example:mfa', 'urn:example:hwk'", \
            acr_values="urn:example:mfa urn:example:hwk", max_age="300"
            """)
        let answer = error?.challenge(realm: "api")
        #expect(answer?.status == 401)
        #expect(answer?.headers.first?.name == "WWW-Authenticate")
        #expect(answer?.headers.first?.value == error?.wwwAuthenticate(realm: "api"))
        #expect(answer?.body.contains("\"error\":\"insufficient_user_authentication\"") == true, "\(answer?.body ?? "-")")
    }

    @Test("acr_values in the header are quoted-safe, as scope is")
    func quotedSafe() {
        let error = LayabAuthError(.insufficientUserAuthentication, "m", acrValues: "a\"b\\c\u{7}d", maxAge: nil)
        #expect(error.wwwAuthenticate() == "Bearer error=\"insufficient_user_authentication\", error_description=\"m\", acr_values=\"abcd\"")
        // Only max_age: no acr_values attribute.
        #expect(LayabAuthError(.insufficientUserAuthentication, "m", maxAge: 60).wwwAuthenticate() ==
            "Bearer error=\"insufficient_user_authentication\", error_description=\"m\", max_age=\"60\"")
        // Other codes never carry them.
        #expect(!LayabAuthError(.expired, "m", acrValues: "x", maxAge: 1).wwwAuthenticate().contains("acr_values"))
    }

    @Test("a report checks the requirement after the scopes; verify and check agree")
    func report() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try key.sign(claims: PolicyFixtures.validClaims(["acr": "urn:example:pwd", "scope": "read"]))
        let report = verifier.report(token, requiring: .all("write"), authentication: Self.mfa)
        #expect(report.errors.map(\.code) == [.insufficientScope, .insufficientUserAuthentication])
        #expect(report.authentication?.acr == "urn:example:pwd")
        #expect(report.authentication?.checks.map(\.claim) == ["acr"])
        #expect(verifier.report(token).authentication == nil)
        #expect(verifier.report(token).isValid)

        let verified = try verifier.verify(token)
        let error = expectFailure(.insufficientUserAuthentication) { try verified.check(Self.mfa, configuration: verifier.configuration) }
        #expect(error == report.authentication?.error)
        let good = try verifier.verify(key.sign(claims: PolicyFixtures.validClaims(["acr": "urn:example:hwk", "auth_time": .integer(Int64(Self.now) - 10)])))
        try good.check(AuthenticationRequirement(acceptedACRs: ["urn:example:hwk"], maxAge: 60), now: Self.now, leeway: 0)
    }
}
