import LayabAuth
import LayabInspector
import Testing

/// Changing what the token is checked against, through the key bindings, and the immediate re-evaluation.
@Suite("Editing requirements")
struct EditingTests {
    @Test("s edits the required scopes; the matches and the server answer change at once")
    func scopes() throws {
        var state = try demoState()
        state.handle(.character("s"))
        #expect(state.editing == .scopes)
        var screen = state.screen(width: 80, height: 24)
        // The prompt sits above the status bar, prefilled with the current scopes.
        #expect(screen.rows[22].hasPrefix(" Required scopes (space-separated): read write▏"), "\(screen.dump)")
        // All of it selected on entry: typing would replace it; End keeps it and moves to its end.
        #expect(screen.role(of: "read write▏", inRowContaining: "Required scopes") == .selection)
        #expect(screen.rows[23].hasPrefix(" Enter apply  Esc cancel  Ctrl-Z undo  ↑↓ history"))

        state.handle(.end)
        #expect(state.screen().role(of: "read write▏", inRowContaining: "Required scopes") == .input)
        state.type(" admin")
        #expect(state.screen().contains("Required scopes (space-separated): read write admin▏"))
        state.handle(.enter)
        #expect(state.editing == nil)
        #expect(state.requiredScopes == ["read", "write", "admin"])
        screen = state.screen()
        #expect(screen.contains("Scopes     required: read write admin"))
        #expect(screen.role(of: "present", inRowContaining: "  write ") == .ok)
        #expect(screen.role(of: "missing", inRowContaining: "  admin ") == .error)
        #expect(screen.contains("Server     403 Forbidden"))
        #expect(screen.wwwAuthenticate == #"Bearer error="insufficient_scope", error_description="missing scope [admin]; the token grants [read, write]", scope="read write admin""#)
        #expect(screen.rows.last?.hasPrefix(" requiring read write admin") == true)

        // Commas separate too; then no scope at all.
        state.set("s", to: "read,write")
        #expect(state.requiredScopes == ["read", "write"])
        #expect(state.screen().contains("Server     200 OK"))
        state.set("s", to: "")
        screen = state.screen()
        #expect(screen.contains("Scopes     none required"))
        #expect(!screen.contains(" present"))
        #expect(screen.rows.last?.hasPrefix(" no scopes required") == true)
    }

    @Test("Backspace, Ctrl-U and Escape in a prompt; binding letters are typed, not obeyed")
    func promptKeys() throws {
        var state = try demoState()
        state.handle(.character("s"))
        state.handle(.end)
        for _ in 0..<6 { state.handle(.backspace) }
        #expect(state.editBuffer == "read")
        state.type(" quit now")
        #expect(!state.shouldQuit)
        #expect(state.sampleIndex == 0)
        #expect(state.editBuffer == "read quit now")
        state.handle(.escape)
        #expect(state.editing == nil)
        #expect(state.requiredScopes == ["read", "write"])
        #expect(state.screen().rows.last?.hasPrefix(" cancelled") == true)

        state.handle(.character("s"))
        state.handle(.control("u"))
        #expect(state.editBuffer.isEmpty)
        state.type("write")
        state.handle(.enter)
        #expect(state.requiredScopes == ["write"])
    }

    @Test("a accepts other audiences: mismatch, one of several, none")
    func audience() throws {
        var state = try demoState()
        state.set("a", to: "other-api")
        var screen = state.screen()
        #expect(screen.check("aud")?.contains(#"aud  FAIL audience_mismatch: the audience is "demo-api", expected "other-api""#) == true, "\(screen.dump)")
        #expect(screen.contains("Server     401 Unauthorized"))
        #expect(screen.wwwAuthenticate == #"Bearer error="invalid_token", error_description="the audience is 'demo-api', which is not accepted here""#)

        state.handle(.character("a"))
        #expect(state.editBuffer == "other-api")
        state.handle(.right)
        state.type(" demo-api")
        state.handle(.enter)
        #expect(state.audiences == ["other-api", "demo-api"])
        screen = state.screen()
        #expect(screen.check("aud")?.contains(#"aud  ok   "demo-api""#) == true)
        #expect(screen.contains("Server     200 OK"))

        state.set("a", to: "")
        #expect(state.screen().check("aud")?.contains("aud  skip no audience configured") == true)
        #expect(state.screen().rows.last?.hasPrefix(" audience not checked") == true)
    }

    @Test("i requires another issuer, or none")
    func issuer() throws {
        var state = try demoState()
        state.set("i", to: "  https://other.example ")
        #expect(state.issuer == "https://other.example")
        let screen = state.screen()
        #expect(screen.check("iss")?.contains(#"iss  FAIL issuer_mismatch: the issuer is "https://demo.layabauth.invalid", expected"#) == true, "\(screen.dump)")
        #expect(screen.wwwAuthenticate == #"Bearer error="invalid_token", error_description="the issuer 'https://demo.layabauth.invalid' is not accepted here""#)

        state.set("i", to: "")
        #expect(state.issuer == nil)
        #expect(state.screen().check("iss")?.contains("iss  skip no issuer configured") == true)
        #expect(state.screen().contains("Server     200 OK"))
    }

