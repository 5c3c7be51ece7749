import Dispatch
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Logging
import Synchronization
import Testing

/// A key source that counts the calls of `currentKeys()`, with or without keys ready to read.
final class CountingKeySource: KeySource {
    let keys: KeySet
    let offersReadyKeys: Bool
    private let calls = Mutex((current: 0, ready: 0))

    init(_ keys: KeySet, offersReadyKeys: Bool) {
        self.keys = keys
        self.offersReadyKeys = offersReadyKeys
    }

    var currentKeysCalls: Int { calls.withLock { $0.current } }
    var readyKeysCalls: Int { calls.withLock { $0.ready } }

    func currentKeys() async throws(LayabAuthError) -> KeySet {
        calls.withLock { $0.current += 1 }
        return keys
    }

    func readyKeys() -> KeySet? {
        calls.withLock { $0.ready += 1 }
        return offersReadyKeys ? keys : nil
    }

    func refresh(forUnknownKid kid: String) async -> KeySet? { nil }
    func forceRefresh() async throws(LayabAuthError) -> KeySet { keys }
    func status() async -> KeySourceStatus { KeySourceStatus(location: "counted keys", keys: keys) }
}

/// A log handler that, once armed, holds the thread of the next message until released (or 10 s passed):
/// the key source's actor, when the message is logged on it.
final class LogBlocker: Sendable {
    private let state = Mutex((armed: false, holding: false))
    private let gate = DispatchSemaphore(value: 0)

    func arm() { state.withLock { $0.armed = true } }
    var isHolding: Bool { state.withLock { $0.holding } }
    func release() { gate.signal() }

    var logger: Logger {
        var logger = Logger(label: "blocked") { _ in Handler(blocker: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func hold() {
        let take = state.withLock { state in
            guard state.armed else { return false }
            state.armed = false
            state.holding = true
            return true
        }
        guard take else { return }
        _ = gate.wait(timeout: .now() + 10)
        state.withLock { $0.holding = false }
    }

    struct Handler: LogHandler {
        let blocker: LogBlocker
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) { blocker.hold() }
    }
}

@Suite("Ready keys: a cache hit neither hops onto the key source's actor nor suspends")
struct ReadyKeysTests {
    let clock = ManualClock()

    @Test("a hit through a source with ready keys never calls currentKeys(); one without falls back to it")
    func hitReadsReadyKeys() async throws {
        let issuer = try Issuer()
        let keys = KeySet(keys: issuer.keys.map(\.verificationKey))
        let token = try issuer.token(now: clock.now)
        let ready = CountingKeySource(keys, offersReadyKeys: true)
        let verifier = try JWKSVerifier(source: ready, configuration: configuration(clock), tokenCache: VerifiedTokenCache())
        for _ in 0..<3 { _ = try await verifier.verify(token) }
        #expect(ready.currentKeysCalls == 0)
        #expect(ready.readyKeysCalls == 3)
        let notReady = CountingKeySource(keys, offersReadyKeys: false)
        let fallback = try JWKSVerifier(source: notReady, configuration: configuration(clock), tokenCache: VerifiedTokenCache())
        for _ in 0..<3 { _ = try await fallback.verify(token) }
        #expect(notReady.currentKeysCalls == 3)
    }

    @Test("a remote source hands out fresh keys only: none before the first retrieval, none stale, none after a failed refresh")
    func onlyFreshKeysAreReady() async throws {
        let issuer = try Issuer()
        let failing = Mutex(false)
        let server = try TestHTTPServer { _ in
            failing.withLock { $0 } ? TestHTTPServer.Response(status: 500)
                : .json(issuer.jwks, headers: [("Cache-Control", "max-age=60")])
        }
        let source = try RemoteKeySource(.http(server.url("/jwks.json")), cachePolicy: KeyCachePolicy(minimumLifetime: 0, retryAfterFailure: 0),
                                         clock: clock.function)
        #expect(source.readyKeys() == nil)
        _ = try await source.currentKeys()
        #expect(source.readyKeys()?.keys.count == 1)
        clock.advance(61)
        // Stale: only the actor serves them, starting the background refresh.
        #expect(source.readyKeys() == nil)
        _ = try await source.currentKeys()
        #expect(await eventually { await source.status().fetchCount == 2 })
        #expect(source.readyKeys()?.keys.count == 1)
        failing.withLock { $0 = true }
        clock.advance(61)
        _ = try await source.currentKeys()
        #expect(await eventually { await source.status().lastError != nil })
        #expect(source.readyKeys() == nil)
        #expect(server.requestCount(path: "/jwks.json") == 3)
    }

    @Test("a cache hit completes while the key source's actor is blocked")
    func hitWhileActorIsBlocked() async throws {
        let issuer = try Issuer()
        let server = try TestHTTPServer { _ in .json(issuer.jwks, headers: [("Cache-Control", "max-age=300")]) }
        let blocker = LogBlocker()
        let source = try RemoteKeySource(.http(server.url("/jwks.json")), cachePolicy: KeyCachePolicy(minimumLifetime: 0), clock: clock.function,
                                         observability: Observability(logger: blocker.logger))
        let verifier = try JWKSVerifier(source: source, configuration: configuration(clock), tokenCache: VerifiedTokenCache())
        let token = try issuer.token(now: clock.now)
        _ = try await verifier.verify(token)
        // The next retrieval logs its start on the actor, and the log handler holds the actor's thread there.
        blocker.arm()
        let refresh = Task { try await source.forceRefresh() }
        #expect(await eventually(timeout: 30) { blocker.isHolding })
        let hit = try await verifier.verify(token)
        let blockedThroughout = blocker.isHolding
        blocker.release()
        #expect(blockedThroughout)
        #expect(hit.raw == token)
        _ = try await refresh.value
    }
}
