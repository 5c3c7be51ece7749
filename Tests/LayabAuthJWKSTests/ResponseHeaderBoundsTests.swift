import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// What a JWKS endpoint sends in its headers is bounded: validators are sent back only when they are fit for
/// a header line, and a response whose headers never end is cut off by LayabAuth itself.
@Suite("Response headers: validators sent back only when fit, header bytes capped")
struct ResponseHeaderBoundsTests {
    let clock = ManualClock()

    static let unfitValidators: [(name: String, etag: String)] = [
        ("a control byte", "\"v1\u{1}x\""),
        ("DEL", "\"v1\u{7F}\""),
        ("over 256 bytes", "\"" + String(repeating: "v", count: 300) + "\""),
    ]

    @Test("an ETag or Last-Modified unfit to send back is neither stored nor sent", arguments: unfitValidators.map { ($0.name, $0.etag) })
    func unfitValidator(_ name: String, _ etag: String) async throws {
        let issuer = try Issuer()
        let server = try TestHTTPServer { _ in .json(issuer.jwks, headers: [("ETag", etag), ("Last-Modified", etag)]) }
        defer { server.stop() }
        let source = try RemoteKeySource(.http(server.url("/jwks.json")), cachePolicy: KeyCachePolicy(minimumLifetime: 0), clock: clock.function)
        _ = try await source.forceRefresh()
        let status = await source.status()
        #expect(status.etag == nil, "\(name)")
        #expect(status.lastModified == nil, "\(name)")
        _ = try await source.forceRefresh()
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.headers["if-none-match"] == nil, "\(name)")
        #expect(server.requests.last?.headers["if-modified-since"] == nil, "\(name)")
    }

    @Test("a fit ETag is still stored and sent back")
    func fitValidator() async throws {
        let issuer = try Issuer()
        let server = try TestHTTPServer { _ in .json(issuer.jwks, headers: [("ETag", "W/\"v-1\"")]) }
        defer { server.stop() }
        let source = try RemoteKeySource(.http(server.url("/jwks.json")), cachePolicy: KeyCachePolicy(minimumLifetime: 0), clock: clock.function)
        _ = try await source.forceRefresh()
        #expect(await source.status().etag == "W/\"v-1\"")
        _ = try await source.forceRefresh()
        #expect(server.requests.last?.headers["if-none-match"] == "W/\"v-1\"")
    }

    @Test("response headers beyond 64 KiB end the transfer with a clear error")
    func headerFlood() async throws {
        let issuer = try Issuer()
        let flood = (0..<100).map { ("X-Filler-\($0)", String(repeating: "f", count: 1000)) }
        let server = try TestHTTPServer { _ in .json(issuer.jwks, headers: flood) }
        defer { server.stop() }
        let source = try RemoteKeySource(.http(server.url("/jwks.json")), clock: clock.function)
        let error = await #expect(throws: LayabAuthError.self) { _ = try await source.currentKeys() }
        #expect(error?.code == .jwksUnavailable)
        #expect(error?.message.contains("the response headers exceed 64 KiB") == true, "\(error?.message ?? "")")
    }
}
