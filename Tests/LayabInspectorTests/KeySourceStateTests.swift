import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import LayabInspector
import Testing

/// What the inspector shows when its key source fails or lacks the token's key: what a server would answer.
@Suite("Key source state")
struct KeySourceStateTests {
    static func failedStatus(keys: KeySet? = nil) -> KeySourceStatus {
        KeySourceStatus(location: "https://idp.test/jwks.json", lastFetch: fixedNow - 2, lastHTTPStatus: 500, fetchCount: 1,
                        lastError: LayabAuthError(.jwksUnavailable, "HTTP 500 error while retrieving keys from https://idp.test/jwks.json"), keys: keys)
    }

    @Test("keys that could not be obtained: jwks_unavailable and 503 with Retry-After, as a server answers")
    func unavailable() throws {
        let issuer = try TestIssuer()
        var state = InspectorState()
        state.tokenText = try issuer.token()
        state.keysUpdated(.failure(Self.failedStatus().lastError ?? LayabAuthError(.jwksUnavailable, "-")), status: Self.failedStatus())
        let screen = state.screen()
        #expect(screen.contains("Signature  UNVERIFIED"), "\(screen.dump)")
        #expect(screen.contains("jwks_unavailable: HTTP 500 error while retrieving keys"), "\(screen.dump)")
        #expect(screen.contains("Server     503 Service Unavailable"))
        #expect(screen.contains("Retry-After: 10"))
        #expect(!screen.contains("WWW-Authenticate"))
    }

    @Test("a kid the keys lack while the source fails is jwks_unavailable too; with the source well, key_not_found and 401")
    func unknownKid() throws {
        let issuer = try TestIssuer()
        let stranger = try TestIssuer(kid: "new-key")
        var state = issuer.state(showing: try stranger.token())
        #expect(state.unknownKid == "new-key")
        #expect(state.screen().contains("Server     401 Unauthorized"))
        state.keysUpdated(nil, status: Self.failedStatus(keys: state.keys), background: true)
        #expect(state.screen().contains("Server     503 Service Unavailable"))
        #expect(state.screen().contains("Retry-After: 10"))
        // A source that says when it tries again: Retry-After counts down to it.
        var retrying = Self.failedStatus(keys: state.keys)
        retrying.retryNotBefore = fixedNow + 6.5
        state.keysUpdated(nil, status: retrying, background: true)
        #expect(state.screen().contains("Retry-After: 7"), "\(state.screen().dump)")
        #expect(state.screen(at: 3).contains("Retry-After: 4"), "\(state.screen(at: 3).dump)")
        // The token's own key verifies whatever the source's state.
        state.tokenText = try issuer.token()
        #expect(state.unknownKid == nil)
        #expect(state.screen().contains("Server     200 OK"))
    }

    @Test("a background retrieval changes the keys without a word unless they changed, and never ends a fetch asked for")
    func backgroundUpdates() throws {
        let issuer = try TestIssuer()
        var state = issuer.state(showing: try issuer.token())
        let keys = state.keys
        state.isFetchingKeys = true
        state.notice = "refreshing keys…"
        state.keysUpdated(.success(keys), status: nil, background: true)
        #expect(state.notice == "refreshing keys…")
        #expect(state.isFetchingKeys)
        state.keysUpdated(.failure(LayabAuthError(.jwksUnavailable, "down")), status: nil, background: true)
        #expect(state.notice == "refreshing keys…")
        let rotated = KeySet(keys: keys.keys + [try TestIssuer(kid: "next").key.verificationKey])
        state.keysUpdated(.success(rotated), status: nil, background: true)
        #expect(state.notice == "2 keys now published")
        #expect(state.keys.keys.count == 2)
        state.keysUpdated(.success(rotated), status: nil)
        #expect(!state.isFetchingKeys)
    }

    @Test("a JWKS URI refused before any fetch leaves the source in use and its status")
    func refusedSource() throws {
        let issuer = try TestIssuer()
        var state = issuer.state(showing: try issuer.token())
        let status = KeySourceStatus(location: "https://idp.test/jwks.json", lastFetch: fixedNow - 5, lastHTTPStatus: 200, etag: "\"v1\"",
                                     expiresAt: fixedNow + 300, fetchCount: 1, keys: state.keys)
        state.keysUpdated(.success(state.keys), status: status, description: "https://idp.test/jwks.json")
        state.keySourceRefused(LayabAuthError(.jwksUnavailable, "unsupported JWKS URI scheme \"ftp\""))
        #expect(state.notice == "not used: unsupported JWKS URI scheme \"ftp\"")
        state.handle(.tab)
        let screen = state.screen()
        #expect(screen.contains("Source  https://idp.test/jwks.json"))
        #expect(screen.contains("HTTP 200"))
    }