    @Test("l changes the leeway; nonsense is refused and the old value kept")
    func leeway() throws {
        var state = try demoState(sample: 2)  // expired 5 minutes ago
        #expect(state.screen().contains("Server     401 Unauthorized"))
        state.handle(.character("l"))
        #expect(state.editBuffer == "30")
        state.handle(.control("u"))
        state.type("600")
        state.handle(.enter)
        #expect(state.leeway == 600)
        let screen = state.screen()
        #expect(screen.check("exp")?.contains("exp  ok   expired 5m ago, within the leeway") == true)
        #expect(screen.contains("Server     200 OK"))
        #expect(screen.rows.last?.hasPrefix(" leeway 600 s") == true)

        // Refused on Enter: the prompt stays open with what was typed and the reason beside it.
        for nonsense in ["abc", "-1", "inf", "", "86401"] {
            state.set("l", to: nonsense)
            #expect(state.leeway == 600, "\(nonsense)")
            #expect(state.editing == .leeway)
            #expect(state.editBuffer == nonsense)
            #expect(state.screen().rows.contains { $0.contains("Leeway in seconds: \(nonsense)▏  leeway must be a number of seconds, 0 or more") }, "\(state.screen().dump)")
            state.handle(.escape)
        }

        // Without leeway the first sample is refused one second after exp.
        var valid = try demoState()
        #expect(valid.screen(at: 3541).contains("Server     200 OK"))
        valid.set("l", to: "0")
        #expect(valid.screen(at: 3541).contains("Server     401 Unauthorized"))
        #expect(valid.screen(at: 3539).contains("Server     200 OK"))
    }

    @Test("e edits the token in place, re-verified at each key; c clears it")
    func tokenEditing() throws {
        let issuer = try TestIssuer()
        let token = try issuer.token()
        var state = issuer.state(showing: try issuer.token(scope: "before"))
        state.handle(.character("e"))
        #expect(state.screen().contains("Token  (editing: Enter done, Esc restore, Ctrl-Z undo)"))
        state.handle(.control("u"))
        #expect(state.screen().contains("No token yet."))
        state.type("Bearer " + token.dropLast(3))
        // Every key re-evaluates: without the last characters the signature is wrong.
        #expect(state.screen().contains("Signature  INVALID"))
        state.type(String(token.suffix(3)))
        #expect(state.screen().contains("Signature  VALID"))
        state.handle(.enter)
        #expect(state.editing == nil)
        #expect(state.token == token)
        let screen = state.screen()
        #expect(screen.contains("Token  \(token.utf8.count) bytes"))
        #expect(screen.contains("Server     200 OK"))

        state.handle(.character("c"))
        let cleared = state.screen()
        #expect(cleared.contains("paste a token here (or press e to type one)"))
        #expect(cleared.contains("No token yet."))
        #expect(cleared.rows.last?.hasPrefix(" token cleared") == true)
    }

    @Test("Esc while editing the token puts back the token there was")
    func tokenEditCancelled() throws {
        let issuer = try TestIssuer()
        let before = try issuer.token(scope: "before")
        var state = issuer.state(showing: before)
        state.handle(.character("e"))
        state.handle(.control("u"))
        state.type("garbage")
        #expect(state.screen().contains("Signature  INVALID"))
        state.handle(.escape)
        #expect(state.editing == nil)
        #expect(state.token == before)
        let screen = state.screen()
        #expect(screen.contains("Signature  VALID"))
        #expect(screen.rows.last?.hasPrefix(" edit cancelled, token restored") == true)
        // Enter keeps the edit.
        state.handle(.character("e"))
        state.handle(.end)
        state.handle(.backspace)
        state.handle(.enter)
        #expect(state.token == String(before.dropLast()))
    }

    @Test("r with keys that are not fetched says so and keeps the source's status")
    func refreshWithoutSource() throws {
        var state = try demoState()
        let status = state.keySourceStatus
        #expect(state.handle(.character("r")) == [.refreshKeys])
        state.keysNotRefreshable()
        #expect(!state.isFetchingKeys)
        #expect(state.keySourceStatus?.location == status?.location)
        #expect(state.screen().rows.last?.hasPrefix(" the demo's keys are in memory: nothing to fetch") == true)
    }

    @Test("j, d and r ask the runtime for keys; an empty URI asks nothing")
    func keyEffects() throws {
        var state = try demoState()
        #expect(state.set("j", to: "http://127.0.0.1:9/jwks.json") == [.useJWKS("http://127.0.0.1:9/jwks.json")])
        #expect(state.isFetchingKeys)
        #expect(state.screen().rows.last?.hasPrefix(" fetching http://127.0.0.1:9/jwks.json…") == true)
        #expect(state.set("j", to: "  ") == [])
        state.handle(.escape)

        // Discovery does not change the issuer required.
        let issuer = state.issuer
        #expect(state.set("d", to: "https://idp.example") == [.discover("https://idp.example")])
        #expect(state.issuer == issuer)
        #expect(state.discoveryIssuer == "https://idp.example")
        #expect(state.handle(.character("r")) == [.refreshKeys])

        state.keysUpdated(.failure(LayabAuthError(.jwksUnavailable, "connection refused")), status: nil)
        #expect(!state.isFetchingKeys)
        #expect(state.screen().rows.last?.hasPrefix(" keys unavailable: connection refused") == true)
    }

    @Test("q and Ctrl-C quit; Ctrl-C even inside a prompt")
    func quitting() throws {
        var state = try demoState()
        state.handle(.character("q"))
        #expect(state.shouldQuit)
        state = try demoState()
        state.handle(.character("s"))
        state.handle(.control("c"))
        #expect(state.shouldQuit)
    }
}
