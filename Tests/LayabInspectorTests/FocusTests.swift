import LayabInspector
import Testing

/// ← and → choose which panel ↑↓ and PgDn scroll: only a panel with something to scroll takes the focus.
@Suite("Focus")
struct FocusTests {
    /// The demo at 80x24 requiring twelve scopes, more than the verification panel shows, after ←.
    static func focusedOnVerification() throws -> InspectorState {
        var state = try demoState()
        state.screenSize = (80, 24)
        state.renderedAt = fixedNow
        state.set("s", to: (1...12).map { "scope-\($0)" }.joined(separator: " "))
        state.handle(.left)
        return state
    }

    @Test("← with nothing to scroll in the verification panel leaves PgDn scrolling the claims")
    func nothingToScroll() throws {
        var state = try demoState()
        state.screenSize = (80, 24)
        state.renderedAt = fixedNow
        #expect(InspectorView.scrollLimit(.verification, state, width: 80, height: 24) == 0)
        state.handle(.left)
        #expect(!state.scrollsVerification)
        #expect(state.notice?.contains("nothing") == true || state.notice?.contains("everything") == true)
        state.handle(.pageDown)
        #expect(state.claimsScroll == 10)
    }

    @Test("the focused panel has an accented border; → gives the focus back")
    func visible() throws {
        var state = try Self.focusedOnVerification()
        #expect(state.scrollsVerification)
        var screen = state.screen(width: 80, height: 24)
        let verification = try #require(screen.find("┌─ Verification"))
        let claims = try #require(screen.find("┌─ Claims"))
        #expect(screen[verification.x, verification.y].role == .accent && screen[verification.x, verification.y + 1].role == .accent)
        #expect(screen[claims.x, claims.y + 1].role == .border)
        state.handle(.right)
        screen = state.screen(width: 80, height: 24)
        #expect(screen[verification.x, verification.y + 1].role == .border)
        #expect(screen[claims.x, claims.y + 1].role == .accent)
    }

    @Test("a resize that leaves nothing to scroll in the verification panel gives the focus back to the claims")
    func resize() throws {
        var state = try Self.focusedOnVerification()
        state.handle(.pageDown)
        #expect(state.verificationScroll > 0)
        state.screenSize = (200, 60)
        state.handle(.resize)
        #expect(!state.scrollsVerification && state.verificationScroll == 0)
        state.screenSize = (80, 24)
        state.handle(.pageDown)
        #expect(state.claimsScroll == 10)
    }
}
