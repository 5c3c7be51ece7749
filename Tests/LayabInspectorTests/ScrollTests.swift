import LayabInspector
import Testing

/// Scrolling the claims and the key details: it stops at the end of what the panels hold.
@Suite("Scrolling")
struct ScrollTests {
    @Test("paging past the end of the claims, then back, moves back at once")
    func claims() throws {
        var state = try demoState()
        state.screenSize = (80, 24)
        #expect(state.screen(width: 80, height: 24).title(containing: "Claims") == "Claims and header  ↑↓ 1-16/43")
        for _ in 0..<5 { state.handle(.pageDown) }
        #expect(state.claimsScroll == 27)
        #expect(state.screen(width: 80, height: 24).title(containing: "Claims") == "Claims and header  ↑↓ 28-43/43")
        state.handle(.pageUp)
        #expect(state.screen(width: 80, height: 24).title(containing: "Claims") == "Claims and header  ↑↓ 18-33/43")
        state.handle(.home)
        #expect(state.claimsScroll == 0)
        state.handle(.up)
        #expect(state.claimsScroll == 0)
    }

    @Test("a larger terminal shrinks how far one can scroll")
    func resize() throws {
        var state = try demoState()
        state.screenSize = (80, 24)
        for _ in 0..<3 { state.handle(.pageDown) }
        #expect(state.claimsScroll == 27)
        state.screenSize = (200, 60)
        state.handle(.resize)
        #expect(state.claimsScroll == 0)
        #expect(state.screen().title(containing: "Claims") == "Claims and header")
    }

    @Test("the key details scroll to the end of the PEM and no further, and say where they are")
    func keyDetail() throws {
        var state = try demoState()
        state.screenSize = (80, 24)
        state.handle(.tab)
        state.handle(.enter)
        let lines = InspectorView.scrollLimit(.keyDetail, state, width: 80, height: 24) + 16
        #expect(state.screen(width: 80, height: 24).title(containing: "Key details") == "Key details  ↑↓ 1-16/\(lines)")
        for _ in 0..<4 { state.handle(.pageDown) }
        #expect(state.keyDetailScroll == lines - 16)
        let end = state.screen(width: 80, height: 24)
        #expect(end.title(containing: "Key details") == "Key details  ↑↓ \(lines - 15)-\(lines)/\(lines)")
        #expect(end.contains("-----END PUBLIC KEY-----"))
        state.handle(.up)
        #expect(state.keyDetailScroll == lines - 17)
    }

    @Test("without a known size the model still never scrolls above the top")
    func unknownSize() throws {
        var state = try demoState()
        state.handle(.up)
        #expect(state.claimsScroll == 0)
        state.handle(.pageDown)
        #expect(state.claimsScroll == 10)
        #expect(state.screen(width: 80, height: 24).title(containing: "Claims") == "Claims and header  ↑↓ 11-26/43")
    }

    @Test("at 80x24 a verification panel too long for its box scrolls after ←, the server's answer staying in view")
    func verification() throws {
        var state = try demoState()
        state.screenSize = (80, 24)
        state.renderedAt = fixedNow
        let required = (1...12).map { "scope-\($0)" }
        state.set("s", to: required.joined(separator: " "))
        var screen = state.screen(width: 80, height: 24)
        #expect(screen.contains("Server     403 Forbidden"), "\(screen.dump)")
        let hint = try #require(screen.row(containing: "▼"), "\(screen.dump)")
        #expect(hint.contains("more: ← then ↑↓"))
        // ↑↓ scroll the claims until ← says otherwise.
        state.handle(.down)
        #expect(state.verificationScroll == 0)
        state.handle(.left)
        for _ in 0..<40 { state.handle(.down) }
        screen = state.screen(width: 80, height: 24)
        #expect(state.verificationScroll > 0)
        #expect(screen.contains("scope-12"), "\(screen.dump)")
        #expect(screen.contains("▲ ↑ scrolls back"), "\(screen.dump)")
        #expect(screen.contains("Server     403 Forbidden"))
        #expect(screen.title(containing: "Verification")?.contains("↑↓") == true)
        #expect(screen.boxes().broken.isEmpty)
        // Scrolled to the end, one ↑ moves back at once.
        let end = state.verificationScroll
        state.handle(.up)
        #expect(state.verificationScroll == end - 1)
        state.handle(.right)
        state.handle(.down)
        #expect(state.verificationScroll == end - 1)
        // A new token starts at the top.
        state.selectSample(1)
        #expect(state.verificationScroll == 0)
    }
}
