import Foundation
import InMemoryTracing
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import MetricsTestKit
import Synchronization
import Testing
import Tracing

/// Issue 18: what a key source did, in logs, metrics, spans and its event history, through the
/// `Observability` it was given (never the global logging, metrics or tracing systems).
@Suite("Key sources: logs, metrics, spans and event history")
struct KeySourceObservabilityTests {
    let clock = ManualClock()
    let metrics = TestMetrics()
    let logs = LogRecorder()
    let tracer = InMemoryTracer()

    var observability: Observability { Observability(logger: logs.logger(), metrics: metrics, tracer: tracer) }

    func source(_ url: String, policy: KeyCachePolicy = KeyCachePolicy(minimumLifetime: 0, retryAfterFailure: 0)) throws -> RemoteKeySource {
        try RemoteKeySource(.http(url), cachePolicy: policy, clock: clock.function, observability: observability)
    }

    /// The retrieval counter of `source` with `result`.
    func retrievals(_ source: String, _ result: String) -> Int64 {
        metrics.counterTotal(label: MetricName.keyRetrievals, dimensions: [("source", source), ("result", result)])
    }

    func entries(_ message: String) -> [LogRecorder.Entry] { logs.entries.filter { $0.message == message } }

    /// A JWKS endpoint serving whatever key set it is given, with an ETag naming that set, answering 304 to it.
    final class RotatingEndpoint: Sendable {
        let server: TestHTTPServer
        private let document: Document

        final class Document: Sendable {
            let state = Mutex<(jwks: String, version: Int, failing: Bool)>(("", 0, false))
            func withLock<T>(_ body: (inout (jwks: String, version: Int, failing: Bool)) -> T) -> T { state.withLock { body(&$0) } }
        }

        init() throws {
            let document = Document()
            self.document = document
            server = try TestHTTPServer { request in
                let (jwks, version, failing) = document.withLock { $0 }
                if failing { return .json("{\"error\":\"down\"}", status: 500) }
                let etag = "\"v\(version)\""
                if request.headers["if-none-match"] == etag { return TestHTTPServer.Response(status: 304, headers: [("ETag", etag)]) }
                return .json(jwks, headers: [("ETag", etag), ("Cache-Control", "max-age=60")])
            }
        }

        func serve(_ keys: [SigningKey]) {
            let jwks = KeySet(keys: keys.map(\.verificationKey)).publicJWKS.jsonText
            document.withLock { $0 = (jwks, $0.version + 1, false) }
        }

        func fail() { document.withLock { $0.failing = true } }
        var url: String { server.url("/jwks.json") }
    }

