/// Text from tokens, key sets and servers made safe to print.
///
/// A token is attacker-controlled: a claim name holding an ANSI sequence would drive the reader's terminal,
/// and one holding a line break would forge a line of output ("VALID") or break the one-line-per-token
/// contract of batch mode. Every such character is shown as a `\u001b`-style escape instead.
package enum TerminalText {
    /// `text` with control characters (C0, DEL, C1) and bidirectional overrides and isolates written as
    /// `\uXXXX` escapes.
    package static func printable(_ text: String) -> String {
        escaping(text, where: isControl)
    }

    /// JSON text with DEL, C1 controls and bidirectional overrides and isolates written as `\uXXXX`
    /// escapes: the same document, since such characters only occur inside strings, where the escape is
    /// valid. C0 controls are left alone: inside strings the serializer escapes them already, and outside
    /// they are the line breaks of indented output.
    package static func json(_ text: String) -> String {
        escaping(text) { $0.value >= 0x7F && isControl($0) }
    }

    /// `text` as a terminal can show all of it: controls, bidirectional marks, overrides and isolates,
    /// line and paragraph separators and invisible format characters (U+200B, U+2060, U+FEFF…) written as
    /// `\u{…}`. Joiners (U+200C, U+200D) and emoji tags stay: they belong to the cluster they join, and
    /// ``codePoints(_:)`` shows them.
    package static func visible(_ text: String) -> String {
        escaping(text, where: isHidden, as: swiftEscape)
    }

    /// `text` with every scalar that draws nothing of its own written as `\u{…}`: combining marks,
    /// joiners, variation selectors, invisible and bidirectional format characters, controls and spaces other
    /// than U+0020; nil when there is none. Two strings that compare equal in Swift but differ in bytes (NFC
    /// `é` and NFD `e` + U+0301) read differently here.
    package static func codePoints(_ text: String) -> String? {
        guard text.unicodeScalars.contains(where: isUnseen) else { return nil }
        return escaping(text, where: isUnseen, as: swiftEscape)
    }

    /// Drawn as nothing, or as something other than itself, wherever it stands.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        case .format: return !(scalar.value == 0x200C || scalar.value == 0x200D || (0xE0020...0xE007F).contains(scalar.value))
        default: return false
        }
    }

    /// Draws no glyph of its own: part of the character before it, or nothing at all.
    static func isUnseen(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return false }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control, .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    private static func swiftEscape(_ scalar: Unicode.Scalar) -> String { "\\u{" + String(scalar.value, radix: 16) + "}" }

    private static func jsonEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func escaping(_ text: String, where escaped: (Unicode.Scalar) -> Bool,
                                 as escape: (Unicode.Scalar) -> String = jsonEscape) -> String {
        guard text.unicodeScalars.contains(where: escaped) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard escaped(scalar) else {
                result.append(scalar)
                continue
            }
            result.append(contentsOf: escape(scalar).unicodeScalars)
        }
        return String(result)
    }
}
