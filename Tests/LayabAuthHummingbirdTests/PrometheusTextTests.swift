#if Hummingbird
import TestSupport
import Testing

/// The scrape parser the example apps' metrics tests read `GET /metrics` with.
@Suite("PrometheusText: the scrape parser of the metrics tests")
struct PrometheusTextTests {
    @Test("samples, escaped label values, +Inf and timestamps; a series matched by a subset of its labels")
    func parses() throws {
        let text = """
            # HELP requests_total Requests.
            # TYPE requests_total counter
            requests_total{outcome="valid",path="/a\\"b\\\\c\\nd"} 3
            requests_total{outcome="expired",path="/"} 2 1700000000000
            duration_bucket{le="+Inf"} +Inf
            up 1

            """
        let scrape = try PrometheusText(text)
        #expect(scrape.samples.count == 4)
        #expect(scrape.types == ["requests_total": "counter"])
        #expect(scrape.samples[0].labels == ["outcome": "valid", "path": "/a\"b\\c\nd"])
        #expect(scrape.value("requests_total") == 5)
        #expect(scrape.value("requests_total", ["outcome": "expired"]) == 2)
        #expect(scrape.value("requests_total", ["outcome": "absent"]) == 0)
        #expect(scrape.value("duration_bucket") == .infinity)
        #expect(scrape.labelValues("requests_total", "outcome") == ["valid", "expired"])
    }

    @Test("a line that is not a sample is an error naming the line", arguments: ["requests_total{outcome=\"valid\" 3", "requests_total three", "{a=\"b\"} 1"])
    func refuses(_ line: String) {
        #expect(throws: PrometheusText.Failure.self) { try PrometheusText("up 1\n" + line + "\n") }
    }
}
#endif
