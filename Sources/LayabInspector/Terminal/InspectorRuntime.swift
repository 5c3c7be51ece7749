import LayabAuth
import LayabAuthJWKS
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the inspector: draws, reads keys, carries out the model's effects (key retrieval, on tasks of
/// their own), and ticks once a second for the countdown. Idle means idle: between events it sleeps in
/// `poll` until the next whole second.
///
/// `@unchecked Sendable`: a runtime is handed to the one thread that calls ``run()`` and is used by no
/// other; retrieval tasks only reach it through the `Sendable` mailbox and waker.
public final class InspectorRuntime: @unchecked Sendable {
    private var state: InspectorState
    private var source: (any KeySource)?
    private let backend: any TerminalBackend
    private let options: HTTPOptions
    private let clock: @Sendable () -> Double
    private let mailbox = Mailbox()
    /// `LAYABAUTH_FRAME_LOG=<file>`: one line per frame drawn, "<render µs> <draw µs>", for measuring the
    /// cost of a frame in a real terminal (Benchmarks/inspector.py). Off unless the variable names a file.
    private let frameLog: UnsafeMutablePointer<FILE>? = getenv("LAYABAUTH_FRAME_LOG").flatMap { $0.pointee == 0 ? nil : fopen($0, "a") }

    /// Updates from retrieval tasks, collected by the loop.
    final class Mailbox: Sendable {
        let updates = Mutex<[Update]>([])
    }

    struct Update: Sendable {
        let result: Result<KeySet, LayabAuthError>
        let status: KeySourceStatus?
        let description: String?
        let source: SourceBox?
    }

    /// Carries a new key source from a task back to the loop.
    final class SourceBox: Sendable {
        let source: any KeySource
        init(_ source: any KeySource) { self.source = source }
    }

    public init(state: InspectorState, source: (any KeySource)?, backend: any TerminalBackend, options: HTTPOptions = HTTPOptions(),
                clock: @escaping @Sendable () -> Double = SystemClock.now)
    {
        self.state = state
        self.source = source
        self.backend = backend
        self.options = options
        self.clock = clock
    }

    deinit { if let frameLog { fclose(frameLog) } }

    /// Runs until the user quits or a termination signal arrives; always restores the terminal.
    public func run() throws {
        try backend.start()
        defer { backend.stop() }
        SignalWake.install(backend.waker)
        if let source {
            state.isFetchingKeys = true
            load(source, force: false, description: nil)
        }
        var lastSecond = -1
        var dirty = true
        while !state.shouldQuit, !SignalWake.terminated {
            let updates = mailbox.updates.withLock { pending -> [Update] in
                defer { pending.removeAll() }
                return pending
            }
            for update in updates {
                if let box = update.source { source = box.source }
                state.keysUpdated(update.result, status: update.status, description: update.description)
                dirty = true
            }
            let now = clock()
            if dirty || Int(now) != lastSecond {
                let size = backend.size
                let start = ContinuousClock.now
                let screen = InspectorView.render(state, now: now, width: size.width, height: size.height)
                let rendered = ContinuousClock.now
                backend.draw(screen)
                if let frameLog {
                    let microseconds = { (duration: Duration) in duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000 }
                    fputs("\(microseconds(rendered - start)) \(microseconds(ContinuousClock.now - rendered))\n", frameLog)
                    fflush(frameLog)
                }
                lastSecond = Int(now)
                dirty = false
            }
            let untilNextSecond = Int(((now.rounded(.down) + 1 - now) * 1000).rounded(.up)) + 5
            let keys = backend.readKeys(timeoutMilliseconds: untilNextSecond)
            if !keys.isEmpty { state.screenSize = backend.size }
            for key in keys {
                dirty = true
                for effect in state.handle(key) { perform(effect) }
            }
        }
    }

    private func perform(_ effect: InspectorState.Effect) {
        switch effect {
        case .refreshKeys:
            guard let source else {
                state.keysNotRefreshable()
                return
            }
            load(source, force: true, description: nil)
        case let .useJWKS(uri):
            do {
                let remote = try RemoteKeySource(uri: uri, options: options)
                load(remote, force: true, description: uri, replacing: true)
            } catch {
                state.keysUpdated(.failure(error), status: nil)
            }
        case let .discover(issuer):
            load(DiscoveryKeySource(issuer: issuer, options: options), force: true, description: "\(issuer) (discovery)", replacing: true)
        }
    }

    private func load(_ source: any KeySource, force: Bool, description: String?, replacing: Bool = false) {
        let box = replacing ? SourceBox(source) : nil
        let waker = backend.waker
        Task.detached { [mailbox] in
            let result: Result<KeySet, LayabAuthError>
            do throws(LayabAuthError) {
                result = .success(force ? try await source.forceRefresh() : try await source.currentKeys())
            } catch {
                result = .failure(error)
            }
            let status = await source.status()
            mailbox.updates.withLock { $0.append(Update(result: result, status: status, description: description ?? status.location, source: box)) }
            waker.wake()
        }
    }
}

/// SIGTERM, SIGHUP and SIGINT end the loop cleanly (the terminal is restored on the way out).
enum SignalWake {
    private nonisolated(unsafe) static var descriptor: Int32 = -1
    // Written by the handler, read by the loop: a plain sig_atomic_t-style flag.
    private nonisolated(unsafe) static var flag: Int32 = 0
    private static let retained = Mutex<Waker?>(nil)

    static var terminated: Bool { flag != 0 }

    static func install(_ waker: Waker) {
        retained.withLock { $0 = waker }
        descriptor = waker.writeDescriptor
        for signalNumber in [SIGTERM, SIGHUP, SIGINT] {
            signal(signalNumber) { _ in
                SignalWake.flag = 1
                var byte: UInt8 = 1
                _ = write(SignalWake.descriptor, &byte, 1)
            }
        }
    }
}
