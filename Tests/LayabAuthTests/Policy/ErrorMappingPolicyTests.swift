import LayabAuth
import Testing

@Suite("Policy: RFC 6750 error mapping")
struct ErrorMappingPolicyTests {
    /// Status and `error` attribute of every code.
    static func expected(_ code: LayabAuthError.Code) -> (status: Int, error: String?) {
        switch code {
        case .missingToken: (401, nil)
        case .invalidRequest: (400, "invalid_request")
        // An oversized credential is refused before it is read as a token: a malformed request (§3.1).
        case .tokenTooLarge: (400, "invalid_request")
        case .insufficientScope: (403, "insufficient_scope")
        // RFC 9470 §3: the client must authenticate the user again, so 401 with its own error code.
        case .insufficientUserAuthentication: (401, "insufficient_user_authentication")
        case .jwksUnavailable, .introspectionUnavailable, .replayStoreUnavailable: (503, nil)
        // RFC 9449 §7: the proof's own error codes, 401 like the token's.
        case .invalidDPoPProof: (401, "invalid_dpop_proof")
        case .useDPoPNonce: (401, "use_dpop_nonce")
        case .signingFailed, .invalidConfiguration: (500, nil)
        case .malformed, .encryptedTokenUnsupported, .unsupportedAlgorithm, .algorithmNotAllowed, .keyNotFound, .invalidKey,
             .badSignature, .unsupportedCriticalHeader, .expired, .notYetValid, .issuedInFuture, .issuerMismatch,
             .audienceMismatch, .missingClaim, .invalidClaim, .weakKey, .wrongTokenType, .inactiveToken, .bindingMismatch:
            (401, "invalid_token")
        }
    }

    @Test("each code has its status and error attribute", arguments: LayabAuthError.Code.allCases)
    func mapping(_ code: LayabAuthError.Code) {
        let error = LayabAuthError(code, "message")
        let (status, oauthError) = Self.expected(code)
        #expect(error.httpStatus == status)
        #expect(error.oauthError == oauthError)
        let header = error.wwwAuthenticate(realm: "api")
        #expect(header.hasPrefix("Bearer realm=\"api\""))
        if let oauthError {
            #expect(header.contains(", error=\"\(oauthError)\", error_description=\"message\""), "header: \(header)")
        } else {
            #expect(!header.contains("error="), "header: \(header)")
        }
    }

    @Test("a 503 or 500 body says what happened to the request, never the key source's address or answer", arguments: [
        LayabAuthError.Code.jwksUnavailable, .introspectionUnavailable, .replayStoreUnavailable, .signingFailed, .invalidConfiguration,
    ])
    func serverSideBodies(_ code: LayabAuthError.Code) throws {
        let detail = "HTTP 500 error while retrieving keys from http://10.0.0.7:8080/internal/jwks.json: the body starts with: <html>"
        let challenge = LayabAuthError(code, detail).challenge(realm: "api")
        let body = try JSONParser.parse(challenge.body)
        #expect(body["error"] == (challenge.status == 503 ? "temporarily_unavailable" : "server_error"))
        #expect(body["error_description"]?.stringValue?.isEmpty == false)
        #expect(!challenge.body.contains("10.0.0.7") && !challenge.body.contains("<html>"), "\(challenge.body)")
        #expect(!challenge.headers.contains { $0.value.contains("10.0.0.7") })
        // A token error describes the token: the client's own.
        let expired = LayabAuthError(.expired, "the token expired 5m ago").challenge()
        #expect(expired.body.contains("the token expired 5m ago"))
    }

    @Test("a request without credentials gets a bare challenge (RFC 6750 §3.1)")
    func missingTokenChallenge() {
        let error = expectFailure(.missingToken) { try BearerCredential.extract(fromAuthorization: nil) }
        #expect(error?.httpStatus == 401)
        #expect(error?.wwwAuthenticate(realm: "api") == "Bearer realm=\"api\"")
        #expect(error?.wwwAuthenticate() == "Bearer")
        let basic = expectFailure(.missingToken) { try BearerCredential.extract(fromAuthorization: "Basic YTpi") }
        #expect(basic?.wwwAuthenticate() == "Bearer")
    }

