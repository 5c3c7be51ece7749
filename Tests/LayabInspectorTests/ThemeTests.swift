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
        #expect(file.basicStyles == Theme.builtInDefault.basicStyles && file.terminal == Theme.builtInDefault.terminal)
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
            let pair = theme.cursesPair(role, palette: 8)
            // Black on the terminal's own background is invisible on a dark terminal.
            if pair.background == -1 { #expect(pair.foreground != 0, "\(name) \(role)") }
            else { #expect(pair.foreground != pair.background, "\(name) \(role)") }
        }
        // The default theme's dark grey border: the terminal's colour, dimmed, instead of black.
        let border = try ThemeLoader.load("default", folders: [Self.folder]).cursesPair(.border, palette: 8)
        #expect(border.foreground == -1 && border.dim)
        // 256 colours are drawn as given.
        let exact = Theme.cursesPair(Theme.Style(foreground: .indexed(240), background: .indexed(236)), palette: 256)
        #expect(exact.foreground == 240 && exact.background == 236 && !exact.dim)
    }

    @Test("each colour theme on its own background: text 4.5:1 or more, borders and muted text 3:1 (WCAG 2.x), on 256 and on 8 colours",
          arguments: ["default", "light", "solarized", "high-contrast"], [256, 8])
    func contrast(_ name: String, palette: Int) throws {
        let theme = try ThemeLoader.load(name, folders: [Self.folder])
        var failures: [String] = []
        // The terminal's own colours where a pair keeps them: those of a terminal of the kind the theme is
        // for, or of both kinds for a theme that does not say.
        let terminals = theme.terminal.map { [$0] } ?? [.dark, .light]
        for role in Role.allCases {
          for terminal in terminals {
            let pair = theme.cursesPair(role, palette: palette)
            let style = theme.style(role, palette: palette)
            let background = pair.background < 0 ? terminal.background : ColorContrast.rgb(pair.background)
            guard pair.foreground >= 0 || pair.background < 0 else {
                // The terminal's text colour on a background the theme paints: unknown, maybe the same.
                failures.append("\(role): the terminal's own text colour on colour \(pair.background)")
                continue
            }
            var foreground = pair.foreground < 0 ? terminal.foreground : ColorContrast.rgb(pair.foreground)
            if style.dim || pair.dim { foreground = foreground.mixed(with: background) }
            let ratio = ColorContrast.ratio(foreground, background)
            let needed = ColorContrast.minimum(for: role)
            if ratio < needed {
                failures.append("\(role) \((ratio * 100).rounded() / 100):1 < \(needed):1 (\(pair.foreground) on \(pair.background)\(pair.dim ? ", dim" : "") on a \(terminal) terminal)")
            }
          }
        }
        #expect(failures.isEmpty, "\(name) at \(palette) colours: \(failures.joined(separator: "; "))")
    }

    @Test("WCAG ratios of known pairs")
    func ratios() {
        #expect(abs(ColorContrast.ratio(ColorContrast.rgb(16), ColorContrast.rgb(231)) - 21) < 0.01)
        #expect(abs(ColorContrast.ratio(ColorContrast.rgb(15), ColorContrast.rgb(15)) - 1) < 0.01)
        // #767676 on white, the lightest grey that passes 4.5:1.
        #expect(abs(ColorContrast.ratio(ColorContrast.rgb(243), ColorContrast.RGB(255, 255, 255)) - 4.54) < 0.01)
    }

    @Test("pastel and violet colours keep a hue on 8 colours instead of turning white")
    func hues() {
        #expect(Theme.eightColor(114) == 2)  // #87d787, the default theme's JSON strings
        #expect(Theme.eightColor(141) == 4)  // #af87ff, violet
        #expect(Theme.eightColor(179) == 3)  // #d7af5f
        #expect(Theme.eightColor(250) == 7 && Theme.eightColor(236) == 0)
    }

    @Test("a theme may paint its own background and give 8-colour styles after |")
    func backgroundAndFallbacks() throws {
        let theme = try Theme(parsing: "background = 234\nterminal = light\ntext = 250\nerror = 203 bold | white on red bold")
        #expect(theme.terminal == .light)
        #expect(theme.style(.text).background == .indexed(234))
        #expect(theme.style(.error, palette: 256) == Theme.Style(foreground: .indexed(203), background: .indexed(234), bold: true))
        #expect(theme.style(.error, palette: 8) == Theme.Style(foreground: .indexed(7), background: .indexed(1), bold: true))
        #expect(throws: Theme.ParseError.self) { try Theme(parsing: "terminal = grey") }
    }
}
