import LayabAuth
import LayabInspector
import Testing

@Suite("Token history and comparison")
struct TokenHistoryTests {
    @Test("Tokens pasted, entered and made locally are stepped through with [ and ]")
    func stepping() throws {
        let issuer = try TestIssuer()
        let first = try issuer.token(scope: "read"), second = try issuer.token(scope: "write")
        var state = InspectorState()
        state.keys = KeySet(keys: [issuer.key.verificationKey])
        state.handle(.paste(first))
        state.set("e", to: second)
        WhatIfTests.whatIf(&state, "E", #"{"scope":"admin"}"#)
        let local = state.token
        #expect(state.history.entries.map(\.origin) == ["pasted", "entered", "made locally"])
        state.handle(.character("["))
        #expect(state.token == second)
        #expect(state.notice == "token 2 of 3 (entered)")
        state.handle(.character("["))
        #expect(state.token == first)
        state.handle(.character("["))
        #expect(state.token == first)
        #expect(state.notice == "this is the first token seen")
        state.handle(.character("]"))
        state.handle(.character("]"))
        #expect(state.token == local)
        #expect(state.isMadeLocally)
        state.handle(.character("]"))
        #expect(state.notice == "this is the latest token seen")
    }

    @Test("Claims and header members added, removed and changed")
    func comparison() throws {
        let issuer = try TestIssuer()
        let earlier = try issuer.token(scope: "read", extra: [("tenant", "a")])
        let later = try issuer.key.sign(claims: JSONObject([("iss", .string(TestIssuer.issuer)), ("sub", "bob"), ("aud", .string(TestIssuer.audience)),
                                                          ("iat", .integer(Int64(fixedNow))), ("exp", .integer(Int64(fixedNow + 3600))),
                                                          ("scope", "read admin"), ("role", "ops")]),
                                        extraHeader: JSONObject([("typ", "at+jwt")]))
        let result = TokenComparison(earlier: earlier, later: later)
        #expect(result.problem == nil)
        #expect(result.differences == [
            .init(part: "header", name: "typ", change: .changed(from: "JWT", to: "at+jwt")),
            .init(part: "claims", name: "scope", change: .changed(from: "read", to: "read admin")),
            .init(part: "claims", name: "role", change: .added("ops")),
            .init(part: "claims", name: "tenant", change: .removed("a")),
        ])
        #expect(TokenComparison(earlier: "not a token", later: later).problem?.hasPrefix("cannot compare: ") == true)
    }

    @Test("D compares the token shown with the one before; [ ] choose the earlier one; any other key closes")
    func comparisonView() throws {
        let issuer = try TestIssuer()
        var state = InspectorState()
        state.keys = KeySet(keys: [issuer.key.verificationKey])
        state.handle(.character("D"))
        #expect(!state.showComparison)
        #expect(state.notice == "only one token seen: nothing to compare it with")
        state.handle(.paste(try issuer.token(scope: "read")))
        state.handle(.paste(try issuer.token(scope: "write")))
        state.handle(.paste(try issuer.token(scope: "admin")))
        state.handle(.character("D"))
        #expect(state.showComparison)
        var screen = state.screen()
        #expect(screen.contains("Compare: what changed since the earlier token"))
        #expect(screen.contains("earlier  token 2 of 3 (pasted)"))
        #expect(screen.contains("shown    token 3 of 3 (pasted)"))
        #expect(screen.contains(#"~ changed  claims scope: "write" → "admin""#))
        state.handle(.character("["))
        screen = state.screen()
        #expect(screen.contains("earlier  token 1 of 3 (pasted)"))
        #expect(screen.contains(#"~ changed  claims scope: "read" → "admin""#))
        state.handle(.character("["))
        #expect(state.screen().contains("earlier  token 1 of 3 (pasted)"))
        state.handle(.character("x"))
        #expect(!state.showComparison)
        #expect(!state.screen().contains("Compare: what changed"))
    }
}
