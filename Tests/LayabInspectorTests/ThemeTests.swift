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
}
