import LayabAuth

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times in the user's own time zone (`TZ`, else the system's), read through the C library like the
/// locale in ``CharacterWidth``, so that views import no C.
enum LocalTime {
    /// Local wall-clock time with the zone abbreviation, e.g. "2026-11-29 23:40:00 CET"; as
    /// ``TimeText/iso8601(_:)`` gives it when `seconds` is no `time_t` or the C library cannot convert it.
    static func text(_ seconds: Double) -> String {
        // A claim is the token's to choose: 1e300 is a valid JSON number, and converting it traps.
        guard var time = time_t(exactly: seconds.rounded(.down)) else { return TimeText.iso8601(seconds) }
        var parts = tm()
        guard localtime_r(&time, &parts) != nil else { return TimeText.iso8601(seconds) }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S %Z", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