    @Test("an invalid token gets 401 with error=\"invalid_token\"")
    func invalidTokenChallenge() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let error = try #require(expectFailure(.expired) { try verifier.verify(key.sign(claims: ["exp": .integer(PolicyFixtures.nowSeconds - 3600)])) })
        #expect(error.httpStatus == 401)
        #expect(error.wwwAuthenticate(realm: "api") == "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"\(error.message)\"")
    }

    @Test("a malformed request gets 400 with error=\"invalid_request\"")
    func invalidRequestChallenge() throws {
        let error = try #require(expectFailure(.invalidRequest) { try BearerCredential.extract(fromAuthorization: "Bearer a b") })
        #expect(error.httpStatus == 400)
        #expect(error.wwwAuthenticate().hasPrefix("Bearer error=\"invalid_request\", error_description=\""))
    }

    static let hostileMessage = "quote \" backslash \\ newline \n return \r tab \t NUL \u{0} DEL \u{7F} é ‖ … 😀 end"

    static func isAllowedInDescription(_ scalar: Unicode.Scalar) -> Bool {
        // error-description: %x20-21 / %x23-5B / %x5D-7E (RFC 6750 §3)
        let v = scalar.value
        return (0x20...0x21).contains(v) || (0x23...0x5B).contains(v) || (0x5D...0x7E).contains(v)
    }

    @Test("error_description keeps to the characters RFC 6750 §3 allows", arguments: LayabAuthError.Code.allCases)
    func descriptionCharacters(_ code: LayabAuthError.Code) {
        let error = LayabAuthError(code, Self.hostileMessage, requiredScopes: ["read\"", "a\\b", "c\r\nd"])
        #expect(error.errorDescription.unicodeScalars.allSatisfy(Self.isAllowedInDescription), "\(error.errorDescription)")
        #expect(error.errorDescription.hasPrefix("quote ' backslash ' newline ? return ? tab ? NUL ? DEL ? "))
        let header = error.wwwAuthenticate(realm: "a\"b\\c\r\nSet-Cookie: x=1")
        #expect(!header.contains("\r") && !header.contains("\n"), "header: \(header)")
        #expect(header.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value <= 0x7E }, "header: \(header)")
        // Every quoted value is closed where it should be: quotes come in pairs.
        #expect(header.filter { $0 == "\"" }.count % 2 == 0, "header: \(header)")
    }

    @Test("attacker-chosen header and claim values cannot break the WWW-Authenticate header")
    func injectionThroughTheToken() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup { $0.issuers = ["https://issuer.example"] }
        let hostile = "x\", error=\"none\"\r\nSet-Cookie: session=stolen\u{0}"
        let tokens = [
            try key.sign(claims: PolicyFixtures.validClaims(), extraHeader: ["kid": .string(hostile)]),
            try key.sign(claims: PolicyFixtures.validClaims(["iss": .string(hostile)])),
            try PolicyFixtures.forge(header: JSONValue.object(["alg": .string(hostile)]).jsonText, payload: "{}", signedBy: key),
            try PolicyFixtures.forge(header: JSONValue.object(["alg": "ES256", "crit": [.string(hostile)]]).jsonText, payload: "{}", signedBy: key),
        ]
        for token in tokens {
            do {
                _ = try verifier.verify(token)
                Issue.record("a hostile token verified")
            } catch {
                let header = error.wwwAuthenticate(realm: "api")
                #expect(!header.contains("\r") && !header.contains("\n"), "header: \(header)")
                #expect(header.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value <= 0x7E }, "header: \(header)")
                // realm, error and error_description: three quoted values, none broken open by the token's quotes.
                #expect(header.filter { $0 == "\"" }.count == 6, "header: \(header)")
                #expect(header.hasPrefix("Bearer realm=\"api\", error=\"invalid_token\", error_description=\""), "header: \(header)")
                #expect(error.errorDescription.unicodeScalars.allSatisfy(Self.isAllowedInDescription))
            }
        }
    }

    @Test("jwks_unavailable is 503 without an error attribute")
    func jwksUnavailable() {
        let error = LayabAuthError(.jwksUnavailable, "the JWKS could not be fetched")
        #expect(error.httpStatus == 503)
        #expect(error.oauthError == nil)
        #expect(error.wwwAuthenticate() == "Bearer")
    }

    @Test("codes are stable strings")
    func stableCodes() {
        #expect(LayabAuthError.Code.allCases.map(\.rawValue) == [
            "missing_token", "invalid_request", "malformed", "token_too_large", "encrypted_token_unsupported",
            "unsupported_algorithm", "algorithm_not_allowed", "key_not_found", "invalid_key", "bad_signature",
            "unsupported_critical_header", "expired", "not_yet_valid", "issued_in_future", "issuer_mismatch",
            "audience_mismatch", "missing_claim", "invalid_claim", "insufficient_scope", "jwks_unavailable", "signing_failed",
            "weak_key", "invalid_configuration", "insufficient_user_authentication", "wrong_token_type", "inactive_token",
            "introspection_unavailable", "invalid_dpop_proof", "use_dpop_nonce", "binding_mismatch", "replay_store_unavailable",
        ])
        #expect(LayabAuthError(.expired, "the token expired 3s ago").description == "expired: the token expired 3s ago")
    }
}
