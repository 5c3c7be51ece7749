import LayabInspector
import Testing

/// Scrolling the claims and the key details: it stops at the end of what the panels hold.
@Suite("Scrolling")
struct ScrollTests {
    @Test("paging past the end of the claims, then back, moves back at once")
    func claims() throws {
        var state = try demoState()
        state.screenSize = (80, 24)
        #expect(state.screen(width: 80, height: 24).title(containing: "Claims") == "Claims and header  ↑↓ 1-16/41")
        for _ in 0..<5 { state.handle(.pageDown) }
        #expect(state.claimsScroll == 25)
        #expect(state.screen(width: 80, height: 24).title(containing: "Claims") == "Claims and header  ↑↓ 26-41/41")
        state.handle(.pageUp)
        #expect(state.screen(width: 80, height: 24).title(containing: "Claims") == "Claims and header  ↑↓ 16-31/41")
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
        #expect(state.claimsScroll == 25)
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
        let lines = InspectorView.scrollLimits(state, width: 80, height: 24).keyDetail + 16
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
        #expect(state.screen(width: 80, height: 24).title(containing: "Claims") == "Claims and header  ↑↓ 11-26/41")
    }
}
