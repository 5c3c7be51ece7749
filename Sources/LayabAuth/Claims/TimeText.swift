/// Timestamps and durations written for people: "2026-11-29T10:00:00Z", "3m 12s".
///
/// Every function accepts any `Double`. Claims reach them already bounded (`NumericDate` refuses
/// dates beyond ±10^11 s), but a value beyond ±10^15 s (about 31 million years), NaN or an infinity is
/// written as the number itself rather than as a calendar date or a duration.
public enum TimeText {
    /// Beyond this many seconds either way, a value is written as a plain number.
    static let range = 1e15

    /// ISO 8601 in UTC, to the second (fractions are kept to the millisecond when present).
    public static func iso8601(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < range else { return "\(JSONValue.format(seconds)) s since 1970" }
        let whole = seconds.rounded(.down)
        let (year, month, day, remainder) = civilDate(seconds)
        let time = "\(pad(Int(remainder / 3600))):\(pad(Int(remainder % 3600 / 60))):\(pad(Int(remainder % 60)))"
        let millis = Int(((seconds - whole) * 1000).rounded())
        let fraction = millis > 0 && millis < 1000 ? "." + String(String(millis + 1000).dropFirst()) : ""
        let yearText = year >= 0 && year <= 9999 ? String(String(year + 10000).dropFirst()) : String(year)
        return "\(yearText)-\(pad(month))-\(pad(day))T\(time)\(fraction)Z"
    }

    /// A duration as its two largest units: "45s", "3m 12s", "2h 5m", "4d 3h".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < range else { return "\(JSONValue.format(abs(seconds)))s" }
        let total = Int64(abs(seconds).rounded(.down))
        let days = total / 86_400, hours = total % 86_400 / 3600, minutes = total % 3600 / 60, secs = total % 60
        if days > 0 { return hours > 0 ? "\(days)d \(hours)h" : "\(days)d" }
        if hours > 0 { return minutes > 0 ? "\(hours)h \(minutes)m" : "\(hours)h" }
        if minutes > 0 { return secs > 0 ? "\(minutes)m \(secs)s" : "\(minutes)m" }
        return "\(secs)s"
    }

    /// "in 4m 12s", "3h ago" or "3y 10m 14d ago" relative to `now`.
    public static func relative(_ seconds: Double, now: Double) -> String {
        let delta = seconds - now
        guard delta.isFinite else { return "\(JSONValue.format(seconds)) s since 1970" }
        if abs(delta) < 1 { return "now" }
        let span = duration(from: min(seconds, now), to: max(seconds, now))
        return delta > 0 ? "in \(span)" : "\(span) ago"
    }

    /// The time from one instant to a later one: a year or more in calendar years, months and days
    /// ("3y 10m 14d", not "1413d 7h"), anything shorter as ``duration(_:)`` writes it.
    public static func duration(from start: Double, to end: Double) -> String {
        guard start.isFinite, end.isFinite, abs(start) < range, abs(end) < range, end - start >= 365 * 86_400 else {
            return duration(end - start)
        }
        let from = civilDate(start), to = civilDate(end)
        var months = (to.year - from.year) * 12 + Int64(to.month - from.month)
        var days = to.day - from.day
        // A partial day does not count: 10:00 to 09:00 the next year is a day short of a year.
        if to.secondOfDay < from.secondOfDay { days -= 1 }
        if days < 0 {
            months -= 1
            // Borrowed from the month before `end`'s.
            let previousMonth = to.month == 1 ? 12 : to.month - 1
            days += daysInMonth(previousMonth, year: to.month == 1 ? to.year - 1 : to.year)
        }
        // Borrowing from a short month can leave a day or two owed (31 January to 1 March): none are shown.
        days = max(0, days)
        let years = months / 12
        months %= 12
        var parts = ["\(years)y"]
        if months > 0 { parts.append("\(months)m") }
        if days > 0 { parts.append("\(days)d") }
        return parts.joined(separator: " ")
    }

    private static func civilDate(_ seconds: Double) -> (year: Int64, month: Int, day: Int, secondOfDay: Int64) {
        let total = Int64(seconds.rounded(.down))
        var days = total / 86_400
        var remainder = total % 86_400
        if remainder < 0 {
            remainder += 86_400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        return (year, month, day, remainder)
    }

    private static func daysInMonth(_ month: Int, year: Int64) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
    private static func civil(fromDays days: Int64) -> (Int64, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
