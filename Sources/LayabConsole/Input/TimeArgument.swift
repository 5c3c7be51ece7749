import Foundation

/// A time given on the command line: a duration from now (`15m`, `2h`, `-5m`, `1h30m`), `now`, an ISO 8601
/// date-time (`2026-12-07T10:00:00Z`), or seconds since 1970 (`1796637600`).
package enum TimeArgument {
    /// The seconds of each duration unit.
    private static let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]

    /// The NumericDate (whole seconds since 1970) `text` stands for.
    /// - Parameters:
    ///   - option: the option's name, for errors ("--exp").
    ///   - now: the current time, for durations and `now`.
    /// - Throws: ``InputError`` saying which forms are accepted.
    package static func seconds(_ text: String, option: String, now: Int64) throws -> Int64 {
        if text == "now" { return now }
        if let duration = duration(text) { return now + duration }
        if !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            guard let seconds = Int64(text), seconds <= maximumSeconds else { throw InputError("\(option) \(text): seconds since 1970 beyond year 9999") }
            return seconds
        }
        if let date = iso8601(text) { return Int64(date.timeIntervalSince1970.rounded(.down)) }
        throw InputError("\(option) \"\(text)\" is not a time: give a duration from now (15m, 2h, -5m, 1h30m; units s m h d w), now, an ISO 8601 time (2026-12-07T10:00:00Z) or seconds since 1970")
    }

    /// 9999-12-31T23:59:59Z: later NumericDates are refused by verifiers and by people.
    static let maximumSeconds: Int64 = 253_402_300_799

    /// The seconds of a signed duration such as `-5m` or `1h30m`; nil when `text` is not one.
    package static func duration(_ text: String) -> Int64? {
        var rest = Substring(text)
        var sign: Int64 = 1
        if rest.first == "-" || rest.first == "+" {
            if rest.first == "-" { sign = -1 }
            rest = rest.dropFirst()
        }
        var total: Int64 = 0
        var usedUnits: Set<Character> = []
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(digits.count)
            guard !digits.isEmpty, digits.count <= 9, let count = Int64(digits), let unit = rest.first, let size = units[unit],
                  usedUnits.insert(unit).inserted else { return nil }
            rest = rest.dropFirst()
            total += count * size
        }
        guard total <= maximumSeconds else { return nil }
        return sign * total
    }

    /// An ISO 8601 date-time with a zone (`Z` or `+02:00`), with or without fractional seconds.
    static func iso8601(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions.insert(.withFractionalSeconds)
        return formatter.date(from: text)
    }
}
