#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ANSI colours for command output: only on a terminal, never when `NO_COLOR` is set.
package struct TextStyle: Sendable {
    package let enabled: Bool

    package init(enabled: Bool) { self.enabled = enabled }

    /// Colour when `descriptor` is a terminal and `NO_COLOR` is unset or empty.
    package static func forOutput(_ descriptor: Int32) -> TextStyle {
        let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
        return TextStyle(enabled: isatty(descriptor) == 1 && noColor.isEmpty)
    }

    private func wrap(_ code: String, _ text: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    package func ok(_ text: String) -> String { wrap("32", text) }
    package func error(_ text: String) -> String { wrap("31", text) }
    package func warning(_ text: String) -> String { wrap("33", text) }
    package func muted(_ text: String) -> String { wrap("2", text) }
    package func bold(_ text: String) -> String { wrap("1", text) }
    package func accent(_ text: String) -> String { wrap("36", text) }
}
