import LayabAuth
import LayabInspector
import Testing

/// The prompts as a terminal user expects them: typed and pasted tokens alike, validation that keeps what
/// was typed, discovery apart from the required issuer, keys given in the inspector.
@Suite("Prompts")
struct PromptTests {
    @Test("typing a whole token over the one shown (e, then the token) replaces it, first character included")
    func typedOverToken() throws {
        let issuer = try TestIssuer()
        let token = try issuer.token()
        var state = issuer.state(showing: try issuer.token(scope: "before"))
        state.handle(.character("e"))
        state.type(token)
        #expect(state.token == token)
        state.handle(.enter)
        #expect(state.token == token)
        #expect(state.screen().contains("Signature  VALID"))
    }

    @Test("the token editor has a cursor: ← and typing change the token where the cursor is")
    func tokenCursor() throws {
        let issuer = try TestIssuer()
        let token = try issuer.token()
        var state = issuer.state(showing: token)
        state.handle(.character("e"))
        state.handle(.end)
        for _ in 0..<3 { state.handle(.left) }
        state.type("X")
        #expect(state.token == String(token.dropLast(3)) + "X" + String(token.suffix(3)))
        state.handle(.control("z"))
        #expect(state.token == token)
    }

    @Test("j and d are both prefilled with the value in use; ↑ recalls earlier values")
    func prefilledAndHistory() throws {
        var state = try demoState()
        #expect(state.set("j", to: "https://keys.example/one.json") == [.useJWKS("https://keys.example/one.json")])
        #expect(state.set("j", to: "https://keys.example/two.json") == [.useJWKS("https://keys.example/two.json")])
        state.handle(.character("j"))
        #expect(state.editBuffer == "https://keys.example/two.json")
        state.handle(.up)
        #expect(state.editBuffer == "https://keys.example/one.json")
        state.handle(.escape)
        state.set("d", to: "https://idp.example")
        state.handle(.character("d"))
        #expect(state.editBuffer == "https://idp.example")
    }

    @Test("d refuses what cannot be discovered, keeping the text and saying why beside it")
    func discoveryValidated() throws {
        var state = try demoState()
        let issuer = state.issuer
        #expect(state.set("d", to: "idp.example.com") == [])
        #expect(state.editing == .discovery)
        #expect(state.editBuffer == "idp.example.com")
        #expect(state.issuer == issuer)
        #expect(state.discoveryIssuer == nil)
        let prompt = try #require(state.screen().rows.first { $0.contains("Issuer to discover keys from:") })
        #expect(prompt.contains(#"idp.example.com▏  the issuer "idp.example.com" is not an http(s) URL, so its keys cannot be discovered"#), "\(prompt)")
        #expect(state.screen().role(of: "the issuer \"idp.example.com\"") == .error)
        // Fixed in place: the error goes, and Enter applies.
        state.handle(.home)
        state.type("https://")
        #expect(state.promptError == nil)
        #expect(state.handle(.enter) == [.discover("https://idp.example.com")])
        #expect(state.editing == nil)
    }

    @Test("j refuses a scheme it cannot fetch, keeping the text")
    func jwksValidated() throws {
        var state = try demoState()
        #expect(state.set("j", to: "ftp://keys.example/jwks.json") == [])
        #expect(state.editing == .jwks)
        #expect(state.editBuffer == "ftp://keys.example/jwks.json")
        #expect(state.promptError != nil)
    }

    @Test("the issuer discovered from and the issuer required are set apart and compared")
    func issuerApart() throws {
        var state = try demoState()
        let required = try #require(state.issuer)
        state.set("d", to: "https://idp.example")
        #expect(state.issuer == required)
        #expect(state.notice == "discovering keys of https://idp.example…; differs from the issuer keys are discovered from (https://idp.example)")
        state.handle(.character("i"))
        #expect(state.screen().rows.contains { $0.contains("Required issuer: \(required)▏  keys discovered from https://idp.example") })
        state.handle(.escape)
        state.handle(.character("d"))
        #expect(state.screen().rows.contains { $0.contains("Issuer to discover keys from: https://idp.example▏  required iss: \(required)") })
        state.handle(.escape)
        state.set("i", to: "https://idp.example")
        #expect(state.notice == "requiring iss https://idp.example")
    }

    @Test("a token endpoint response: the access_token is taken, x switches to the id_token and back")
    func tokenResponse() throws {
        let issuer = try TestIssuer()
        let access = try issuer.token(scope: "read")
        let id = try issuer.token(scope: "openid")
        var state = issuer.state(showing: "")
        state.handle(.paste(#"{"access_token":"\#(access)","token_type":"Bearer","id_token":"\#(id)","expires_in":3600}"#))
        #expect(state.token == access)
        #expect(state.notice == "pasted \(access.utf8.count) bytes; took the access_token of a token endpoint response (it also holds id_token); x switches")
        state.handle(.character("x"))
        #expect(state.token == id)
        #expect(state.notice?.contains("took the id_token of a token endpoint response (it also holds access_token)") == true)
        state.handle(.character("x"))
        #expect(state.token == access)
    }

    @Test("K takes a secret: kept in memory, shown as dots, the HS256 token verifies; a weak one is shown as weak")
    func secretPrompt() throws {
        let secret = "a-secret-of-thirty-two-bytes-ok!"
        let signer = try SigningKey(hmacSecret: Array(secret.utf8), algorithm: .hs256, kid: "hs")
        let token = try signer.sign(claims: ["sub": "bob", "exp": .integer(Int64(fixedNow + 600))])
        var state = InspectorState()
        state.tokenText = token
        #expect(!state.screen().contains("Signature  VALID"))
        state.handle(.character("K"))
        state.handle(.paste(secret))
        let screen = state.screen()
        #expect(!screen.contains(secret))
        #expect(!screen.contains("thirty"))
        #expect(screen.rows.contains { $0.contains("Key or HMAC secret (PEM, JWK, JWK Set or secret): ••••") && $0.contains("32 characters, in memory only") })
        state.handle(.enter)
        #expect(state.editing == nil)
        #expect(state.algorithms.contains(.hs256))
        let verified = state.screen()
        #expect(verified.contains("Signature  VALID"), "\(verified.dump)")
        #expect(!verified.contains(secret))
        state.handle(.tab)
        #expect(!state.screen().contains(secret))

        // Too short for a verifier: the weak-key path.
        state.handle(.character("K"))
        state.handle(.paste("short"))
        state.handle(.enter)
        #expect(state.editing == nil)
        #expect(state.weakKeys.count == 1)
    }

    @Test("K with a PEM keeps its line breaks; nonsense JSON is refused beside the prompt")
    func keyPrompt() throws {
        let issuer = try TestIssuer()
        let token = try issuer.token()
        var state = InspectorState()
        state.tokenText = token
        let pem = try #require(issuer.key.verificationKey.pem)
        state.handle(.character("K"))
        state.handle(.paste(pem))
        state.handle(.enter)
        #expect(state.editing == nil)
        #expect(state.screen().contains("Signature  VALID"))
        state.handle(.character("K"))
        state.handle(.paste(#"{"kty":"nonsense"}"#))
        state.handle(.enter)
        #expect(state.editing == .key)
        #expect(state.promptError?.hasPrefix("the key given") == true)
    }
}
