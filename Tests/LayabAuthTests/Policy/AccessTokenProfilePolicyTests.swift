import LayabAuth
import Testing

@Suite("Policy: required typ and the JWT access-token profile (RFC 9068)")
struct AccessTokenProfilePolicyTests {
    static let now = PolicyFixtures.nowSeconds

    /// Claims that satisfy RFC 9068 §2.2.
    static let profileClaims: JSONObject = [
        "iss": "https://issuer.example", "exp": .integer(now + 300), "aud": "api", "sub": "alice",
        "client_id": "app-1", "iat": .integer(now - 10), "jti": "id-1", "scope": "read",
    ]

    /// The claims of an OpenID Connect ID token.
    static let idTokenClaims: JSONObject = [
        "iss": "https://issuer.example", "exp": .integer(now + 300), "aud": "app-1", "sub": "alice",
        "iat": .integer(now - 10), "nonce": "n-0S6", "azp": "app-1",
    ]

    static func token(typ: String?, _ claims: JSONObject = profileClaims) throws -> String {
        let key = try PolicyFixtures.es256.get()
        var header: JSONObject = ["alg": "ES256", "kid": "ec-1"]
        if let typ { header["typ"] = .string(typ) }
        return try key.sign(header: header, payload: Array(JSONValue.object(claims).jsonText.utf8))
    }

    @Test("typ is compared as a media type: ASCII case and the application/ prefix do not matter", arguments: [
        ("at+jwt", "at+jwt"), ("AT+JWT", "at+jwt"), ("application/at+jwt", "at+jwt"), ("at+jwt", "application/at+jwt"),
        ("Application/AT+JWT", "AT+jwt"), ("application/at+jwt", "Application/At+Jwt"),
    ])
    func typeAccepted(_ found: String, _ required: String) throws {
        let (_, verifier) = try PolicyFixtures.ecSetup { $0.requiredTypes = [required] }
        let token = try verifier.verify(Self.token(typ: found))
        #expect(token.header?.type == found)
        let report = verifier.report(try Self.token(typ: found))
        #expect(report.checks.first?.claim == "typ")
        #expect(report.checks.first?.passed == true)
    }

    @Test("a typ that is another type, or only looks like the required one, is refused", arguments: [
        "JWT", "jwt", "at+jwt ", "application/application/at+jwt", "text/at+jwt", "at-jwt", "at+jwt\u{0}",
        // U+212A KELVIN SIGN folds to "k" in Unicode, not in ASCII.
        "\u{212A}+jwt", "at+jw\u{0074}\u{0301}",
    ])
    func typeRefused(_ found: String) throws {
        let (_, verifier) = try PolicyFixtures.ecSetup { $0.requiredTypes = [found.hasPrefix("\u{212A}") ? "k+jwt" : "at+jwt"] }
        let error = expectFailure(.wrongTokenType) { try verifier.verify(Self.token(typ: found)) }
        #expect(error?.message.hasPrefix("the token's typ is \"") == true, "\(error?.message ?? "")")
        #expect(error?.httpStatus == 401)
        #expect(error?.oauthError == "invalid_token")
    }

    @Test("a missing typ fails when types are required, and is not checked otherwise")
    func missingType() throws {
        let (_, required) = try PolicyFixtures.ecSetup { $0.requiredTypes = ["at+jwt", "application/custom+jwt"] }
        let error = expectFailure(.wrongTokenType) { try required.verify(Self.token(typ: nil)) }
        #expect(error?.message == #"the token has no typ, expected "at+jwt" or "application/custom+jwt""#)
        #expect(error?.clientMessage == "the token has no typ, which is required here")
        _ = try required.verify(Self.token(typ: "custom+JWT"))

        let (_, relaxed) = try PolicyFixtures.ecSetup()
        #expect(VerifierConfiguration().requiredTypes.isEmpty)
        _ = try relaxed.verify(Self.token(typ: nil))
        _ = try relaxed.verify(Self.token(typ: "JWT"))
        #expect(relaxed.report(try Self.token(typ: "JWT")).checks.map(\.claim) == ["exp", "nbf", "iat", "iss", "aud"])
    }

    @Test("an ID token presented as an access token is named as one", arguments: [
        ("JWT", idTokenClaims),
        (nil, idTokenClaims),
        // No nonce, but azp and auth_time and no scope or client_id.
        ("JWT", ["iss": "https://issuer.example", "exp": .integer(now + 300), "sub": "alice", "azp": "app-1", "auth_time": .integer(now - 60)]),
        // at_hash marks an ID token whatever its typ.
        ("id_token+jwt", ["exp": .integer(now + 300), "sub": "alice", "at_hash": "77QmUPtjPfzWtF2AnpK9RQ"]),
    ] as [(String?, JSONObject)])
    func idToken(_ typ: String?, _ claims: JSONObject) throws {
        let (_, verifier) = try PolicyFixtures.ecSetup { $0.requireAccessTokenProfile() }
        let error = expectFailure(.wrongTokenType) { try verifier.verify(Self.token(typ: typ, claims)) }
        let found = typ.map { "the token's typ is \"\($0)\"" } ?? "the token has no typ"
        #expect(error?.message == found + #", expected "at+jwt": this looks like an OpenID Connect ID token, which is not an access token (RFC 9068 §2.1)"#)
        #expect(error?.clientMessage?.contains("this looks like an OpenID Connect ID token") == true)
        #expect(error?.clientMessage?.contains("at+jwt") == false, "the client is not told the configuration: \(error?.clientMessage ?? "")")
    }

