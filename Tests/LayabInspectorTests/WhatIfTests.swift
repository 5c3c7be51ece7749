import LayabAuth
import LayabInspector
import Testing

@Suite("What-if editing: re-signed with a LOCAL key")
struct WhatIfTests {
    /// Opens the what-if editor `binding` (E claims, H header), replaces its text with `json` and presses Enter.
    static func whatIf(_ state: inout InspectorState, _ binding: Character, _ json: String) {
        state.handle(.character(binding))
        state.handle(.control("u"))
        state.handle(.paste(json))
        state.handle(.enter)
    }

    @Test("E opens the claims JSON; saved, the token is re-signed with a generated local key of its family and verifies as LOCAL")
    func editClaims() throws {
        let issuer = try TestIssuer(.rs256)
        let original = try issuer.token()
        var state = issuer.state(showing: original)
        state.handle(.character("E"))
        #expect(state.editing == .claims)
        #expect(state.editBuffer.contains("\"scope\":\"read\""))
        Self.whatIf(&state, "E", #"{"iss":"https://issuer.test","sub":"bob","aud":"test-api","exp":1800003600,"scope":"read admin"}"#)
        #expect(state.editing == nil)
        #expect(state.token != original)
        #expect(state.isMadeLocally)
        let decoded = try DecodedToken.decode(state.token)
        #expect(decoded.header.algorithmName == "RS256")
        let kid = try #require(decoded.header.kid)
        #expect(kid.hasPrefix("local-RS256-") && kid.count == "local-RS256-".count + 8)
        #expect(decoded.claims?.members["scope"] == .string("read admin"))
        let report = try #require(state.report(now: fixedNow))
        let key = try #require(report.signature.key)
        #expect(state.whatIf.isLocal(key))
        // The provider's key did not verify it, and is still there, apart from the local one.
        #expect(state.keys.keys.count == 1 && state.keys.keys[0].thumbprint == issuer.key.verificationKey.thumbprint)
        let screen = state.screen()
        #expect(screen.contains("LOCAL TOKEN"))
        #expect(screen.contains("this token was made locally"))
        #expect(screen.row(containing: "Signature")?.contains("LOCAL key (made in this inspector)") == true)
        #expect(state.notice?.hasPrefix("made locally: re-signed with the LOCAL key \"\(kid)\"") == true)
    }

    @Test("u returns to the original token, which the provider's key verifies again")
    func undo() throws {
        let issuer = try TestIssuer(.es256)
        let original = try issuer.token()
        var state = issuer.state(showing: original)
        Self.whatIf(&state, "E", #"{"sub":"alice"}"#)
        Self.whatIf(&state, "E", #"{"sub":"carol"}"#)
        #expect(state.isMadeLocally)
        state.handle(.character("u"))
        #expect(state.token == original)
        #expect(!state.isMadeLocally)
        #expect(state.report(now: fixedNow)?.signature.key?.thumbprint == issuer.key.verificationKey.thumbprint)
        #expect(!state.screen().contains("LOCAL TOKEN"))
        state.handle(.character("u"))
        #expect(state.notice?.hasPrefix("nothing to undo") == true)
    }

    @Test("Invalid JSON is refused with the parser's reason and stays in the editor", arguments: [
        (#"{"sub": "bob",}"#, "invalid claims JSON: "),
        ("[1, 2]", "the claims must be a JSON object"),
    ])
    func invalidJSON(text: String, reason: String) throws {
        let issuer = try TestIssuer()
        let original = try issuer.token()
        var state = issuer.state(showing: original)
        Self.whatIf(&state, "E", text)
        #expect(state.editing == .claims)
        #expect(state.editBuffer == text)
        #expect(state.promptError?.hasPrefix(reason) == true, "\(state.promptError ?? "nil")")
        #expect(state.token == original)
        #expect(state.screen().row(containing: "What-if claims JSON")?.contains(reason) == true)
    }

    @Test("H edits the header; an asymmetric alg picks the local key, alg and kid become the local key's, other members stay")
    func editHeader() throws {
        let issuer = try TestIssuer(.ps256)
        var state = issuer.state(showing: try issuer.token())
        state.handle(.character("H"))
        #expect(state.editing == .header)
        #expect(state.editBuffer.contains("\"alg\":\"PS256\""))
        Self.whatIf(&state, "H", #"{"alg":"EdDSA","typ":"at+jwt","kid":"test-key"}"#)
        var header = try DecodedToken.decode(state.token).header
        #expect(header.algorithmName == "EdDSA")
        #expect(header.kid?.hasPrefix("local-EdDSA-") == true)
        #expect(header.type == "at+jwt")
        #expect(state.notice?.contains("kid set to the local key's") == true)
        #expect(state.report(now: fixedNow)?.signature.key.map(state.whatIf.isLocal) == true)
        // An HMAC alg cannot be checked by anyone without the secret: the token is signed ES256 instead.
        Self.whatIf(&state, "H", #"{"alg":"HS256","typ":"at+jwt","kid":"test-key"}"#)
        header = try DecodedToken.decode(state.token).header
        #expect(header.algorithmName == "ES256")
        #expect(header.kid?.hasPrefix("local-ES256-") == true)
        #expect(header.type == "at+jwt")
        #expect(state.notice?.contains("alg and kid set to the local key's") == true)
        #expect(state.report(now: fixedNow)?.signature.key.map(state.whatIf.isLocal) == true)
    }

    @Test("A token with an HMAC or unknown algorithm is re-signed ES256")
    func defaultAlgorithm() throws {
        #expect(WhatIf.generatedAlgorithm(for: "HS256") == .es256)
        #expect(WhatIf.generatedAlgorithm(for: nil) == .es256)
        #expect(WhatIf.generatedAlgorithm(for: "none") == .es256)
        #expect(WhatIf.generatedAlgorithm(for: "EdDSA") == .eddsa)
        var state = InspectorState()
        Self.whatIf(&state, "E", #"{"sub":"x"}"#)
        #expect(try DecodedToken.decode(state.token).header.algorithmName == "ES256")
    }

    @Test("A new key source replaces the provider's keys, never the LOCAL key; the key browser marks it LOCAL")
    func localKeySurvivesNewSource() throws {
        let issuer = try TestIssuer(.es256)
        var state = issuer.state(showing: try issuer.token())
        Self.whatIf(&state, "E", #"{"sub":"alice"}"#)
        let kid = try #require(try DecodedToken.decode(state.token).header.kid)
        state.keySourceReplaced(by: "another source")
        let other = try TestIssuer(.es256, kid: "other")
        state.keysUpdated(.success(KeySet(keys: [other.key.verificationKey])), status: nil)
        let key = try #require(state.report(now: fixedNow)?.signature.key)
        #expect(state.whatIf.isLocal(key))
        state.handle(.tab)
        let screen = state.screen()
        #expect(screen.contains("Keys (1 + 1 LOCAL)"))
        #expect(screen.row(containing: "LOCAL \"\(kid)\"")?.contains("verifies this token") == true)
        #expect(screen.contains("from this inspector: a LOCAL what-if key, not the provider's"))
        // A provider key published under the local kid never verifies the token in its place: the kid is ambiguous.
        let impostor = try TestIssuer(.es256, kid: kid)
        state.keysUpdated(.success(KeySet(keys: [impostor.key.verificationKey])), status: nil)
        let report = try #require(state.report(now: fixedNow))
        #expect(report.signature.key == nil)
        #expect(report.signature.error?.message.contains("share kid") == true)
    }

    @Test("--signing-key: a PEM or private JWK signs under its own kid; public keys and secrets are refused")
    func givenKey() throws {
        let generated = try SigningKey.generate(.es384)
        let pem = try #require(generated.privateKeyPEM)
        let key = try WhatIf.signingKey(fromText: pem)
        #expect(key.algorithm == .es384)
        #expect(key.kid?.hasPrefix("local-ES384-") == true)
        var state = InspectorState()
        state.whatIf = WhatIf(givenKey: key)
        Self.whatIf(&state, "E", #"{"sub":"x"}"#)
        let header = try DecodedToken.decode(state.token).header
        #expect(header.algorithmName == "ES384" && header.kid == key.kid)
        #expect(state.report(now: fixedNow)?.signature.key?.thumbprint == generated.verificationKey.thumbprint)
        #expect(throws: WhatIfError.self) { try WhatIf.signingKey(fromText: #"{"kty":"oct","k":"c2VjcmV0"}"#) }
        #expect(throws: WhatIfError.self) { try WhatIf.signingKey(fromText: #"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#) }
        #expect(throws: WhatIfError.self) { try WhatIf.signingKey(fromText: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----") }
    }
}
