import Foundation

/// Colours for each role, read from a small text format (see `themes/README.md`):
///
/// ```
/// # comment
/// name = Default (dark)
/// ok = green bold
/// title = black on cyan bold
/// json-key = 75
/// ```
/// A colour is `default`, one of the eight names (`black` … `white`), `bright-<name>`, or 0–255. On an
/// 8-colour terminal numbers map to the nearest of the eight, or to the style after a `|`
/// (`error = 203 bold | white on red bold`). `background = <colour>` paints the theme's own background
/// under every role without one; `terminal = dark` or `light` says which terminals a theme that keeps the
/// terminal's background is for (without it, any).
package struct Theme: Sendable, Equatable {
    /// The terminals a theme on the terminal's own background is made for.
    package enum Terminal: String, Sendable, Equatable {
        case dark, light

        /// What such a terminal is assumed to show, for measuring contrast: black or white, and its text
        /// colour on it (xterm's white, or black).
        package var background: ColorContrast.RGB { self == .dark ? ColorContrast.RGB(0, 0, 0) : ColorContrast.RGB(255, 255, 255) }
        package var foreground: ColorContrast.RGB { self == .dark ? ColorContrast.rgb(7) : ColorContrast.RGB(0, 0, 0) }
    }

    package enum Color: Sendable, Equatable {
        case terminalDefault
        /// 0–255, xterm palette numbering.
        case indexed(Int)
    }

    package struct Style: Sendable, Equatable {
        package var foreground: Color = .terminalDefault
        package var background: Color = .terminalDefault
        package var bold = false
        package var dim = false
        package var underline = false
        package var reverse = false

        package init(foreground: Color = .terminalDefault, background: Color = .terminalDefault, bold: Bool = false, dim: Bool = false,
                    underline: Bool = false, reverse: Bool = false)
        {
            self.foreground = foreground
            self.background = background
            self.bold = bold
            self.dim = dim
            self.underline = underline
            self.reverse = reverse
        }
    }

    package var name: String
    package var styles: [Role: Style]
    /// Styles for terminals of fewer than 16 colours, where the theme gives one (after `|`).
    package var basicStyles: [Role: Style] = [:]
    /// Painted under every role that has no background of its own; `.terminalDefault` keeps the terminal's.
    package var background: Color = .terminalDefault
    /// Nil for a theme meant for any terminal (or that paints its own background).
    package var terminal: Terminal?

    package init(name: String, styles: [Role: Style]) {
        self.name = name
        self.styles = styles
    }

    /// The style of `role`, on the theme's background.
    package func style(_ role: Role) -> Style { onBackground(styles[role] ?? styles[.text] ?? Style()) }

    /// The style of `role` on a terminal of `palette` colours: below 16, the theme's 8-colour style when it gives one.
    package func style(_ role: Role, palette: Int) -> Style {
        guard palette < 16, let basic = basicStyles[role] ?? (styles[role] == nil ? basicStyles[.text] : nil) else { return style(role) }
        return onBackground(basic)
    }

    private func onBackground(_ style: Style) -> Style {
        var style = style
        if style.background == .terminalDefault { style.background = background }
        return style
    }

    package struct ParseError: Error, CustomStringConvertible {
        package let line: Int
        package let reason: String
        package var description: String { "line \(line): \(reason)" }
    }

    /// Parses a theme file. Roles left out fall back to `text`'s style (or the terminal's default).
    package init(parsing text: String, fallbackName: String = "custom") throws(ParseError) {
        name = fallbackName
        styles = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw ParseError(line: offset + 1, reason: "expected \"role = style\"") }
            switch parts[0] {
            case "name":
                name = parts[1]
                continue
            case "background":
                background = try Self.parseColor(parts[1].lowercased(), line: offset + 1)
                continue
            case "terminal":
                guard let kind = Terminal(rawValue: parts[1].lowercased()) else {
                    throw ParseError(line: offset + 1, reason: "terminal is dark or light, not \"\(parts[1])\"")
                }
                terminal = kind
                continue
            default: break
            }
            guard let role = Role(rawValue: parts[0]) else {
                throw ParseError(line: offset + 1, reason: "unknown role \"\(parts[0])\" (roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let styleTexts = parts[1].split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            styles[role] = try Self.parseStyle(String(styleTexts[0]), line: offset + 1)
            if styleTexts.count == 2 { basicStyles[role] = try Self.parseStyle(String(styleTexts[1]), line: offset + 1) }
        }
    }

    static func parseStyle(_ text: String, line: Int) throws(ParseError) -> Style {
        var style = Style()
        var words = text.split(separator: " ").map { String($0).lowercased() }[...]
        var sawForeground = false
        while let word = words.popFirst() {
            switch word {
            case "bold": style.bold = true
            case "dim": style.dim = true
            case "underline": style.underline = true
            case "reverse": style.reverse = true
            case "on":
                guard let next = words.popFirst() else { throw ParseError(line: line, reason: "\"on\" needs a background colour") }
                style.background = try parseColor(next, line: line)
            default:
                guard !sawForeground else { throw ParseError(line: line, reason: "unexpected \"\(word)\"") }
                style.foreground = try parseColor(word, line: line)
                sawForeground = true
            }
        }
        return style
    }

    static let colorNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    static func parseColor(_ word: String, line: Int) throws(ParseError) -> Color {
        if word == "default" { return .terminalDefault }
        if let index = colorNames.firstIndex(of: word) { return .indexed(index) }
        if word.hasPrefix("bright-"), let index = colorNames.firstIndex(of: String(word.dropFirst(7))) { return .indexed(index + 8) }
        if let number = Int(word), (0...255).contains(number) { return .indexed(number) }
        throw ParseError(line: line, reason: "unknown colour \"\(word)\" (default, black…white, bright-<name> or 0-255)")
    }

    /// Every role without colour: what NO_COLOR and monochrome terminals get. Emphasis stays.
    package static let monochrome = Theme(name: "monochrome", styles: [
        .text: Style(), .muted: Style(dim: true), .accent: Style(bold: true), .title: Style(bold: true, reverse: true),
        .border: Style(dim: true), .status: Style(reverse: true), .selection: Style(reverse: true), .ok: Style(bold: true),
        .warning: Style(bold: true, underline: true), .error: Style(bold: true, reverse: true), .demo: Style(bold: true, reverse: true),
        .jsonKey: Style(bold: true), .jsonString: Style(), .jsonNumber: Style(), .jsonLiteral: Style(), .segmentHeader: Style(bold: true),
        .segmentPayload: Style(), .segmentSignature: Style(dim: true), .input: Style(underline: true),
    ])

    /// The built-in default, used when no theme file can be found (it equals `themes/default.theme`).
    package static let builtInDefault: Theme = {
        (try? Theme(parsing: defaultThemeText, fallbackName: "default")) ?? monochrome
    }()

    static let defaultThemeText = """
    name = Default (dark)
    terminal = dark
    text = default
    muted = 245
    accent = cyan bold
    title = black on cyan bold
    border = 241
    status = black on 250
    selection = black on 117
    ok = green bold
    warning = yellow bold
    error = 203 bold | white on red bold
    demo = black on yellow bold
    json-key = 75 | cyan
    json-string = 114
    json-number = 179
    json-literal = 176
    segment-header = 203 | yellow
    segment-payload = 141 | green
    segment-signature = 80
    input = white on 236
    """

    /// The colour pair (`-1` for the terminal's default) and whether to add dim, for drawing `role` on a
    /// terminal of `palette` colours.
    package func cursesPair(_ role: Role, palette: Int) -> (foreground: Int, background: Int, dim: Bool) {
        Self.cursesPair(style(role, palette: palette), palette: palette, terminal: terminal ?? .dark)
    }

    /// The colour pair (`-1` for the terminal's default) and whether to add dim, for drawing `style` on a
    /// terminal of `palette` colours, made for a `terminal` terminal.
    ///
    /// Below 16 colours the nearest basic colour is not enough: a dark grey meant for a dark background
    /// becomes black, invisible there, and a pair can collapse into one colour. So, on the terminal's own
    /// background, a grey or black foreground becomes the terminal's default colour (dimmed when it was
    /// dark), and so does a colour whose nearest basic colour cannot be read there (red or blue on black,
    /// green on white); with a background, a foreground that cannot be read on it turns to black or white,
    /// whichever reads better.
    package static func cursesPair(_ style: Style, palette: Int, terminal: Terminal = .dark) -> (foreground: Int, background: Int, dim: Bool) {
        func index(_ color: Color) -> Int? { if case let .indexed(index) = color { index } else { nil } }
        let foreground = index(style.foreground), background = index(style.background)
        if palette >= 256 { return (foreground ?? -1, background ?? -1, false) }
        func basic(_ index: Int) -> Int { palette >= 16 && index < 16 ? index : eightColor(index) }
        let readable = 4.5
        guard let background else {
            guard let foreground else { return (-1, -1, false) }
            if let level = greyLevel(foreground) { return (-1, -1, terminal == .dark ? level < 0.55 : level > 0.45) }
            let mapped = basic(foreground)
            return ColorContrast.ratio(ColorContrast.rgb(mapped), terminal.background) >= readable ? (mapped, -1, false) : (-1, -1, false)
        }
        let back = basic(background)
        guard let foreground else { return (-1, back, false) }
        var fore = basic(foreground)
        let backColor = ColorContrast.rgb(back)
        if fore % 8 == back % 8 || ColorContrast.ratio(ColorContrast.rgb(fore), backColor) < readable {
            fore = ColorContrast.ratio(ColorContrast.rgb(0), backColor) >= ColorContrast.ratio(ColorContrast.rgb(7), backColor) ? 0 : 7
        }
        return (fore, back, false)
    }

    /// How light a grey of the xterm palette is (0 black … 1 white), or nil for a colour that is not grey.
    static func greyLevel(_ index: Int) -> Double? {
        switch index {
        case 0: return 0
        case 8: return 0.5
        case 7: return 0.75
        case 15: return 1
        case 232...255: return Double(8 + (index - 232) * 10) / 255
        case 16...231:
            let cube = index - 16
            let r = cube / 36, g = cube / 6 % 6, b = cube % 6
            return r == g && g == b ? Double(r) / 5 : nil
        default: return nil
        }
    }

    /// Maps an xterm-256 colour to the nearest of the eight basic colours: by hue, or black or white for a
    /// colour with little of it (a pastel green is green, not white; a violet is blue).
    package static func eightColor(_ index: Int) -> Int {
        if index < 8 { return index }
        if index < 16 { return index - 8 }
        let color = ColorContrast.rgb(index)
        let high = max(color.red, color.green, color.blue), low = min(color.red, color.green, color.blue)
        if high == 0 || (high - low) / high < 0.25 { return high >= 128 ? 7 : 0 }
        let span = high - low
        var hue: Double
        if high == color.red { hue = 60 * (color.green - color.blue) / span }
        else if high == color.green { hue = 120 + 60 * (color.blue - color.red) / span }
        else { hue = 240 + 60 * (color.red - color.green) / span }
        if hue < 0 { hue += 360 }
        // Sectors of 60° centred on red (0°), yellow, green, cyan, blue and magenta.
        let colors = [1, 3, 2, 6, 4, 5]
        return colors[Int((hue + 30) / 60) % 6]
    }
}
