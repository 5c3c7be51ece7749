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
/// 8-colour terminal numbers map to the nearest of the eight.
package struct Theme: Sendable, Equatable {
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

    package init(name: String, styles: [Role: Style]) {
        self.name = name
        self.styles = styles
    }

    package func style(_ role: Role) -> Style { styles[role] ?? styles[.text] ?? Style() }

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
            if parts[0] == "name" {
                name = parts[1]
                continue
            }
            guard let role = Role(rawValue: parts[0]) else {
                throw ParseError(line: offset + 1, reason: "unknown role \"\(parts[0])\" (roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            styles[role] = try Self.parseStyle(parts[1], line: offset + 1)
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
    text = default
    muted = 245
    accent = cyan bold
    title = black on cyan bold
    border = 240
    status = black on 250
    selection = black on 117
    ok = green bold
    warning = yellow bold
    error = red bold
    demo = black on yellow bold
    json-key = 75
    json-string = 114
    json-number = 179
    json-literal = 176
    segment-header = 203
    segment-payload = 141
    segment-signature = 80
    input = white on 236
    """

    /// The colour pair (`-1` for the terminal's default) and whether to add dim, for drawing `style` on a
    /// terminal of `palette` colours.
    ///
    /// Below 16 colours the nearest basic colour is not enough: a dark grey meant for a dark background
    /// becomes black, invisible there, and a pair can collapse into one colour. So, on the terminal's own
    /// background, a grey or black foreground becomes the terminal's default colour (dimmed when it was
    /// dark), readable whatever that background is; with a background, a foreground that lands on the
    /// background's colour turns to black or white against it.
    package static func cursesPair(_ style: Style, palette: Int) -> (foreground: Int, background: Int, dim: Bool) {
        func index(_ color: Color) -> Int? { if case let .indexed(index) = color { index } else { nil } }
        let foreground = index(style.foreground), background = index(style.background)
        if palette >= 256 { return (foreground ?? -1, background ?? -1, false) }
        func basic(_ index: Int) -> Int { palette >= 16 && index < 16 ? index : eightColor(index) }
        guard let background else {
            guard let foreground else { return (-1, -1, false) }
            if let level = greyLevel(foreground) { return (-1, -1, level < 0.55) }
            let mapped = basic(foreground)
            return mapped == 0 ? (-1, -1, true) : (mapped, -1, false)
        }
        let back = basic(background)
        guard let foreground else { return (-1, back, false) }
        var fore = basic(foreground)
        if fore % 8 == back % 8 { fore = back % 8 == 0 ? 7 : 0 }
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

    /// Maps an xterm-256 colour to the nearest of the eight basic colours.
    package static func eightColor(_ index: Int) -> Int {
        if index < 8 { return index }
        if index < 16 { return index - 8 }
        if index >= 232 { return index < 244 ? 0 : 7 }
        let cube = index - 16
        let r = cube / 36, g = cube / 6 % 6, b = cube % 6
        let threshold = 2
        let bits = (r >= threshold ? 1 : 0) | (g >= threshold ? 2 : 0) | (b >= threshold ? 4 : 0)
        return bits
    }
}
