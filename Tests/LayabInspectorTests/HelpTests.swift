import LayabInspector
import Testing

@Suite("Help overlay")
struct HelpTests {
    static let bindings = ["paste / type", "x", "e / t / c", "s / a", "i / l", "j / d", "K", "r / F", "y / w", "Tab / k", "↑ ↓ PgUp PgDn", "← / →",
                           "Home", "Enter / Esc", "n / p or N", "prompts", "? / F1", "q / Ctrl-C"]

    @Test("? shows every key binding in a whole box over the view", arguments: [(80, 24), (200, 60)])
    func shows(size: (width: Int, height: Int)) throws {
        var state = try demoState()
        state.handle(.character("?"))
        #expect(state.showHelp)
        let screen = state.screen(width: size.width, height: size.height)
        #expect(screen.contains("┌─ Help: key bindings ─"))
        let help = try #require(screen.boxes().whole.first { screen.rows[$0.top].contains("Help: key bindings") }, "\(screen)")
        // Centred, inside the screen.
        #expect(help.left > 0 && help.right < size.width - 1 && help.top > 0 && help.bottom < size.height - 1)
        #expect(abs(help.left - (size.width - 1 - help.right)) <= 1)
        let inside = screen.column(from: help.left + 1, to: help.right)[(help.top + 1)..<help.bottom].map(\.trimmingSpaces)
        for binding in Self.bindings {
            #expect(inside.contains { $0.hasPrefix(binding + " ") }, "no \(binding) in \(screen)")
        }
        #expect(inside.contains { $0.hasPrefix("q / Ctrl-C") && $0.hasSuffix("quit") })
        #expect(screen.rows[help.bottom].contains("any key closes this help"))
    }

    @Test("the status line keeps \"? help\" at 80 columns, dropping other bindings first")
    func statusLineAtMinimumWidth() throws {
        let narrow = try demoState().screen(width: 80, height: 24)
        let status = try #require(narrow.rows.last)
        #expect(status.trimmingSpaces.hasSuffix("? help"), "\(status)")
        #expect(status.contains("n/p sample"), "\(status)")
        let wide = try demoState().screen(width: 200, height: 60)
        #expect(wide.rows.last?.contains("r refresh  n/p sample  ? help") == true)
    }

    @Test("any key closes the help without acting; q still quits")
    func closes() throws {
        var state = try demoState()
        state.handle(.function(1))
        #expect(state.showHelp)
        state.handle(.character("n"))
        #expect(!state.showHelp)
        #expect(state.sampleIndex == 0)
        #expect(!state.screen().contains("Help: key bindings"))

        state.handle(.character("?"))
        state.handle(.character("q"))
        #expect(state.shouldQuit)
    }

    @Test("a terminal resize keeps the help open and the status line")
    func resizeKeepsHelp() throws {
        var state = try demoState()
        state.handle(.character("?"))
        state.handle(.resize)
        #expect(state.showHelp)
        #expect(state.screen(width: 120, height: 40).contains("Help: key bindings"))

        state.handle(.escape)
        state.handle(.character("c"))
        state.handle(.resize)
        #expect(state.screen().rows.last?.hasPrefix(" token cleared") == true)
    }
}
