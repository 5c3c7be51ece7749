import LayabAuth
import LayabConsole
import LayabInspector
import Testing

/// The `P` (DPoP proof) and `R` (request) prompts in the model, and the binding section of the panel.
@Suite("Binding prompts and panel")
struct BindingPromptTests {
    @Test("R takes a method and an absolute URL; anything else keeps the prompt open with the reason")
    func requestPrompt() throws {
        var state = try TestIssuer().state(showing: try TestIssuer().token())
        state.set("R", to: "GET")
        #expect(state.editing == .request)
        #expect(state.promptError?.contains("give the method and the URL") == true)
        state.handle(.escape)
        state.set("R", to: "GET /relative")
        #expect(state.promptError?.contains("not an absolute http(s) URI") == true)
        state.handle(.escape)
        state.set("R", to: "POST https://api.test/orders")
        #expect(state.editing == nil)
        #expect(state.bindingRequest.method == "POST" && state.bindingRequest.uri == "https://api.test/orders")
    }

    @Test("P takes a compact JWS (a DPoP: line too); empty sends the token as Bearer again")
    func proofPrompt() throws {
        var state = try TestIssuer().state(showing: try TestIssuer().token())
        state.set("P", to: "not a proof")
        #expect(state.promptError?.contains("compact JWS") == true)
        state.handle(.escape)
        state.set("P", to: "DPoP: a.b.c")
        #expect(state.bindingRequest.proof == "a.b.c")
        #expect(state.bindingRequest.presentation.scheme == .dpop)
        state.set("P", to: "")
        #expect(state.bindingRequest.proof == nil)
        #expect(state.bindingRequest.presentation.scheme == .bearer)
    }

    @Test("a bound token's binding report is shown with its checks and the 401 it gets as Bearer, at 200x60 and 80x24")
    func panelShowsBinding() async throws {
        let issuer = try TestIssuer()
        let token = try issuer.token(extra: [("cnf", .object(["jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"]))])
        var state = issuer.state(showing: token)
        let report = try #require(state.report(now: fixedNow, checkingWeakKeys: false))
        let binding = await BindingReport.evaluate(report, verified: nil, request: state.bindingRequest, now: fixedNow)
        let key = try #require(state.bindingKey(now: fixedNow, report: report))
        state.checkedBinding = CheckedBinding(key: key, report: binding)
        let wide = state.screen().rows.joined(separator: "\n")
        #expect(wide.contains("bound to key 0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I: a server refuses"), "\(wide)")
        #expect(wide.contains("scheme") && wide.contains("FAIL binding_mismatch"), "\(wide)")
        #expect(wide.contains("401 Unauthorized"), "\(wide)")
        let small = state.screen(width: 80, height: 24)
        #expect(small.rows.joined().contains("401 Unauthorized"), "\(small.rows.joined(separator: "\n"))")
        #expect(small.boxes().broken.isEmpty)
        state.tokenText = try issuer.token(scope: "other")
        #expect(state.shownBinding == nil, "a report made for another token is not shown")
    }
}
