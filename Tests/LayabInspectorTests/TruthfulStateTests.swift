import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import LayabInspector
import Testing

/// The model never shows more than is true: a new key source replaces the old one entirely, a token of one's
/// own leaves the demo, and every key names its source (the expiry line: CountdownTests).
@Suite("A truthful state")
struct TruthfulStateTests {
    @Test("a new key source drops the old keys, skipped keys, weak keys and status: UNVERIFIED, then 503 while it fails")
    func replacedSource() throws {
        let issuer = try TestIssuer()
        var state = issuer.state(showing: try issuer.token())
        let skipping = try KeySet(jwksJSON: #"{"keys":[\#(JSONValue.object(issuer.key.verificationKey.publicJWK).jsonText),{"kty":"XYZ","kid":"odd"}]}"#)
        state.keysUpdated(.success(skipping), status: KeySourceStatus(location: "https://old.test/jwks.json", lastFetch: fixedNow, lastHTTPStatus: 200,
                                                                        fetchCount: 1, keys: skipping))
        #expect(state.screen().contains("Server     200 OK"))
        let generation = state.keySourceGeneration
        state.keySourceReplaced(by: "https://new.test/jwks.json")
        #expect(state.keySourceGeneration == generation + 1)
        #expect(state.keys.keys.isEmpty && state.keys.skipped.isEmpty && state.keySourceStatus == nil)
        var screen = state.screen()
        #expect(screen.contains("Signature  UNVERIFIED"), "\(screen.dump)")
        #expect(!screen.contains("Server     200 OK"))
        state.handle(.tab)
        screen = state.screen()
        #expect(screen.contains("Source  https://new.test/jwks.json") && screen.contains("Keys (0)"), "\(screen.dump)")
        #expect(!screen.contains("odd") && !screen.contains("old.test"), "\(screen.dump)")
        state.handle(.tab)

        // While the new source's first retrieval runs, a server would still be waiting for keys: no 401 yet.
        state.isFetchingKeys = true
        screen = state.screen()
        #expect(screen.contains("Server     waiting for the key source's first answer"), "\(screen.dump)")
        #expect(!screen.contains("401"), "\(screen.dump)")
        state.isFetchingKeys = false

        let failed = KeySourceStatus(location: "https://new.test/jwks.json", lastFetch: fixedNow, lastHTTPStatus: 500, fetchCount: 1,
                                     lastError: LayabAuthError(.jwksUnavailable, "HTTP 500 error while retrieving keys from https://new.test/jwks.json"))
        state.keysUpdated(.failure(LayabAuthError(.jwksUnavailable, "HTTP 500")), status: failed)
        screen = state.screen()
        #expect(screen.contains("Signature  UNVERIFIED") && screen.contains("Server     503 Service Unavailable"), "\(screen.dump)")
    }

    @Test("a set refused for having no usable key shows its skipped keys, from the status")
    func unusableSet() throws {
        let issuer = try TestIssuer()
        var state = issuer.state(showing: try issuer.token())
        state.keySourceReplaced(by: "/keys/second.json")
        let unusable = try KeySet(jwksJSON: #"{"keys":[{"kty":"XYZ","kid":"odd-second"}]}"#)
        state.keysUpdated(.failure(LayabAuthError(.jwksUnavailable, "no usable keys")),
                          status: KeySourceStatus(location: "/keys/second.json", lastFetch: fixedNow, fetchCount: 1,
                                                  lastError: LayabAuthError(.jwksUnavailable, "no usable keys"), unusableKeys: unusable))
        state.handle(.tab)
        let screen = state.screen()
        #expect(screen.contains("Skipped (1)") && screen.contains("odd-second"), "\(screen.dump)")
    }

    @Test("a failed discovery names the issuer it looked at, not one keys were discovered from")
    func failedDiscovery() throws {
        let issuer = try TestIssuer()
        var state = issuer.state(showing: try issuer.token())
        state.keySourceReplaced(by: "https://idp.test (discovery)", discoveringFrom: "https://idp.test")
        state.keysUpdated(.failure(LayabAuthError(.jwksUnavailable, "discovery failed")),
                          status: KeySourceStatus(location: "(not discovered yet)", discoveredFrom: "https://idp.test", fetchCount: 1,
                                                  lastError: LayabAuthError(.jwksUnavailable, "discovery failed")))
        state.handle(.tab)
        let screen = state.screen()
        #expect(screen.contains("issuer   https://idp.test (discovery failed, no JWKS URI found)"), "\(screen.dump)")
        #expect(!screen.contains("(discovered)"), "\(screen.dump)")
    }

    @Test("every key names its source, in the list and in the details, with as many detail rows as without it")
    func keyOrigin() throws {
        var state = try demoState()
        state.handle(.tab)
        var screen = state.screen()
        #expect(screen.rows.filter { $0.contains("from demo issuer (in memory)") }.count == 3, "\(screen.dump)")
        state.handle(.enter)
        screen = state.screen()
        #expect(screen.contains("from demo issuer (in memory)"), "\(screen.dump)")
        // The rows the details have, as the scrolling counts them, are the rows drawn: the end of the PEM is reached.
        state.screenSize = (80, 24)
        state.handle(.pageDown)
        state.handle(.pageDown)
        state.handle(.pageDown)
        screen = state.screen(width: 80, height: 24)
        #expect(screen.contains("-----END PUBLIC KEY-----"), "\(screen.dump)")
    }

    @Test("a pasted token leaves the demo: its issuer, audience, scopes and keys go, the title names no sample; n goes back")
    func pasteLeavesDemo() throws {
        let issuer = try TestIssuer()
        var state = try demoState(sample: 3)
        #expect(state.screen().contains("sample 4/7: tampered signature"))
        state.handle(.paste(try issuer.token()))
        #expect(!state.isDemo)
        #expect(state.issuer == nil && state.audiences.isEmpty && state.requiredScopes.isEmpty && state.keys.keys.isEmpty)
        #expect(state.notice?.contains("left the demo (its issuer, audience, scopes and keys no longer apply); n/p: back to the demo samples") == true,
                "\(state.notice ?? "")")
        let screen = state.screen()
        #expect(!screen.contains("sample 4/7") && !screen.contains(" DEMO "), "\(screen.dump)")
        #expect(screen.contains("Scopes     none required"), "\(screen.dump)")

        state.handle(.character("n"))
        #expect(state.isDemo && state.sampleIndex == 4)
        #expect(state.issuer == DemoIssuer.issuer && state.audiences == [DemoIssuer.audience] && state.requiredScopes == DemoIssuer.requiredScopes)
        #expect(state.keys.keys.count == 3 && state.keySourceDescription == InspectorState.demoKeysDescription)
        #expect(state.screen().contains("sample 5/7"))
    }

    @Test("a token entered at the e prompt leaves the demo; a sample entered unchanged does not; a scope one set stays")
    func enteredToken() throws {
        let issuer = try TestIssuer()
        var state = try demoState()
        state.handle(.character("e"))
        state.handle(.enter)
        #expect(state.isDemo)
        state.set("s", to: "admin")
        state.set("e", to: try issuer.token())
        #expect(!state.isDemo)
        #expect(state.requiredScopes == ["admin"])
        #expect(state.notice?.contains("left the demo (its issuer, audience and keys no longer apply)") == true, "\(state.notice ?? "")")
        state.handle(.character("p"))
        #expect(state.isDemo && state.requiredScopes == ["admin"])
    }
}
