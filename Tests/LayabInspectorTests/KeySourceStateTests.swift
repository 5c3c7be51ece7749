import LayabAuth
import LayabAuthJWKS
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
}
