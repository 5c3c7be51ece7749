internal import CNCurses

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The columns a character takes on a terminal, as the C library's `wcwidth` measures them under a UTF-8
/// locale of its own, whatever the process locale. Views measure text through it and import no C.
///
/// `wcwidth` answers for the calling thread's locale, and a process stays in the "C" locale until it calls
/// `setlocale`; there every non-ASCII character is unprintable. Measured that way, a screen rendered in
/// such a process (the tests, or the inspector started without LANG) lost every border, bar and arrow.
enum CharacterWidth {
    // Created once, never changed or freed: reading it from any thread is safe.
    private nonisolated(unsafe) static let utf8Locale: locale_t? = {
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8", "UTF-8"] {
            if let locale = newlocale(LC_CTYPE_MASK, name, nil) { return locale }
        }
        return nil
    }()

    /// Columns `scalar` takes (0 for combining marks and controls, 2 for wide ones).
    static func columns(_ scalar: Unicode.Scalar) -> Int {
        if scalar.value < 0x7F { return scalar.value >= 0x20 ? 1 : 0 }
        return max(0, wcwidthInUTF8Locale(scalar.value))
    }

    /// Columns a grapheme cluster takes: its base character's, or two for what terminals draw as one wide
    /// emoji (a ZWJ sequence such as a family, an emoji presentation selector U+FE0F, a flag's pair of
    /// regional indicators). Combining marks and joiners add none: `e` + three U+0301 is one column.
    static func columns(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        let base = columns(first)
        guard base > 0, scalars.count > 1 else { return base }
        let isRegionalIndicator = (0x1F1E6...0x1F1FF).contains(first.value)
        let isEmojiSequence = first.properties.isEmoji && scalars.contains { $0.value == 0x200D || $0.value == 0xFE0F }
        return isRegionalIndicator || isEmojiSequence ? 2 : base
    }

    /// Display columns of `text`, cluster by cluster.
    static func columns(of text: some StringProtocol) -> Int {
        // ASCII needs no clustering (CR LF aside, which is no column either way).
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.reduce(0) { $0 + ($1 >= 0x20 && $1 < 0x7F ? 1 : 0) } }
        return text.reduce(0) { $0 + columns($1) }
    }

    /// `wcwidth` of `scalar` in a UTF-8 locale (-1 for non-printable characters).
    private static func wcwidthInUTF8Locale(_ scalar: UInt32) -> Int {
        guard let utf8Locale else { return Int(layab_wcwidth(scalar)) }
        let previous = uselocale(utf8Locale)
        defer { uselocale(previous) }
        return Int(layab_wcwidth(scalar))
    }
}
