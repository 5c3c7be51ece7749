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

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func escaping(_ text: String, where escaped: (Unicode.Scalar) -> Bool) -> String {
        guard text.unicodeScalars.contains(where: escaped) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard escaped(scalar) else {
                result.append(scalar)
                continue
            }
            let hex = String(scalar.value, radix: 16)
            result.append(contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).unicodeScalars)
        }
        return String(result)
    }
}
