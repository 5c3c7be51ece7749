import Foundation
import LayabAuth
@testable import LayabAuthJWKS
import LayabAuthTesting
import Synchronization
import Testing

@Suite("Cancellation")
struct CancellationTests {
    let clock = ManualClock()

    @Test("cancelling the task aborts a transfer stuck on a silent server")
    func cancel() async throws {
        let server = try TestHTTPServer { _ in TestHTTPServer.Response(stall: true) }
        defer { server.stop() }
        let task = Task { try await HTTPClient.get(server.url("/jwks.json"), options: HTTPOptions(totalTimeout: 60)) }
        #expect(await eventually(timeout: 60) { server.requests.count == 1 })
        let cancelled = Date()
        task.cancel()
        await expectError(containing: "cancelled") { _ = try await task.value }
        // "cancelled" is the transfer's own verdict; without the cancellation it would end with the 60 s
        // timeout. Time is counted from the cancellation (a loaded machine may take long to get the request
        // to the server), and the bound is loose: a sanity check, not a measurement.
        #expect(Date().timeIntervalSince(cancelled) < 30)
    }

    @Test("a task waiting for keys from a silent server ends soon after it is cancelled")
    func cancelWaitingForKeys() async throws {
        let server = try TestHTTPServer { _ in TestHTTPServer.Response(stall: true) }
        defer { server.stop() }
        let source = try RemoteKeySource(.http(server.url("/jwks.json")), options: HTTPOptions(connectTimeout: 60, totalTimeout: 60), clock: clock.function)
        let task = Task { try await source.currentKeys() }
        #expect(await eventually { server.requests.count == 1 })
        try await Task.sleep(for: .milliseconds(200))
        let cancelled = Date()
        task.cancel()
        await expectError(containing: "cancelled while waiting for keys from \(server.url("/jwks.json"))") { _ = try await task.value }
        // Without cancellable waiting the task ends only with the 60 s timeout, and says so; the bound is
        // loose, for a machine loaded by the rest of the suite.
        #expect(Date().timeIntervalSince(cancelled) < 30)
        // The abandoned retrieval is not reported as a failure of the provider, and the next caller starts afresh.
        #expect(await source.status().lastError == nil)
        let issuer = try Issuer()
        server.setHandler { _ in .json(issuer.jwks) }
        let keys = try await source.currentKeys()
        #expect(keys.keys.first?.kid == "k1")
        #expect(server.requests.count == 2)
    }

    @Test("when one of two waiters is cancelled, the other still gets the keys of the one retrieval")
    func oneOfTwoWaitersCancelled() async throws {
        let issuer = try Issuer()
        let release = Atomic<Bool>(false)
        let server = try TestHTTPServer { _ in
            let deadline = Date().addingTimeInterval(20)
            while !release.load(ordering: .relaxed), Date() < deadline { usleep(10_000) }
            return .json(issuer.jwks)
        }
        defer { server.stop() }
        let source = try RemoteKeySource(.http(server.url("/jwks.json")), options: HTTPOptions(totalTimeout: 30), clock: clock.function)
        let first = Task { try await source.currentKeys() }
        let second = Task { try await source.currentKeys() }
        #expect(await eventually { await source.retrievalWaiters == 2 })
        first.cancel()
        await expectError(containing: "cancelled while waiting for keys") { _ = try await first.value }
        #expect(await source.retrievalWaiters == 1)
        release.store(true, ordering: .relaxed)
        let keys = try await second.value
        #expect(keys.keys.first?.kid == "k1")
        #expect(server.requests.count == 1)
        #expect(await source.status().fetchCount == 1)
    }

    @Test("a task waiting for discovery from a silent server ends soon after it is cancelled")
    func cancelWaitingForDiscovery() async throws {
        let server = try TestHTTPServer { _ in TestHTTPServer.Response(stall: true) }
        defer { server.stop() }
        let source = try DiscoveryKeySource(issuer: server.baseURL, options: HTTPOptions(connectTimeout: 60, totalTimeout: 60), clock: clock.function)
        let task = Task { try await source.currentKeys() }
        #expect(await eventually { server.requests.count == 1 })
        let cancelled = Date()
        task.cancel()
        await expectError(containing: "cancelled while waiting for discovery from \(server.baseURL)") { _ = try await task.value }
        #expect(Date().timeIntervalSince(cancelled) < 30)
        #expect(await source.status().lastError == nil)
    }
}
