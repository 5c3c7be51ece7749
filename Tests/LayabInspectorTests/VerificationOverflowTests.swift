import LayabInspector
import Testing

/// A verification panel longer than its box: nothing is cut, and the server's answer stays in one piece.
@Suite("Verification overflow")
struct VerificationOverflowTests {
    static let scopes = ["orders:read", "orders:write", "admin:everything", "billing:read", "billing:write", "reports:export"]

    @Test("required scopes longer than the panel are wrapped, never cut: each can be read whole, scrolling if need be",
          arguments: [(80, 24), (100, 30), (200, 60)])
    func requiredScopes(size: (width: Int, height: Int)) throws {
        var state = try demoState()
        state.screenSize = size
        state.renderedAt = fixedNow
        state.set("s", to: Self.scopes.joined(separator: " "))
        state.handle(.left)
        var seen: [String] = []
        for _ in 0...InspectorView.scrollLimit(.verification, state, width: size.width, height: size.height) {
            let screen = state.screen(width: size.width, height: size.height)
            let columns = try #require(screen.verificationColumns)
            let panel = screen.column(from: columns.lowerBound + 1, to: columns.upperBound - 1)
            #expect(!panel.contains { $0.contains("…") }, "\(screen.dump)")
            seen += panel
            state.handle(.down)
        }
        let words = Set(seen.flatMap { $0.split(separator: " ").map(String.init) })
        for scope in Self.scopes { #expect(words.contains(scope), "\(scope) is not shown whole: \(seen.joined(separator: "\n"))") }
    }

    @Test("when the panel overflows, the WWW-Authenticate header follows its status line", arguments: [6, 12, 30])
    func answerTogether(count: Int) throws {
        var state = try demoState()
        state.screenSize = (80, 24)
        state.renderedAt = fixedNow
        state.set("s", to: (1...count).map { "scope-\($0)" }.joined(separator: " "))
        var screen = state.screen(width: 80, height: 24)
        let status = try #require(screen.find("Server     403 Forbidden"), "\(screen.dump)")
        #expect(screen.rows[status.y + 1].contains("WWW-Authenticate: Bearer"), "\(screen.dump)")
        // Scrolled to the end, the same.
        state.handle(.left)
        for _ in 0..<10 { state.handle(.pageDown) }
        screen = state.screen(width: 80, height: 24)
        if let end = screen.find("Server     403 Forbidden") {
            #expect(screen.rows[end.y + 1].contains("WWW-Authenticate: Bearer"), "\(screen.dump)")
        }
        #expect(screen.boxes().broken.isEmpty)
    }
}