    @Test("a 200 then a 304: one count each, a timer per retrieval, debug lines with status, ETag, duration and keys")
    func okAndNotModified() async throws {
        let issuer = try Issuer(kids: ["a"])
        let endpoint = try RotatingEndpoint()
        defer { endpoint.server.stop() }
        endpoint.serve(issuer.keys)
        let source = try source(endpoint.url + "?tenant=blue")
        _ = try await source.forceRefresh()
        _ = try await source.forceRefresh()

        let label = endpoint.url
        #expect(retrievals(label, "200") == 1)
        #expect(retrievals(label, "304") == 1)
        #expect(metrics.counterTotal(label: MetricName.keyRetrievals) == 2)
        #expect(try metrics.expectTimer(MetricName.keyRetrievalDuration, [("source", label)]).values.count == 2)
        let retrieved = try #require(entries("key set retrieved").first)
        #expect(retrieved.level == .debug)
        #expect(retrieved.metadata["jwks.source"] == label, "no query in the source: \(retrieved)")
        #expect(retrieved.metadata["http.status"] == "200")
        #expect(retrieved.metadata["etag"] == "\"v1\"")
        #expect(retrieved.metadata["keys"] == "1")
        #expect(retrieved.metadata["duration_ms"].flatMap(Int.init) != nil, "\(retrieved)")
        let notModified = try #require(entries("key set not modified").first)
        #expect(notModified.metadata["http.status"] == "304")
        #expect(entries("key set revalidation started").count == 1)
        #expect(!logs.entries.contains { $0.description.contains("tenant=blue") }, "\(logs.entries)")

        let events = await source.events()
        #expect(events.map(\.kind) == [.retrievalStarted, .retrievalFinished, .retrievalStarted, .retrievalFinished])
        #expect(events.map(\.sequence) == [1, 2, 3, 4])
        #expect(events.allSatisfy { $0.time == clock.now })
        #expect(events[1].description.hasSuffix("debug key set retrieved duration_ms=\(events[1].metadata["duration_ms"] ?? "") etag=\"v1\" "
            + "http.status=200 jwks.source=\(label) keys=1 result=200"), "\(events[1])")
        #expect(metrics.counterTotal(label: MetricName.keySourceEvents, dimensions: [("source", label), ("event", "retrieval_finished")]) == 2)
        // The hot path records nothing.
        for _ in 0..<5 { _ = try await source.currentKeys() }
        #expect(await source.events().count == 4)
        #expect(metrics.counterTotal(label: MetricName.keyRetrievals) == 2)
    }

    @Test("a 500 and an unreachable port: http_error and network, each a warning with its cause")
    func failures() async throws {
        let failing = try TestHTTPServer { _ in .json("{\"error\":\"maintenance\"}", status: 500) }
        defer { failing.stop() }
        let down = try TestHTTPServer { _ in .json("{}") }
        let unreachable = down.url("/jwks.json")
        down.stop()

        let first = try source(failing.url("/jwks.json?api_key=s3cret"))
        _ = try? await first.forceRefresh()
        let second = try source(unreachable)
        _ = try? await second.forceRefresh()

        #expect(retrievals(failing.url("/jwks.json"), "http_error") == 1)
        #expect(retrievals(unreachable, "network") == 1)
        #expect(metrics.counterTotal(label: MetricName.keyRetrievals) == 2)
        let warnings = entries("key set retrieval failed")
        try #require(warnings.count == 2, "\(logs.entries)")
        #expect(warnings.allSatisfy { $0.level == .warning })
        #expect(warnings[0].metadata["http.status"] == "500")
        #expect(warnings[0].metadata["error"]?.contains("HTTP 500") == true, "\(warnings[0])")
        #expect(warnings[0].metadata["error"]?.contains("maintenance") == true, "an error page excerpt is kept: \(warnings[0])")
        #expect(warnings[0].metadata["error"]?.contains("from \(failing.url("/jwks.json")):") == true, "\(warnings[0])")
        #expect(!logs.entries.contains { $0.description.contains("s3cret") }, "no query in any line: \(logs.entries)")
        #expect(!(await first.events()).contains { $0.description.contains("s3cret") })
        #expect(warnings[1].metadata["http.status"] == nil)
        #expect(warnings[1].metadata["result"] == "network")
        #expect(try metrics.expectGauge(MetricName.keySetKeys, [("source", unreachable)]).lastValue == 0)
    }

    @Test("a rotation: key set changed (info) with the kids added, then the kids removed; not on the first retrieval")
    func rotation() async throws {
        let issuer = try Issuer(kids: ["a", "b"])
        let endpoint = try RotatingEndpoint()
        defer { endpoint.server.stop() }
        let source = try source(endpoint.url)
        endpoint.serve([issuer.keys[0]])
        _ = try await source.forceRefresh()
        #expect(entries("key set changed").isEmpty)
        endpoint.serve(issuer.keys)
        _ = try await source.forceRefresh()
        endpoint.serve([issuer.keys[1]])
        _ = try await source.forceRefresh()

        let changes = entries("key set changed")
        try #require(changes.count == 2, "\(logs.entries)")
        #expect(changes.allSatisfy { $0.level == .info })
        #expect(changes[0].metadata["kids.added"] == "b" && changes[0].metadata["kids.removed"] == nil, "\(changes[0])")
        #expect(changes[1].metadata["kids.removed"] == "a" && changes[1].metadata["kids.added"] == nil, "\(changes[1])")
        #expect(changes[1].metadata["keys"] == "1")
        #expect(metrics.counterTotal(label: MetricName.keySourceEvents, dimensions: [("source", endpoint.url), ("event", "key_set_changed")]) == 2)
        #expect(retrievals(endpoint.url, "200") == 3)
        #expect(await source.events().filter { $0.kind == .keySetChanged }.count == 2)
    }

    @Test("an unknown kid: still unknown, remembered unknown, retrieved, provider down")
    func unknownKid() async throws {
        let issuer = try Issuer(kids: ["a", "new"])
        let endpoint = try RotatingEndpoint()
        defer { endpoint.server.stop() }
        endpoint.serve([issuer.keys[0]])
        let source = try source(endpoint.url, policy: KeyCachePolicy(minimumLifetime: 0, unknownKidCooldown: 30, retryAfterFailure: 0))
        _ = try await source.currentKeys()

        #expect(try await source.refresh(forUnknownKid: "new") != nil)
        #expect(try await source.refresh(forUnknownKid: "new") == nil)
        endpoint.serve(issuer.keys)
        clock.advance(31)
        #expect(try await source.refresh(forUnknownKid: "new")?.keys(withKid: "new").isEmpty == false)
        endpoint.fail()
        clock.advance(31)
        await #expect(throws: LayabAuthError.self) { try await source.refresh(forUnknownKid: "other\u{1B}[31m") }

        let lookups = entries("unknown kid looked up")
        try #require(lookups.count == 4, "\(logs.entries)")
        #expect(lookups.map { $0.metadata["outcome"] ?? "" } == ["still_unknown", "remembered_unknown", "retrieved", "provider_down"])
        #expect(lookups.map(\.level) == [.info, .debug, .info, .warning])
        #expect(lookups[0].metadata["kid"] == "new")
        #expect(lookups[3].metadata["kid"] == "other?[31m", "control characters replaced: \(lookups[3])")
        #expect(lookups[3].metadata["error"]?.contains("HTTP 500") == true)
        #expect(retrievals(endpoint.url, "200") == 2)
        #expect(retrievals(endpoint.url, "304") == 1, "the first lookup revalidated the set it had")
        #expect(retrievals(endpoint.url, "http_error") == 1)
        #expect(metrics.counterTotal(label: MetricName.keySourceEvents, dimensions: [("source", endpoint.url), ("event", "unknown_kid")]) == 4)
    }

    @Test("the staleness limit: one error line when the keys stop being served, again only after a recovery")
    func stalenessLimit() async throws {
        let issuer = try Issuer(kids: ["a"])
        let endpoint = try RotatingEndpoint()
        defer { endpoint.server.stop() }
        endpoint.serve(issuer.keys)
        let source = try source(endpoint.url, policy: KeyCachePolicy(minimumLifetime: 0, retryAfterFailure: 0, maximumStaleness: 100))
        _ = try await source.currentKeys()
        let expiry = clock.now + 60
        endpoint.fail()
        clock.advance(61)
        _ = try await source.currentKeys()
        #expect(entries("key set past its maximum staleness, no longer served").isEmpty)
        clock.advance(100)
        for _ in 0..<3 { _ = try? await source.currentKeys() }

        let limits = entries("key set past its maximum staleness, no longer served")
        try #require(limits.count == 1, "\(logs.entries)")
        #expect(limits[0].level == .error)
        #expect(limits[0].metadata["maximum_staleness"] == "1m 40s", "\(limits[0])")
        #expect(limits[0].metadata["expired_at"] == TimeText.iso8601(expiry), "\(limits[0])")
        #expect(metrics.counterTotal(label: MetricName.keySourceEvents, dimensions: [("source", endpoint.url), ("event", "staleness_limit_reached")]) == 1)
        #expect(await source.events().last?.kind == .retrievalFailed)
    }

    @Test("gauges: set at each retrieval, and by recordGauges() as time passes")
    func gauges() async throws {
        let issuer = try Issuer(kids: ["a", "b"])
        let endpoint = try RotatingEndpoint()
        defer { endpoint.server.stop() }
        endpoint.serve(issuer.keys)
        let source = try source(endpoint.url)
        _ = try await source.currentKeys()
        let dimensions = [("source", endpoint.url)]
        #expect(try metrics.expectGauge(MetricName.keySetKeys, dimensions).lastValue == 2)
        #expect(try metrics.expectGauge(MetricName.keySetAge, dimensions).lastValue == 0)
        #expect(try metrics.expectGauge(MetricName.keySetRefreshIn, dimensions).lastValue == 60)
        clock.advance(75)
        await source.recordGauges()
        #expect(try metrics.expectGauge(MetricName.keySetAge, dimensions).lastValue == 75)
        #expect(try metrics.expectGauge(MetricName.keySetRefreshIn, dimensions).lastValue == -15)
        #expect(await source.events().count == 2, "recording gauges is not an event")
    }

    @Test("a span per retrieval, a child of the caller's span, with URL without query, status, body size and outcome")
    func spans() async throws {
        let issuer = try Issuer(kids: ["a"])
        let endpoint = try RotatingEndpoint()
        defer { endpoint.server.stop() }
        endpoint.serve(issuer.keys)
        let source = try source(endpoint.url + "?tenant=blue")
        let parentID = try await tracer.withSpan("request") { span in
            _ = try await source.currentKeys()
            return span.spanContext.spanID
        }
        endpoint.fail()
        _ = try? await source.forceRefresh()

        let retrievalsTraced = tracer.finishedSpans.filter { $0.operationName == "layabauth.jwks.retrieve" }
        try #require(retrievalsTraced.count == 2, "\(tracer.finishedSpans.map(\.operationName))")
        let parent = try #require(tracer.finishedSpans.first { $0.operationName == "request" })
        let first = retrievalsTraced[0]
        #expect(first.parentSpanID == parentID)
        #expect(first.traceID == parent.traceID)
        #expect(first.kind == .client)
        #expect(first.attributes.get("url.full") == .string(endpoint.url))
        #expect(first.attributes.get("http.response.status_code") == .int64(200))
        #expect(first.attributes.get("http.response.body.size") == .int64(Int64(KeySet(keys: issuer.keys.map(\.verificationKey)).publicJWKS.jsonText.utf8.count)))
        #expect(first.attributes.get("layabauth.outcome") == .string("200"))
        #expect(first.status == nil)
        let second = retrievalsTraced[1]
        #expect(second.parentSpanID == nil, "no span around the second retrieval: a root span")
        #expect(second.attributes.get("http.response.status_code") == .int64(500))
        #expect(second.attributes.get("layabauth.outcome") == .string("http_error"))
        #expect(second.status?.code == .error)
        #expect(second.status?.message?.contains("HTTP 500") == true && second.status?.message?.contains("blue") == false,
                "\(String(describing: second.status))")
    }

    @Test("the history keeps the last 200 events")
    func historyLimit() async throws {
        let issuer = try Issuer(kids: ["a"])
        let endpoint = try RotatingEndpoint()
        defer { endpoint.server.stop() }
        endpoint.serve(issuer.keys)
        let source = try source(endpoint.url)
        for _ in 0..<110 { _ = try await source.forceRefresh() }
        let events = await source.events()
        #expect(events.count == 200)
        #expect(events.first?.sequence == 21)
        #expect(events.last?.sequence == 220)
    }

    @Test("a static source keeps no events; discovery passes its observability to the source it finds")
    func otherSources() async throws {
        #expect(await StaticKeySource(KeySet(keys: [])).events().isEmpty)
        let issuer = try Issuer(kids: ["a"])
        let endpoint = try RotatingEndpoint()
        defer { endpoint.server.stop() }
        endpoint.serve(issuer.keys)
        let discovery = try TestHTTPServer { [jwks = endpoint.url] request in
            .json(JSONValue.object(["issuer": .string("http://127.0.0.1:\(request.headers["host"]?.split(separator: ":").last ?? "")"),
                                    "jwks_uri": .string(jwks)]).jsonText)
        }
        defer { discovery.stop() }
        let source = try DiscoveryKeySource(issuer: discovery.baseURL, clock: clock.function, observability: observability)
        _ = try await source.currentKeys()
        #expect(await source.events().map(\.kind) == [.retrievalStarted, .retrievalFinished])
        #expect(retrievals(endpoint.url, "200") == 1)

        // Discovery's history goes on into the found source's, its numbers still rising.
        let recovering = try TestHTTPServer { _ in .json("", status: 404) }
        defer { recovering.stop() }
        recovering.setHandler { [jwks = endpoint.url, base = recovering.baseURL, recovering] _ in
            // The first discovery attempt fails (both well-known locations), the next one succeeds.
            if recovering.requestCount(path: "/.well-known/openid-configuration") <= 1 { return .json("{}", status: 503) }
            return .json(JSONValue.object(["issuer": .string(base), "jwks_uri": .string(jwks)]).jsonText)
        }
        let retried = try DiscoveryKeySource(issuer: recovering.baseURL, cachePolicy: KeyCachePolicy(retryAfterFailure: 0), clock: clock.function,
                                             observability: observability)
        _ = try? await retried.currentKeys()
        _ = try await retried.currentKeys()
        let sequence = await retried.events()
        #expect(sequence.map(\.kind) == [.retrievalFailed, .retrievalStarted, .retrievalFinished])
        #expect(sequence.map(\.sequence) == [1, 2, 3])

        let wrong = try DiscoveryKeySource(issuer: discovery.baseURL + "/other", clock: clock.function, observability: observability)
        _ = try? await wrong.currentKeys()
        let failed = try #require(await wrong.events().first)
        #expect(failed.kind == .retrievalFailed && failed.level == .warning && failed.message == "discovery failed", "\(failed)")
        #expect(failed.metadata["jwks.source"] == discovery.baseURL + "/other")
    }
}
