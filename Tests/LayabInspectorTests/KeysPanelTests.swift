import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import LayabInspector
import Testing
import LayabConsole

/// The keys browser: selection, which key verifies the token, details with JWK and PEM, skipped keys.
@Suite("Keys browser")
struct KeysPanelTests {
    @Test("Tab and k switch between the token view and the keys browser")
    func switching() throws {
        var state = try demoState()
        state.handle(.tab)
        #expect(state.panel == .keys)
        var screen = state.screen(width: 80, height: 24)
        #expect(screen.contains("┌─ Keys ─"))
        #expect(!screen.contains("Verification"))
        for kid in ["\"demo-rsa\"", "\"demo-ec\"", "\"demo-ed25519\""] { #expect(screen.contains(kid)) }
        #expect(screen.contains("Keys (3)"))
        state.handle(.character("k"))
        #expect(state.panel == .token)
        screen = state.screen(width: 80, height: 24)
        #expect(screen.contains("Verification"))
        state.handle(.backTab)
        #expect(state.panel == .keys)
    }

    @Test("the key that verifies the token is marked, and moves with the sample")
    func matchMarker() throws {
        var state = try demoState()
        state.handle(.tab)
        var screen = state.screen()
        #expect(screen.row(containing: "◀ verifies this token")?.contains(#""demo-rsa"  RSA 2048  alg RS256"#) == true, "\(screen)")
        #expect(screen.role(of: "◀ verifies this token") == .ok)

        state.handle(.character("n"))  // ES256 sample
        screen = state.screen()
        #expect(screen.row(containing: "◀ verifies this token")?.contains(#""demo-ec"  EC P-256"#) == true)

        state.handle(.character("n"))  // EdDSA, expired: the signature still verifies
        #expect(state.screen().row(containing: "◀ verifies this token")?.contains(#""demo-ed25519"  OKP Ed25519"#) == true)

        state.handle(.character("n"))  // tampered: named by the token but not verifying it
        screen = state.screen()
        #expect(!screen.contains("verifies this token"))
        #expect(screen.row(containing: "◀ named by this token")?.contains(#""demo-rsa""#) == true)
        #expect(screen.role(of: "◀ named by this token") == .warning)

        state.selectSample(5)  // unknown kid
        screen = state.screen()
        #expect(!screen.contains("verifies this token"))
        #expect(!screen.contains("named by this token"))
    }

    @Test("a key with a certificate shows its subject and validity, wrapped at 80 columns")
    func certificate() throws {
        let (certificatePEM, _) = try OpenSSLCommand.selfSignedCertificate(["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
        var jwk = try VerificationKey(pem: certificatePEM, kid: "with-x5c").publicJWK
        jwk["x5c"] = [.string(OpenSSLCommand.derBase64(certificatePEM))]
        let key = try VerificationKey(jwk: jwk)
        let notAfter = try #require(key.certificate?.notAfter)
        var state = try demoState()
        state.keys = KeySet(keys: [key])
        state.handle(.tab)
        for (width, height) in [(200, 60), (80, 24)] {
            let screen = state.screen(width: width, height: height)
            let text = screen.rows.map { $0.replacingOccurrences(of: "│", with: " ").trimmingSpaces }.joined(separator: " ")
            #expect(text.contains("x5c ") && text.contains("LayabAuth x5c test") && text.contains(", valid "), "\(screen.dump)")
            #expect(text.contains(TimeText.iso8601(notAfter)), "\(screen.dump)")
        }
    }

    @Test("arrows move the selection, which stops at both ends")
    func selection() throws {
        var state = try demoState()
        state.handle(.tab)
        #expect(state.screen().role(of: "\"demo-rsa\"") == .selection)
        #expect(state.screen().row(containing: "▶ ")?.contains("\"demo-rsa\"") == true)
        state.handle(.down)
        var screen = state.screen()
        #expect(screen.row(containing: "▶ ")?.contains("\"demo-ec\"") == true)
        #expect(screen.role(of: "\"demo-ec\"") == .selection)
        #expect(screen.role(of: "\"demo-rsa\"") == .jsonString)
        for _ in 0..<5 { state.handle(.down) }
        #expect(state.keySelection == 2)
        state.handle(.pageUp)
        #expect(state.keySelection == 0)
        state.handle(.up)
        #expect(state.keySelection == 0)
        screen = state.screen()
        #expect(screen.row(containing: "▶ ")?.contains("\"demo-rsa\"") == true)
    }

    @Test("Enter shows the selected key's JWK and PEM; Esc and Enter go back")
    func detail() throws {
        var state = try demoState()
        state.handle(.tab)
        state.handle(.down)
        state.handle(.enter)
        #expect(state.keyDetail)
        var screen = state.screen(width: 80, height: 24)
        #expect(screen.title(containing: "Key details") == "Key details  ↑↓ 1-16/18")
        #expect(screen.contains(#"Key "demo-ec"   Esc or Enter: back to the list"#))
        #expect(screen.contains("EC P-256, thumbprint "))
        #expect(screen.contains(#""kty": "EC""#))
        #expect(screen.contains(#""crv": "P-256""#))
        #expect(screen.contains("-----BEGIN PUBLIC KEY-----"))
        state.handle(.pageDown)
        #expect(state.screen(width: 80, height: 24).contains("-----END PUBLIC KEY-----"))

        state.handle(.escape)
        #expect(!state.keyDetail)
        #expect(state.screen().contains("Keys (3)"))

        // The RSA key's PEM is longer than an 80x24 screen: it scrolls.
        state.handle(.up)
        state.handle(.enter)
        screen = state.screen(width: 80, height: 24)
        #expect(screen.contains(#""kty": "RSA""#))
        #expect(!screen.contains("-----END PUBLIC KEY-----"))
        // The modulus wraps instead of being cut at the edge: every character of it is on screen.
        let modulus = try #require(state.keys.keys[0].publicJWK["n"]?.stringValue)
        let shown = screen.rows.joined().filter { !" │\"".contains($0) }
        #expect(shown.contains(modulus), "\(screen.dump)")
        state.handle(.pageDown)
        state.handle(.pageDown)
        screen = state.screen(width: 80, height: 24)
        #expect(screen.contains("-----END PUBLIC KEY-----"), "\(screen.dump)")
        let pem = try #require(state.keys.keys[0].pem)
        let lastBody = try #require(pem.split(separator: "\n").dropLast().last)
        #expect(screen.contains(String(lastBody)))

        state.handle(.enter)
        #expect(!state.keyDetail)
    }

    @Test("skipped keys are listed with their reason, and the source's status is shown")
    func skippedAndStatus() throws {
        let issuer = try TestIssuer()
        let good = issuer.key.verificationKey.publicJWK
        let jwks = #"{"keys":[\#(JSONValue.object(good).jsonText),{"kty":"RSA","kid":"tiny","n":"AQAB","e":"AQAB"},{"kty":"XYZ","kid":"odd"}]}"#
        let keys = try KeySet(jwksJSON: jwks)
        #expect(keys.keys.count == 1)
        var state = issuer.state(showing: try issuer.token())
        state.keysUpdated(.success(keys), status: KeySourceStatus(location: "https://idp.test/jwks.json", lastFetch: fixedNow - 5, lastHTTPStatus: 200,
                                                                    etag: "\"v1\"", expiresAt: fixedNow + 300, fetchCount: 2, keys: keys),
                          description: "https://idp.test/jwks.json")
        #expect(state.notice == "1 key loaded, 2 skipped")
        state.handle(.tab)
        let screen = state.screen()
        #expect(screen.contains("Source  https://idp.test/jwks.json"))
        #expect(screen.contains("fetch    HTTP 200, fetched 5s ago, ETag \"v1\", fresh until 2027-01-15T08:05:00Z (in 5m), 2 fetches"), "\(screen)")
        #expect(screen.contains("Keys (1)"))
        #expect(screen.contains("Skipped (2)"))
        #expect(screen.role(of: "Skipped (2)") == .warning)
        #expect(screen.contains(#"key #1 (kid "tiny"): "#))
        #expect(screen.contains(#"key #2 (kid "odd"): "#))
        #expect(screen.row(containing: "◀ verifies this token")?.contains("\"test-key\"") == true)

        // A failed refresh: the last retrieval was an attempt, and the last good keys stay in service.
        let failed = KeySourceStatus(location: "https://idp.test/jwks.json", lastFetch: fixedNow - 2, lastHTTPStatus: 500, etag: "\"v1\"",
                                     expiresAt: fixedNow - 2, fetchCount: 3,
                                     lastError: LayabAuthError(.jwksUnavailable, "HTTP 500 error while retrieving keys"), keys: keys)
        state.keysUpdated(.failure(LayabAuthError(.jwksUnavailable, "HTTP 500 error while retrieving keys")), status: failed)
        let after = state.screen()
        #expect(after.contains("fetch    HTTP 500, last attempt 2s ago failed, ETag \"v1\", stale for 2s, serving the last good keys, 3 fetches"), "\(after.dump)")
        #expect(after.role(of: "error    HTTP 500 error while retrieving keys") == .error)
        #expect(after.contains("Keys (1)"))
    }

    /// Issue 13, "the maximum staleness of keys": the key browser says until when the last good keys serve
    /// through failed refreshes, and that they no longer do once past it.
    @Test("the key browser shows until when stale keys serve, and that they are not served past the maximum staleness")
    func maximumStaleness() throws {
        let issuer = try TestIssuer()
        let keys = KeySet(keys: [issuer.key.verificationKey])
        var state = issuer.state(showing: try issuer.token())
        let error = LayabAuthError(.jwksUnavailable, "HTTP 500 error while retrieving keys")
        let serving = KeySourceStatus(location: "https://idp.test/jwks.json", lastFetch: fixedNow - 2, lastHTTPStatus: 500, expiresAt: fixedNow - 60,
                                      fetchCount: 3, lastError: error, keys: keys, servedUntil: fixedNow + 3600)
        state.keysUpdated(.failure(error), status: serving)
        state.handle(.tab)
        var screen = state.screen()
        #expect(screen.contains("stale for 1m, serving the last good keys until 2027-01-15T09:00:00Z at most, 3 fetches"), "\(screen.dump)")

        let tooStale = KeySourceStatus(location: "https://idp.test/jwks.json", lastFetch: fixedNow - 2, lastHTTPStatus: 500, expiresAt: fixedNow - 7200,
                                       fetchCount: 4, lastError: error, keys: keys, servedUntil: fixedNow - 3600)
        state.keysUpdated(.failure(error), status: tooStale)
        screen = state.screen()
        #expect(screen.contains("stale for 2h, past the maximum staleness since 2027-01-15T07:00:00Z: not served, 4 fetches"), "\(screen.dump)")
        let json = KeyDescription.json(tooStale, now: fixedNow)
        #expect(json["servedUntil"] == "2027-01-15T07:00:00Z")
    }

    @Test("the JSON status carries lastModified and staleness, null while the keys are fresh")
    func statusJSON() throws {
        let issuer = try TestIssuer()
        let keys = KeySet(keys: [issuer.key.verificationKey])
        let stamp = "Wed, 21 Oct 2026 07:28:00 GMT"
        var status = KeySourceStatus(location: "https://idp.test/jwks.json", lastFetch: fixedNow - 400, lastHTTPStatus: 304, etag: "\"v1\"",
                                     lastModified: stamp, expiresAt: fixedNow - 100, fetchCount: 3, keys: keys)
        let stale = KeyDescription.json(status, now: fixedNow)
        #expect(stale["staleness"] == .integer(100))
        #expect(stale["lastModified"] == .string(stamp))
        #expect(stale["httpStatus"] == 304)
        #expect(stale["etag"] == .string("\"v1\""))
        #expect(stale["fetchCount"] == 3)
        #expect(stale["expiresAt"]?.stringValue != nil)
        status.expiresAt = fixedNow + 60
        #expect(KeyDescription.json(status, now: fixedNow)["staleness"] == .null)
        let never = KeyDescription.json(KeySourceStatus(location: "https://idp.test/jwks.json"), now: fixedNow)
        #expect(never["staleness"] == .null)
        #expect(never["lastModified"] == .null)
    }

    @Test("without keys the browser says so and the token is unverified")
    func noKeys() throws {
        let issuer = try TestIssuer()
        var state = issuer.state(showing: try issuer.token())
        state.keys = .empty
        state.keySourceDescription = "no key source (j: JWKS URI, d: discovery)"
        #expect(state.screen().contains("Signature  UNVERIFIED"))
        #expect(state.screen().contains("key_not_found: no verification keys are configured"))
        state.handle(.tab)
        let screen = state.screen()
        #expect(screen.contains("Keys (0)"))
        #expect(screen.contains("no usable keys"))
        #expect(screen.title(containing: "Keys") == "Keys")
    }

    @Test("Enter with no keys stays on the list instead of opening empty details")
    func enterWithoutKeys() throws {
        let issuer = try TestIssuer()
        var state = issuer.state(showing: try issuer.token())
        state.keys = .empty
        state.handle(.tab)
        state.handle(.enter)
        #expect(!state.keyDetail)
        #expect(!state.screen().contains("Key details"))
    }

    @Test("a refresh shows fetching… until the keys arrive")
    func fetching() throws {
        var state = try demoState()
        state.handle(.tab)
        #expect(state.handle(.character("r")) == [.refreshKeys])
        #expect(state.screen().contains("  fetching…"))
        #expect(state.screen().rows.last?.hasPrefix(" refreshing keys…") == true)
        state.keysUpdated(.success(state.keys), status: state.keySourceStatus)
        #expect(!state.screen().contains("fetching…"))
        #expect(state.screen().rows.last?.hasPrefix(" 3 keys loaded") == true)
    }

    @Test("at 80x24 the skipped keys below the last key are reached by going on past it")
    func skippedReachable() throws {
        let issuer = try TestIssuer()
        let good = JSONValue.object(issuer.key.verificationKey.publicJWK).jsonText
        let second = JSONValue.object(try TestIssuer(kid: "second").key.verificationKey.publicJWK).jsonText
        let bad = (1...6).map { #"{"kty":"XYZ","kid":"odd-\#($0)"}"# }
        let keys = try KeySet(jwksJSON: #"{"keys":[\#(good),\#(second),\#(bad.joined(separator: ","))]}"#)
        var state = issuer.state(showing: try issuer.token())
        state.keysUpdated(.success(keys), status: nil)
        state.screenSize = (80, 24)
        state.handle(.tab)
        #expect(!state.screen(width: 80, height: 24).contains(#"kid "odd-6""#))
        for _ in 0..<30 { state.handle(.down) }
        #expect(state.keySelection == 1)
        let screen = state.screen(width: 80, height: 24)
        #expect(screen.contains(#"key #7 (kid "odd-6")"#), "\(screen.dump)")
        #expect(screen.boxes().broken.isEmpty)
        // Back up: the list comes back before the selection moves.
        for _ in 0..<30 { state.handle(.up) }
        #expect(state.keySelection == 0)
        #expect(state.keysOverscroll == 0)
        #expect(state.screen(width: 80, height: 24).row(containing: "▶ ")?.contains("\"test-key\"") == true)
    }

    @Test("a key published against the letter of the RFCs shows its notes, in the list and in its details")
    func notes() throws {
        let issuer = try TestIssuer(.rs256, kid: "padded")
        var jwk = issuer.key.verificationKey.publicJWK
        // A modulus with a leading zero byte, as some key sets publish it: accepted, with a note.
        let modulus = try Base64URL.decode(try #require(jwk["n"]?.stringValue))
        jwk["n"] = .string(Base64URL.encode([0] + modulus))
        let keys = try KeySet(jwksJSON: JSONValue.object(["keys": [.object(jwk)]]).jsonText)
        let note = "n has 1 leading zero byte, removed; RFC 7518 §2 (Base64urlUInt) requires the minimum number of octets"
        #expect(keys.keys.first?.notes == [note])
        var state = issuer.state(showing: try issuer.token())
        state.keysUpdated(.success(keys), status: nil)
        state.handle(.tab)
        for (width, height) in [(200, 40), (80, 24)] {
            let screen = state.screen(width: width, height: height)
            let text = screen.rows.map { $0.replacingOccurrences(of: "│", with: " ").trimmingSpaces }.joined(separator: " ")
            #expect(text.contains("note " + note), "\(screen.dump)")
            #expect(screen.role(of: "note n has 1 leading zero byte") == .warning, "\(screen.dump)")
            #expect(screen.row(containing: "◀ verifies this token")?.contains("\"padded\"") == true, "\(screen.dump)")
        }
        state.handle(.enter)
        let detail = state.screen(width: 200, height: 40)
        #expect(detail.contains("  note " + note), "\(detail.dump)")
        #expect(detail.role(of: "note n has 1 leading zero byte") == .warning)
    }

    @Test("weak keys: a 19-byte secret is listed apart with the rule that refuses it, and marked when the token's signature matches it")
    func weakSecret() throws {
        var state = InspectorState()
        state.algorithms = [.hs256]
        state.weakKeys = [try #require(WeakKey.hmacSecret(Array("your-256-bit-secret".utf8)))]
        state.tokenText = DebuggerPanelTests.jwtIOToken
        state.handle(.tab)
        for (width, height) in [(200, 40), (80, 24)] {
            let screen = state.screen(width: width, height: height)
            #expect(screen.contains("Keys (0)"), "\(screen.dump)")
            #expect(screen.role(of: "Refused as weak (1)") == .warning, "\(screen.dump)")
            #expect(screen.contains("Refused as weak (1)   refused by a verifier, checked here anyway"), "\(screen.dump)")
            #expect(screen.row(containing: "◀ signature matches (refused)")?.contains("(no kid)  oct, 19-byte secret") == true, "\(screen.dump)")
            #expect(screen.role(of: "◀ signature matches (refused)") == .warning)
            #expect(screen.contains("refused: RFC 7518 §3.2 requires at least 32 bytes for HS256"), "\(screen.dump)")
        }
        // Another secret signed it: the weak key is still listed, and not marked.
        state.tokenText = try SigningKey(hmacSecret: Array("another-secret-of-32-bytes-long!".utf8), algorithm: .hs256).sign(claims: ["sub": "bob"])
        let screen = state.screen()
        #expect(screen.contains("(no kid)  oct, 19-byte secret"), "\(screen.dump)")
        #expect(!screen.contains("signature matches"), "\(screen.dump)")
    }

    @Test("weak keys: of a 1024-bit RSA key and a short secret, only the key that signed the token is marked; a usable key stays in the list above")
    func weakRSAKey() throws {
        let old = try SigningKey.generate(.rs256, kid: "old", rsaBits: 1024)
        let issuer = try TestIssuer()
        var state = issuer.state(showing: try old.sign(claims: ["sub": "bob"]))
        state.weakKeys = [try #require(WeakKey.hmacSecret(Array("your-256-bit-secret".utf8))), try #require(WeakKey(old.verificationKey))]
        state.handle(.tab)
        var screen = state.screen()
        #expect(screen.contains("Keys (1)"), "\(screen.dump)")
        #expect(screen.contains("Refused as weak (2)"), "\(screen.dump)")
        #expect(screen.row(containing: "◀ signature matches (refused)")?.contains(#""old"  RSA 1024 bits"#) == true, "\(screen.dump)")
        #expect(screen.rows.filter { $0.contains("signature matches") }.count == 1, "\(screen.dump)")
        #expect(screen.contains("refused: RFC 7518 §3.3 requires at least 2048 bits"), "\(screen.dump)")
        // The token is RS256: the secret's reason is for the first algorithm it could serve.
        #expect(screen.contains("refused: RFC 7518 §3.2 requires at least 32 bytes for HS256"), "\(screen.dump)")
        #expect(!screen.contains("verifies this token"))

        // A token of the usable key: verified above, no weak key marked.
        state.tokenText = try issuer.token()
        screen = state.screen()
        #expect(screen.row(containing: "◀ verifies this token")?.contains("\"test-key\"") == true, "\(screen.dump)")
        #expect(!screen.contains("signature matches"), "\(screen.dump)")
    }
}
