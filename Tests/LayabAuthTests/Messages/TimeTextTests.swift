import LayabAuth
import Testing

@Suite("Times written for people")
struct TimeTextTests {
    @Test("ISO 8601 dates in UTC, before and after 1970, with milliseconds when present")
    func dates() {
        #expect(TimeText.iso8601(0) == "1970-01-01T00:00:00Z")
        #expect(TimeText.iso8601(1_800_000_000) == "2027-01-15T08:00:00Z")
        #expect(TimeText.iso8601(1_800_000_000.25) == "2027-01-15T08:00:00.250Z")
        #expect(TimeText.iso8601(-1) == "1969-12-31T23:59:59Z")
        #expect(TimeText.iso8601(951_782_400) == "2000-02-29T00:00:00Z")
        #expect(TimeText.iso8601(1e11) == "5138-11-16T09:46:40Z")
    }

    @Test("durations keep their two largest units")
    func durations() {
        #expect(TimeText.duration(0) == "0s")
        #expect(TimeText.duration(192) == "3m 12s")
        #expect(TimeText.duration(-192) == "3m 12s")
        #expect(TimeText.duration(7500) == "2h 5m")
        #expect(TimeText.duration(3 * 86_400 + 3600) == "3d 1h")
        #expect(TimeText.relative(1000, now: 1000.5) == "now")
        #expect(TimeText.relative(1252, now: 1000) == "in 4m 12s")
        #expect(TimeText.relative(1000, now: 11800) == "3h ago")
    }

    @Test("values no calendar can hold are written as numbers, never trap", arguments: [
        1e300, -1e300, Double.infinity, -Double.infinity, Double.nan, 9.3e18, -9.3e18, Double.greatestFiniteMagnitude,
    ])
    func outOfRange(value: Double) {
        #expect(TimeText.iso8601(value).hasSuffix(" s since 1970"))
        #expect(TimeText.duration(value).hasSuffix("s"))
        #expect(!TimeText.relative(value, now: 1_800_000_000).isEmpty)
        #expect(!TimeText.relative(1_800_000_000, now: value).isEmpty)
    }
}
