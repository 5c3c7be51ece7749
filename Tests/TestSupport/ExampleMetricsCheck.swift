import Foundation
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// An example binary started with `--metrics`, scraped before and after known traffic: the verification
/// counters in `GET /metrics` move by exactly the requests sent, per outcome (issue 18). Deltas, not absolute
/// values, so whatever the app counted before the first scrape does not matter. The key set gauges follow
/// the clock between scrapes.
public enum ExampleMetricsCheck {
    /// How many requests of each verified kind the check sends, by the `outcome` label they must count under.
    public static let verified: [(outcome: String, count: Int)] = [("valid", 3), ("expired", 2), ("bad_signature", 2)]
    /// Requests without a token: refused (401) without a verification, so no verification counter moves.
    public static let withoutToken = 2

    /// Runs the check against `binary` (a file next to the test bundle).
    public static func run(_ binary: String) throws {
        let issuer = try TestIssuer()
        let keys = try issuer.serve()
        defer { keys.stop() }
        let app = try ExampleProcess(binary, arguments: ["--jwks", keys.url("/jwks.json"), "--metrics"])
        let before = try scrape(app)
        let credentials = [
            "valid": "Bearer \(try issuer.token(claims: ["sub": "alice"]))",
            "expired": "Bearer \(try issuer.token(claims: ["sub": "alice"], lifetime: -120))",
            "bad_signature": "Bearer \(try issuer.forged(.tamperedSignature, claims: ["sub": "mallory"]))",
        ]
        for (outcome, count) in verified {
            for _ in 0..<count {
                let status = try app.get("/me", authorization: credentials[outcome]).status
                #expect(status == (outcome == "valid" ? 200 : 401), "\(binary): GET /me with a token counted as \(outcome)")
            }
        }
        for _ in 0..<withoutToken { #expect(try app.get("/me").status == 401, "\(binary): GET /me without a token") }
        let after = try scrape(app)

        let name = MetricName.verifications
        for (outcome, count) in verified {
            let series = ["outcome": outcome, "verifier": "jwks", "scheme": "bearer"]
            let moved = after.value(name, series) - before.value(name, series)
            #expect(moved == Double(count), "\(binary): \(name)\(series.sorted { $0.key < $1.key }) moved by \(moved), not \(count)")
        }
        let total = after.value(name) - before.value(name)
        let sent = verified.map(\.count).reduce(0, +)
        #expect(total == Double(sent), "\(binary): \(name) moved by \(total) in all, not \(sent): requests without a token are no verification")
        #expect(after.labelValues(name, "outcome") == Set(verified.map(\.outcome)), "\(binary): outcomes \(after.labelValues(name, "outcome").sorted())")
        #expect(after.types[name] == "counter", "\(binary): # TYPE of \(name)")

        // The key set gauges, by the JWKS URI: brought up to date at each scrape, so the age moves with the clock.
        let source = ["source": keys.url("/jwks.json")]
        #expect(after.value(MetricName.keySetKeys, source) == Double(issuer.keys.count), "\(binary): \(MetricName.keySetKeys)\(source): \(after.samples.filter { $0.name.hasPrefix("layabauth_key") })")
        Thread.sleep(forTimeInterval: 1.5)
        let later = try scrape(app)
        let aged = later.value(MetricName.keySetAge, source) - after.value(MetricName.keySetAge, source)
        #expect(aged >= 1, "\(binary): \(MetricName.keySetAge) moved by \(aged) s in 1.5 s")
        let refreshIn = later.value(MetricName.keySetRefreshIn, source) - after.value(MetricName.keySetRefreshIn, source)
        #expect(refreshIn <= -1, "\(binary): \(MetricName.keySetRefreshIn) moved by \(refreshIn) s in 1.5 s")

        // Without --metrics the route does not exist.
        let plain = try ExampleProcess(binary, arguments: ["--jwks", keys.url("/jwks.json")])
        #expect(try plain.get("/metrics").status == 404, "\(binary) without --metrics")
    }

    /// GET /metrics: no token, the Prometheus text format, every line a sample or a comment.
    static func scrape(_ app: ExampleProcess) throws -> PrometheusText {
        let response = try app.get("/metrics")
        #expect(response.status == 200, "GET /metrics: \(response.text)")
        #expect(response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true, "GET /metrics: \(response.headers)")
        return try PrometheusText(response.text)
    }
}
