import Foundation
import LayabInspector
import Testing

@Suite("Themes")
struct ThemeTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../themes").standardizedFileURL.path

    @Test("every theme the issue names ships and parses", arguments: ["default", "light", "solarized", "high-contrast", "monochrome"])
    func ships(_ name: String) throws {
        let theme = try ThemeLoader.load(name, folders: [Self.folder])
        #expect(theme.styles.count == Role.allCases.count, "\(name) leaves roles out: \(Set(Role.allCases).subtracting(theme.styles.keys))")
    }

    @Test("the compiled-in default equals themes/default.theme")
    func builtIn() throws {
        let file = try ThemeLoader.load("default", folders: [Self.folder])
        #expect(file.styles == Theme.builtInDefault.styles)
    }

    @Test("bad theme lines are refused with their line number")
    func errors() {
        #expect(throws: Theme.ParseError.self) { try Theme(parsing: "ok = green\nnot-a-role = red") }
        #expect(throws: Theme.ParseError.self) { try Theme(parsing: "ok = chartreuse") }
        #expect(throws: Theme.ParseError.self) { try Theme(parsing: "ok = 256") }
        #expect(throws: Theme.ParseError.self) { try Theme(parsing: "ok = red on") }
        do {
            _ = try Theme(parsing: "text = default\n\nok = purple")
        } catch {
            #expect(error.line == 3)
        }
    }

    @Test("256-colour numbers map to the nearest basic colour")
    func eightColors() {
        #expect(Theme.eightColor(196) == 1)  // bright red
        #expect(Theme.eightColor(46) == 2)  // green
        #expect(Theme.eightColor(21) == 4)  // blue
        #expect(Theme.eightColor(231) == 7)  // white
        #expect(Theme.eightColor(16) == 0)  // black
        #expect(Theme.eightColor(9) == 1)
    }

    @Test("on 8 colours no role of a shipped theme vanishes into its background", arguments: ["default", "light", "solarized", "high-contrast"])
    func eightColorPairs(_ name: String) throws {
        let theme = try ThemeLoader.load(name, folders: [Self.folder])
        for role in Role.allCases {
            let pair = Theme.cursesPair(theme.style(role), palette: 8)
            // Black on the terminal's own background is invisible on a dark terminal.
            if pair.background == -1 { #expect(pair.foreground != 0, "\(name) \(role)") }
            else { #expect(pair.foreground != pair.background, "\(name) \(role)") }
        }
        // The default theme's dark grey border: the terminal's colour, dimmed, instead of black.
        let border = Theme.cursesPair(try ThemeLoader.load("default", folders: [Self.folder]).style(.border), palette: 8)
        #expect(border.foreground == -1 && border.dim)
        // 256 colours are drawn as given.
        let exact = Theme.cursesPair(Theme.Style(foreground: .indexed(240), background: .indexed(236)), palette: 256)
        #expect(exact.foreground == 240 && exact.background == 236 && !exact.dim)
    }
}
