import LayabAuth

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times in the user's own time zone (`TZ`, else the system's), read through the C library like the
/// locale in ``CharacterWidth``, so that views import no C.
enum LocalTime {
    /// Local wall-clock time with the zone abbreviation, e.g. "2026-11-29 23:40:00 CET"; ISO 8601 UTC
    /// when the C library cannot convert `seconds`.
    static func text(_ seconds: Double) -> String {
        var time = time_t(seconds.rounded(.down))
        var parts = tm()
        guard localtime_r(&time, &parts) != nil else { return TimeText.iso8601(seconds) }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S %Z", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