    @Test("a plain JWT access token with azp and a scope is not called an ID token")
    func plainAccessToken() throws {
        let (_, verifier) = try PolicyFixtures.ecSetup { $0.requiredTypes = ["at+jwt"] }
        var claims = Self.profileClaims
        claims["azp"] = "app-1"
        let error = expectFailure(.wrongTokenType) { try verifier.verify(Self.token(typ: "JWT", claims)) }
        #expect(error?.message == #"the token's typ is "JWT", expected "at+jwt""#)
        #expect(error?.clientMessage == #"the token's typ "JWT" is not accepted here"#)
    }

    @Test("verify stops at typ first; report lists it as the check named typ, then every other failure")
    func typeFirst() throws {
        let (_, verifier) = try PolicyFixtures.ecSetup { $0.requireAccessTokenProfile() }
        let token = try Self.token(typ: "JWT", ["exp": .integer(Self.now - 3600), "sub": "alice"])
        expectFailure(.wrongTokenType) { try verifier.verify(token) }
        let report = verifier.report(token)
        #expect(report.errors.map(\.code) == [.wrongTokenType, .expired, .missingClaim, .missingClaim, .missingClaim, .missingClaim, .missingClaim])
        #expect(report.checks.map(\.claim) == ["typ", "exp", "nbf", "iat", "iss", "aud", "sub", "client_id", "jti"])
        #expect(report.errors.first?.message == #"the token's typ is "JWT", expected "at+jwt""#)
    }

    @Test("requiring the profile sets typ and adds its claims in order, without duplicates")
    func profileConfiguration() throws {
        var configuration = VerifierConfiguration(requiredClaims: ["exp", "sub", "tid"], requiredTypes: ["JWT"])
        configuration.requireAccessTokenProfile()
        configuration.requireAccessTokenProfile()
        #expect(configuration.requiredTypes == ["at+jwt"])
        #expect(configuration.requiredClaims == ["exp", "sub", "tid", "iss", "aud", "client_id", "iat", "jti"])
        #expect(VerifierConfiguration().requiringAccessTokenProfile().requiredClaims == ["exp", "iss", "aud", "sub", "client_id", "iat", "jti"])

        let (_, verifier) = try PolicyFixtures.ecSetup { $0.requireAccessTokenProfile() }
        let accepted = try verifier.verify(Self.token(typ: "application/at+jwt"))
        #expect(accepted.clientID == "app-1")
        for claim in AccessTokenProfile.requiredClaims {
            var claims = Self.profileClaims
            claims[claim] = nil
            let error = expectFailure(.missingClaim) { try verifier.verify(Self.token(typ: "at+jwt", claims)) }
            #expect(error?.message == "the required claim \"\(claim)\" is missing")
        }
    }

    @Test("every decoded token's report says whether it satisfies RFC 9068, and why not, whatever is configured")
    func conformance() throws {
        let (_, verifier) = try PolicyFixtures.ecSetup()
        let good = try #require(verifier.report(Self.token(typ: "AT+JWT")).accessTokenProfile)
        #expect(good.isSatisfied)
        #expect(good.reasons.isEmpty)
        #expect(good.summary == "yes")

        let idToken = try #require(verifier.report(Self.token(typ: "JWT", Self.idTokenClaims)).accessTokenProfile)
        #expect(!idToken.isSatisfied)
        #expect(idToken.reasons == [#"typ is "JWT", not "at+jwt""#, "no client_id", "no jti"])
        #expect(idToken.summary == #"no (typ is "JWT", not "at+jwt"; no client_id; no jti)"#)

        let wrongTypes: JSONObject = ["iss": 1, "exp": "soon", "aud": [1], "sub": "alice", "client_id": ["a"], "iat": .integer(Self.now), "jti": true]
        let typed = try #require(verifier.report(Self.token(typ: nil, wrongTypes)).accessTokenProfile)
        #expect(typed.reasons == ["no typ", "iss not a string", "exp not a number", "aud not a string or an array of strings",
                                  "client_id not a string", "jti not a string"])

        // Decoded but refused before any key (alg none), or a payload that is no claims set: still evaluated.
        let none = PolicyFixtures.unsigned(header: #"{"alg":"none","typ":"at+jwt"}"#, payload: "[1]", signature: [])
        let refused = try #require(verifier.report(none).accessTokenProfile)
        #expect(refused.reasons == [#"alg is "none""#, "the payload is not a claims set"])
        // Nothing to evaluate in what is no token.
        #expect(verifier.report("not a token").accessTokenProfile == nil)
    }

    @Test("an empty required type is refused as a configuration, not matched against an empty typ")
    func emptyType() throws {
        let error = expectFailure(.invalidConfiguration) {
            try Verifier(keys: KeySet(keys: []), configuration: VerifierConfiguration(requiredTypes: ["at+jwt", ""]))
        }
        #expect(error?.message.hasPrefix("requiredTypes holds an empty type") == true)
        let (_, verifier) = try PolicyFixtures.ecSetup { $0.requiredTypes = [""] }
        expectFailure(.invalidConfiguration) { try verifier.verify(Self.token(typ: "")) }
    }

    @Test("client_id is exposed when it is a string")
    func clientID() throws {
        let (_, verifier) = try PolicyFixtures.ecSetup()
        #expect(try verifier.verify(Self.token(typ: "at+jwt")).clientID == "app-1")
        #expect(try verifier.verify(Self.token(typ: "at+jwt", PolicyFixtures.validClaims())).clientID == nil)
        #expect(try verifier.verify(Self.token(typ: "at+jwt", PolicyFixtures.validClaims(["client_id": 7]))).clientID == nil)
    }
}
