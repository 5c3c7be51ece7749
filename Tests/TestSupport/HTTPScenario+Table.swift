import LayabAuth
import LayabAuthTesting

extension HTTPScenario {
    /// The scopes the user-type apps grant: roles become scopes `role:<name>`; the standard `scope` claim is
    /// ignored on purpose, so a scenario can tell which of the two the guards checked.
    @Sendable public static func roleScopes(_ token: String, _ tokenBody: Claims) -> [String] {
        ScopeExtractor.strings(tokenBody["roles"]).map { "role:" + $0 }
    }

    /// Every scenario both framework adapters must pass.
    /// - Parameters:
    ///   - exampleRealm: the realm of the framework's example app.
    ///   - jsonContentType: the `Content-Type` the framework gives a JSON error body.
    public static func table(exampleRealm: String, jsonContentType: String) -> [HTTPScenario] {
        exampleApp(realm: exampleRealm, jsonContentType: jsonContentType) + customUsers(jsonContentType: jsonContentType) + disclosure()
            + senderConstrained(jsonContentType: jsonContentType)
    }

    /// Issue 13, "Bounded, configurable answers to clients": a refused client is told the failed check and what
    /// its token carried; the audience the server expects and the kids it knows only with `disclosure: .full`.
    static func disclosure() -> [HTTPScenario] {
        let wrongAudience: JSONObject = ["sub": "alice", "aud": "other-api"]
        return [
            HTTPScenario(
                "by default a refused client is not told the expected audience or the known kids",
                app: .disclosing(.limited), verifier: .jwksRequiring(audience: "orders-api"),
                steps: [
                    .exchange(HTTPExchange("token for another audience", "/me", .token(wrongAudience), status: 401,
                                           headers: [.contains(authenticate, "the audience is 'other-api', which is not accepted here"),
                                                     .lacks(authenticate, "orders-api")],
                                           body: [.member("error", "invalid_token"), .memberContains("error_description", "other-api"),
                                                  .memberLacks("error_description", "orders-api")])),
                    .exchange(HTTPExchange("unknown kid", "/me", .forged(.unknownKid), status: 401,
                                           headers: [.contains(authenticate, "no key has kid"), .lacks(authenticate, "known")],
                                           body: [.memberLacks("error_description", "known")])),
                ]),
            HTTPScenario(
                "with disclosure .full a refused client is told the whole message",
                app: .disclosing(.full), verifier: .jwksRequiring(audience: "orders-api"),
                steps: [
                    .exchange(HTTPExchange("token for another audience", "/me", .token(wrongAudience), status: 401,
                                           headers: [.contains(authenticate, "expected 'orders-api'")],
                                           body: [.memberContains("error_description", #"expected "orders-api""#)])),
                    .exchange(HTTPExchange("unknown kid", "/me", .forged(.unknownKid), status: 401,
                                           headers: [.contains(authenticate, "known: ")],
                                           body: [.memberContains("error_description", "known: ")])),
                ]),
        ]
    }

    static let authenticate = "WWW-Authenticate"

    /// A 403 as RFC 6750 §3.1 describes it: the challenge names the error and the required scopes, the body
    /// says which are missing.
    static func insufficientScope(_ label: String, _ path: String, _ credential: HTTPExchange.Credential, scope: String, missing: String,
                                  challengePrefix: String = "Bearer ", jsonContentType: String) -> Step
    {
        .exchange(HTTPExchange(
            label, path, credential, status: 403,
            headers: [.hasPrefix(authenticate, "Bearer "), .hasPrefix(authenticate, challengePrefix),
                      .contains(authenticate, #"error="insufficient_scope""#), .contains(authenticate, #"scope="\#(scope)""#),
                      .equals("Content-Type", jsonContentType)],
            body: [.member("error", "insufficient_scope"), .memberContains("error_description", missing)]))
    }

    /// The example app's step-up route: `/payments` requires `acr` "urn:example:mfa" and `auth_time` at most
    /// 300 s ago (30 s leeway).
    static func stepUp(realm: String, jsonContentType: String) -> [Step] {
        let now = Int64(SystemClock.now())
        let challenge = #"Bearer realm="\#(realm)", error="insufficient_user_authentication""#
        let asked = [HTTPExchange.HeaderCheck.contains(authenticate, #"acr_values="urn:example:mfa""#), .contains(authenticate, #"max_age="300""#)]
        return [
            .exchange(HTTPExchange("a fresh multi-factor login", "/payments", .token(["sub": "alice", "acr": "urn:example:mfa", "auth_time": .integer(now - 10)]),
                                   status: 200, body: [.member("sub", "alice")])),
            .exchange(HTTPExchange("a password login", "/payments", .token(["sub": "alice", "acr": "urn:example:pwd", "auth_time": .integer(now - 10)]),
                                   status: 401, headers: [.hasPrefix(authenticate, challenge), .equals("Content-Type", jsonContentType)] + asked,
                                   body: [.member("error", "insufficient_user_authentication"), .memberContains("error_description", "urn:example:pwd")])),
            .exchange(HTTPExchange("a multi-factor login an hour old", "/payments", .token(["sub": "alice", "acr": "urn:example:mfa", "auth_time": .integer(now - 3600)]),
                                   status: 401, headers: [.hasPrefix(authenticate, challenge)] + asked,
                                   body: [.member("error", "insufficient_user_authentication"), .memberContains("error_description", "max_age")])),
            .exchange(HTTPExchange("no acr, no auth_time", "/payments", .token(["sub": "alice"]), status: 401, headers: [.hasPrefix(authenticate, challenge)] + asked)),
            .exchange(HTTPExchange("no credentials", "/payments", status: 401, headers: [.equals(authenticate, #"Bearer realm="\#(realm)""#)])),
            // The other routes do not ask for it.
            .exchange(HTTPExchange("a password login on /me", "/me", .token(["sub": "alice", "acr": "urn:example:pwd"]), status: 200)),
        ]
    }

    /// The example app's routes (its own `/health`, `/me`, `/admin`).
    static func exampleApp(realm: String, jsonContentType: String) -> [HTTPScenario] {
        let reader: JSONObject = ["sub": "alice", "scope": "read"]
        let invalidToken = #"Bearer realm="\#(realm)", error="invalid_token""#
        let forgeries: [TestIssuer.Forgery] = [.tamperedSignature, .tamperedPayload, .algNone, .foreignKey, .unknownKid]
        return [
            HTTPScenario(
                "every RFC 6750 answer: 200, 401 without an error code, 400, 401 invalid_token, 403 insufficient_scope",
                // The initial fetch, and one refresh for the unknown kid.
                app: .example, verifier: .jwks, keyServerRequests: 2,
                steps: [
                    .exchange(HTTPExchange("health", "/health", status: 200)),
                    .exchange(HTTPExchange("no credentials", "/me", status: 401, headers: [.equals(authenticate, #"Bearer realm="\#(realm)""#)])),
                    // Another scheme is not a bearer token: the same challenge as no credentials, without an error code.
                    .exchange(HTTPExchange("Basic credentials", "/me", .header("Basic dXNlcjpwYXNz"), status: 401,
                                           headers: [.equals(authenticate, #"Bearer realm="\#(realm)""#), .lacks(authenticate, "error=")])),
                    .exchange(HTTPExchange("malformed bearer", "/me", .header("Bearer two tokens"), status: 400,
                                           headers: [.contains(authenticate, #"error="invalid_request""#)],
                                           body: [.member("error", "invalid_request")])),
                    .exchange(HTTPExchange("valid token", "/me", .token(reader), status: 200,
                                           body: [.member("sub", "alice"), .member("scopes", ["read"])])),
                    .exchange(HTTPExchange("expired token", "/me", .forged(.expired), status: 401,
                                           headers: [.contains(authenticate, #"error="invalid_token""#), .contains(authenticate, "expired")],
                                           body: [.member("error", "invalid_token"), .memberContains("error_description", "the token expired")])),
                ] + forgeries.map { forgery in
                    .exchange(HTTPExchange("forgery \(forgery)", "/me", .forged(forgery), status: 401,
                                           headers: [.contains(authenticate, #"error="invalid_token""#), .hasPrefix(authenticate, invalidToken)],
                                           body: [.member("error", "invalid_token")]))
                } + [
                    .exchange(HTTPExchange("admin route without the admin scope", "/admin", .token(reader), status: 403,
                                           headers: [.contains(authenticate, #"error="insufficient_scope""#), .contains(authenticate, #"scope="admin""#),
                                                     .equals("Content-Type", jsonContentType)],
                                           body: [.member("error", "insufficient_scope"), .memberContains("error_description", "missing scope [admin]")])),
                    .exchange(HTTPExchange("admin route with scope \"admin read\"", "/admin", .token(["sub": "root", "scope": "admin read"]), status: 200)),
                    .exchange(HTTPExchange("admin route with scope \"admin\"", "/admin", .token(["sub": "root", "scope": "admin"]), status: 200)),
                ]),
            HTTPScenario(
                "step-up (RFC 9470): /payments wants acr urn:example:mfa within 5 minutes; a weaker or older login gets 401 insufficient_user_authentication",
                app: .example, verifier: .jwks,
                steps: stepUp(realm: realm, jsonContentType: jsonContentType)),
            HTTPScenario(
                "identity provider down before any key was fetched: 503, never 500, and other routes keep serving",
                app: .example, verifier: .jwksServerGone(retryAfterFailure: 45),
                steps: [
                    // The key source's retry interval: the retrieval this request caused just failed.
                    .exchange(HTTPExchange("valid token", "/me", .token([:]), status: 503, headers: [.equals("Retry-After", "45")],
                                           body: [.member("error", "temporarily_unavailable")])),
                    .exchange(HTTPExchange("health", "/health", status: 200)),
                ]),
            HTTPScenario(
                "identity provider going down mid-run: tokens with cached keys keep verifying; an unknown kid gets 503",
                app: .example, verifier: .jwksExpiringAtOnce,
                steps: [
                    .exchange(HTTPExchange("before the outage", "/me", .token(["sub": "a"]), status: 200)),
                    .stopKeyServer,
                ] + (1...5).map { index in
                    .exchange(HTTPExchange("cached keys, request \(index) of 5", "/me", .token(["sub": "b"]), status: 200, body: [.member("sub", "b")]))
                } + [
                    .awaitKeySourceError(containing: "connection refused"),
                    .exchange(HTTPExchange("cached keys after the failed refresh", "/me", .token(["sub": "c"]), status: 200)),
                    // A kid the cached set lacks cannot be looked up while the provider is down: the client is told the
                    // keys are unavailable (503), not that its token is bad. The cause (the provider's address, its
                    // answer) is for the log, not for the client.
                    .exchange(HTTPExchange("unknown kid", "/me", .forged(.unknownKid), status: 503, headers: [.present("Retry-After")],
                                           body: [.member("error_description", "the keys that verify tokens cannot be obtained at the moment; try again later")])),
                ]),
            HTTPScenario(
                "the authentication mock accepts any bearer token and yields the configured body; the header is still required",
                app: .example, verifier: .mock(tokenBody: ["sub": "test-user", "scope": "read admin"]),
                steps: [
                    .exchange(HTTPExchange("any bearer token", "/me", .header("Bearer anything-at-all"), status: 200, body: [.member("sub", "test-user")])),
                    .exchange(HTTPExchange("admin route", "/admin", .header("Bearer whatever"), status: 200, body: [.member("sub", "test-user")])),
                    .exchange(HTTPExchange("no credentials", "/me", status: 401)),
                ]),
            HTTPScenario(
                "the authentication mock's scopes are checked like a token's",
                app: .example, verifier: .mock(tokenBody: ["sub": "reader", "scope": "read"]),
                steps: [
                    .exchange(HTTPExchange("any bearer token", "/me", .header("Bearer x"), status: 200, body: [.member("sub", "reader")])),
                    .exchange(HTTPExchange("admin route without the admin scope", "/admin", .header("Bearer x"), status: 403,
                                           headers: [.contains(authenticate, #"scope="admin""#)], body: [.member("error", "insufficient_scope")])),
                ]),
        ]
    }

    /// An application's own identity type built by `createUser(token, tokenBody)` with scopes from
    /// `scopes(token, tokenBody)`, and scope checks inside handlers.
    static func customUsers(jsonContentType: String) -> [HTTPScenario] {
        // Each token's standard scope claim would pass the guards it fails: only the roles count.
        let admin: JSONObject = ["sub": "root", "roles": ["admin"], "scope": "role:auditor"]
        let auditor: JSONObject = ["sub": "carol", "roles": ["auditor"], "scope": "role:admin"]
        let nobody: JSONObject = ["sub": "dave", "scope": "role:admin role:auditor"]
        let reader: JSONObject = ["sub": "alice", "scope": "reports:read"]
        let exporter: JSONObject = ["sub": "bob", "scope": "reports:export reports:read"]
        return [
            HTTPScenario(
                "createUser(token, tokenBody) builds the identity; RequireScopes and requireScopes check what scopes(token, tokenBody) grants",
                app: .users, verifier: .jwks,
                steps: [
                    .exchange(HTTPExchange("me as admin", "/me", .token(admin), status: 200,
                                           body: [.member("id", "root"), .memberIsSentToken("token"), .member("scopes", ["role:admin"])])),
                    .exchange(HTTPExchange("admin route as admin", "/admin", .token(admin), status: 200, body: [.text("root")])),
                    insufficientScope("admin route as auditor (the guard's own realm)", "/admin", .token(auditor), scope: "role:admin",
                                      missing: "[role:admin]", challengePrefix: #"Bearer realm="admins", "#, jsonContentType: jsonContentType),
                    .exchange(HTTPExchange("reports as auditor", "/reports", .token(auditor), status: 200, body: [.text("carol")])),
                    .exchange(HTTPExchange("reports as admin", "/reports", .token(admin), status: 200)),
                    insufficientScope("reports with neither role (the authenticator's realm)", "/reports", .token(nobody), scope: "role:auditor role:admin",
                                      missing: "none of the accepted scopes [role:auditor, role:admin]", challengePrefix: #"Bearer realm="users", "#,
                                      jsonContentType: jsonContentType),
                    .exchange(HTTPExchange("no credentials", "/me", status: 401, headers: [.equals(authenticate, #"Bearer realm="users""#)])),
                ]),
            HTTPScenario(
                "without a scopes closure the user gets the scopes of the verifier's extractor",
                app: .usersWithStandardScopes, verifier: .mock(tokenBody: ["sub": "erin", "scope": "read write"]),
                steps: [
                    .exchange(HTTPExchange("granted scope", "/write", .header("Bearer anything"), status: 200, body: [.text("erin")])),
                    insufficientScope("scope not granted", "/delete", .header("Bearer anything"), scope: "delete", missing: "[delete]",
                                      jsonContentType: jsonContentType),
                ]),
            HTTPScenario(
                "a scope check inside a handler: 403 insufficient_scope with scope=\"…\" and the JSON body, 200 when granted, 401 without a token",
                app: .reports, verifier: .jwks,
                steps: [
                    insufficientScope("one of two scopes", "/reports", .token(reader), scope: "reports:read reports:export",
                                      missing: "missing scope [reports:export]", challengePrefix: #"Bearer realm="reports""#,
                                      jsonContentType: jsonContentType),
                    .exchange(HTTPExchange("both scopes", "/reports", .token(exporter), status: 200, body: [.text("bob")])),
                    .exchange(HTTPExchange("no credentials", "/reports", status: 401, headers: [.equals(authenticate, #"Bearer realm="reports""#)],
                                           body: [.member("error", "unauthorized")])),
                    // An application's own refusal, with no realm: the authenticator's applies.
                    insufficientScope("the application's own refusal", "/archive", .token(exporter), scope: "archive", missing: "the archive is closed",
                                      challengePrefix: #"Bearer realm="reports", "#, jsonContentType: jsonContentType),
                ]),
        ]
    }
}