    /// A key source on 127.0.0.1 that served `keys` once (or never) and now answers 500, and the tokens a
    /// person might paste: signed by its key, by a key with a `kid` it lacks, by a key without a `kid`.
    struct FailingSource {
        let verifier: JWKSVerifier
        let source: RemoteKeySource
        let server: TestHTTPServer
        let tokens: [(name: String, token: String)]
        let time: Locked<Double>
    }

    static func failingSource(servedKeysFirst: Bool) async throws -> FailingSource {
        let issuer = try TestIssuer(kid: "known"), stranger = try TestIssuer(kid: "new-key")
        let keyless = try SigningKey.generate(.es256), otherAlgorithm = try SigningKey.generate(.rs256)
        let jwks = KeySet(keys: [issuer.key.verificationKey]).publicJWKS.jsonText
        let up = Locked(servedKeysFirst)
        let server = try TestHTTPServer { _ in up.withLock { $0 } ? .json(jwks) : TestHTTPServer.Response(status: 500) }
        let time = Locked(fixedNow)
        let source = try RemoteKeySource(.http(server.url("/jwks.json")), cachePolicy: KeyCachePolicy(retryAfterFailure: 25),
                                     clock: { time.withLock { $0 } })
        if servedKeysFirst { _ = try await source.forceRefresh() }
        up.withLock { $0 = false }
        time.withLock { $0 += 1 }
        _ = try? await source.forceRefresh()
        time.withLock { $0 += 5 }
        let tokens = [("its own key", try issuer.token()), ("a kid it lacks", try stranger.token()),
                      ("no kid", try keyless.sign(claims: ["iss": .string(TestIssuer.issuer), "exp": .integer(Int64(fixedNow + 3600))])),
                      ("no kid, an algorithm no key has", try otherAlgorithm.sign(claims: ["exp": .integer(Int64(fixedNow + 3600))]))]
        let verifier = try JWKSVerifier(source: source, configuration: VerifierConfiguration(clock: { time.withLock { $0 } }))
        return FailingSource(verifier: verifier, source: source, server: server, tokens: tokens, time: time)
    }

    @Test("while its key source fails, the inspector answers each token as JWKSVerifier.report does", arguments: [true, false])
    func sameAnswerAsAServer(servedKeysFirst: Bool) async throws {
        let failing = try await Self.failingSource(servedKeysFirst: servedKeysFirst)
        defer { failing.server.stop() }
        let status = await failing.source.status()
        #expect(status.lastError != nil)
        #expect((status.keys != nil) == servedKeysFirst)
        var state = InspectorState()
        state.keysUpdated(status.keys.map { .success($0) }, status: status)
        let now = failing.time.withLock { $0 }
        for (name, token) in failing.tokens {
            state.tokenText = token
            let server = await failing.verifier.report(token)
            // As the inspector's runtime does: the source has looked the token's kid up, and the model learns
            // the source's new status (a fresh attempt restarts the back-off a 503 counts down).
            state.keysUpdated(nil, status: await failing.source.status(), background: true)
            let inspector = try #require(state.report(now: now))
            #expect(inspector.signature.word == server.signature.word, "\(name)")
            #expect(inspector.signature.error?.code == server.signature.error?.code, "\(name)")
            #expect(inspector.signature.error?.message == server.signature.error?.message, "\(name)")
            #expect(inspector.signature.error?.retryAfter == server.signature.error?.retryAfter, "\(name)")
            #expect(inspector.signature.error?.httpStatus == server.signature.error?.httpStatus, "\(name)")
        }
        // What the two agree on: with keys, a server judges what it can and cannot look up the unknown kid;
        // without keys, it judges nothing.
        let expected: [String: (String, LayabAuthError.Code?)] = servedKeysFirst
            ? ["its own key": ("VALID", nil), "a kid it lacks": ("UNVERIFIED", .jwksUnavailable), "no kid": ("INVALID", .badSignature),
               // No kid to look up: a server answers from the keys it has (401), not 503.
               "no kid, an algorithm no key has": ("UNVERIFIED", .keyNotFound)]
            : ["its own key": ("UNVERIFIED", .jwksUnavailable), "a kid it lacks": ("UNVERIFIED", .jwksUnavailable),
               "no kid": ("UNVERIFIED", .jwksUnavailable), "no kid, an algorithm no key has": ("UNVERIFIED", .jwksUnavailable)]
        for (name, token) in failing.tokens {
            state.tokenText = token
            let signature = try #require(state.report(now: now)).signature
            #expect(signature.word == expected[name]?.0, "\(name)")
            #expect(signature.error?.code == expected[name]?.1, "\(name)")
        }
    }
}
