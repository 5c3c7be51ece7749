import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabConsole

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
package final class InspectorRuntime: @unchecked Sendable {
    private var state: InspectorState
    private var source: (any KeySource)?
    private let backend: any TerminalBackend
    private let options: HTTPOptions
    private let clock: @Sendable () -> Double
    private let mailbox = Mailbox()
    /// Fetches tokens from the provider, when the inspector was given a client (`--client-id`).
    private let tokenFetcher: TokenFetcher?
    /// Asks about opaque tokens, when the inspector was given an introspection endpoint.
    private let introspector: IntrospectionVerifier?
    /// Answers of the introspection endpoint, collected by the loop.
    private let introspections = Locked<[IntrospectedToken]>([])
    /// Binding reports made for the token shown, collected by the loop, and the last one asked for.
    private let bindings = Locked<[CheckedBinding]>([])
    private var bindingAsked: CheckedBinding.Key?
    /// Kids of the tokens shown that the source was asked for, each once (the source's own cooldown
    /// limits how often it fetches); forgotten on a refresh or a new source.
    private var lookedUpKids: Set<String> = []
    /// A background retrieval (stale keys, an unknown kid) has not reported yet.
    private var backgroundInFlight = false
    /// When stale keys were last asked for: at most once a second, so that the loop stays idle.
    private var lastStalePoll = -Double.infinity
    /// The model's ``InspectorState/keySourceGeneration`` that ``source`` serves: updates of any other
    /// generation come from a source since replaced, and are dropped.
    private var sourceGeneration = 0
    /// `LAYABAUTH_FRAME_LOG=<file>`: one line per frame drawn, "<render µs> <draw µs>", for measuring the
    /// cost of a frame in a real terminal (Benchmarks/Scripts/inspector.py). Off unless the variable names a file.
    private let frameLog: UnsafeMutablePointer<FILE>? = getenv("LAYABAUTH_FRAME_LOG").flatMap { $0.pointee == 0 ? nil : fopen($0, "a") }

    /// Updates from retrieval tasks, collected by the loop.
    final class Mailbox: Sendable {
        let updates = Locked<[Update]>([])
    }

    struct Update: Sendable {
        /// Nil when the source had no new set to give (a kid it does not have either): the status alone is news.
        let result: Result<KeySet, LayabAuthError>?
        let status: KeySourceStatus?
        /// The issuer a discovery source has not found the JWKS URI of yet; nil once found, and for other sources.
        let undiscoveredIssuer: String?
        /// The source's generation (``InspectorState/keySourceGeneration``) when the retrieval started.
        let generation: Int
        var background = false
    }

    /// - Parameters:
    ///   - tokenRequest: the client's request for a token, fetched at start, on `F` and when the token expires.
    ///   - deviceAuthorizationEndpoint: fetch with the device grant through this endpoint, not client credentials.
    package init(state: InspectorState, source: (any KeySource)?, backend: any TerminalBackend, options: HTTPOptions = HTTPOptions(),
                tokenRequest: TokenRequest? = nil, deviceAuthorizationEndpoint: String? = nil, introspector: IntrospectionVerifier? = nil,
                clock: @escaping @Sendable () -> Double = SystemClock.now)
    {
        var state = state
        self.introspector = introspector
        if let tokenRequest, state.tokenFetching == nil {
            state.tokenFetching = TokenFetching(endpoint: tokenRequest.endpoint, requestedScopes: tokenRequest.scopes)
        }
        tokenFetcher = tokenRequest.map { TokenFetcher(request: $0, deviceAuthorizationEndpoint: deviceAuthorizationEndpoint) }
        self.state = state
        self.source = source
        self.backend = backend
        self.options = options
        self.clock = clock
    }

    deinit { if let frameLog { fclose(frameLog) } }

    /// Runs until the user quits or a termination signal arrives; always restores the terminal.
    package func run() throws {
        try backend.start()
        defer { backend.stop() }
        SignalWake.install(backend.waker)
        if let source {
            state.isFetchingKeys = true
            load(source, force: false)
        }
        if tokenFetcher != nil { for effect in state.requestToken() { perform(effect) } }
        var lastSecond = -1
        var dirty = true
        while !state.shouldQuit, !SignalWake.terminated {
            let updates = mailbox.updates.withLock { pending -> [Update] in
                defer { pending.removeAll() }
                return pending
            }
            // A replaced source's news is about keys no longer shown.
            for update in updates where update.generation == sourceGeneration {
                if update.background { backgroundInFlight = false }
                state.undiscoveredIssuer = update.undiscoveredIssuer
                state.keysUpdated(update.result, status: update.status, background: update.background)
                dirty = true
            }
            let now = clock()
            for outcome in tokenFetcher?.collect() ?? [] {
                switch outcome {
                case let .awaitingApproval(authorization): state.tokenFetching?.awaitingApproval = authorization
                case let .token(response): state.tokenFetched(response, now: now)
                case let .failed(error): state.tokenFetchFailed(error.description)
                }
                dirty = true
            }
            if let effect = state.dueTokenFetch(now: now) {
                perform(effect)
                dirty = true
            }
            // The token's iss selects the trusted issuer whose keys check it (none: no one is contacted).
            if dirty, let effect = state.followTrustedIssuer() { perform(effect) }
            keepKeysCurrent(now: now, tokenChanged: dirty)
            if introspect() { dirty = true }
            if checkBinding(now: now) { dirty = true }
            if dirty || Int(now) != lastSecond {
                let size = backend.size
                state.renderedAt = now
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
            let presses = backend.readKeyPresses(timeoutMilliseconds: untilNextSecond)
            if !presses.isEmpty { state.screenSize = backend.size }
            for press in presses {
                dirty = true
                for effect in state.handle(press) { perform(effect) }
                // The model replaced the keys itself (leaving or going back to the demo): the source is gone with them.
                if state.keySourceGeneration != sourceGeneration { adopt(nil) }
            }
        }
    }

    /// What a server does with its key source between requests, done for the token shown: keys past
    /// their freshness are fetched again (in the background, the old ones serving meanwhile), and a kid
    /// that no key has is looked up once.
    private func keepKeysCurrent(now: Double, tokenChanged: Bool) {
        guard let source, !state.isFetchingKeys, !backgroundInFlight else { return }
        if tokenChanged, let kid = state.unknownKid, lookedUpKids.insert(kid).inserted {
            backgroundInFlight = true
            retrieve(from: source, background: true) { source throws(LayabAuthError) in try await source.refresh(forUnknownKid: kid) }
        } else if let status = state.keySourceStatus, status.fetchCount > 0, status.expiresAt.map({ $0 <= now }) ?? false,
                  now - lastStalePoll >= 1
        {
            // Returns the keys in service at once and starts their retrieval; a later poll brings the result.
            lastStalePoll = now
            backgroundInFlight = true
            retrieve(from: source, background: true) { source throws(LayabAuthError) in try await source.currentKeys() }
        }
    }

    /// Takes the introspection answers that came, and asks about the token shown when it is opaque and new.
    /// - Returns: whether the state changed.
    private func introspect() -> Bool {
        var changed = false
        for answer in introspections.withLock({ pending in defer { pending.removeAll() }; return pending }) where answer.token == state.introspected?.token {
            state.introspected = answer
            changed = true
        }
        guard let introspector, let token = state.tokenToIntrospect else { return changed }
        state.introspected = IntrospectedToken(token: token)
        let requirement = state.scopeRequirement, authentication = state.authenticationRequirement
        let waker = backend.waker
        Task.detached { [introspections] in
            let report = await introspector.report(token, requiring: requirement, authentication: authentication)
            introspections.withLock { $0.append(IntrospectedToken(token: token, report: report)) }
            waker.wake()
        }
        return true
    }

    /// Takes the binding reports that came, and asks for one when the token, the request, the second or the
    /// token's verdict changed (the binding rules are async: a server's replay store may be remote; a report records nothing).
    /// - Returns: whether the state changed.
    private func checkBinding(now: Double) -> Bool {
        var changed = false
        for answer in bindings.withLock({ pending in defer { pending.removeAll() }; return pending }) where answer.key.token == state.token {
            state.checkedBinding = answer
            changed = true
        }
        guard let report = state.report(now: now, checkingWeakKeys: false), let key = state.bindingKey(now: now, report: report), key != bindingAsked else {
            return changed
        }
        bindingAsked = key
        let waker = backend.waker
        Task.detached { [bindings] in
            let binding = await BindingReport.evaluate(report, verified: nil, request: key.request, now: now)
            bindings.withLock { $0.append(CheckedBinding(key: key, report: binding)) }
            waker.wake()
        }
        return changed
    }

    private func perform(_ effect: InspectorState.Effect) {
        switch effect {
        case .refreshKeys:
            guard let source else {
                state.keysNotRefreshable()
                return
            }
            lookedUpKids.removeAll()
            load(source, force: true)
        case let .useJWKS(uri):
            do {
                use(try RemoteKeySource(uri: uri, options: options), description: uri)
            } catch {
                state.keySourceRefused(error)
            }
        case let .discover(issuer):
            do {
                use(try DiscoveryKeySource(issuer: issuer, options: options), description: "\(issuer) (discovery)", discoveringFrom: issuer)
            } catch {
                state.keySourceRefused(error)
            }
        case let .copyOut(copy):
            copyOut(copy)
        case .fetchToken:
            tokenFetcher?.fetch(waking: backend.waker)
        case let .useTrustedIssuer(index):
            guard let index, let sources = state.trustedIssuers?.keySources, sources.indices.contains(index) else {
                adopt(nil)
                return
            }
            adopt(sources[index])
            // Keys cached from an earlier token of this issuer serve again without a request.
            load(sources[index], force: false)
        }
    }

    /// Puts a copy on the terminal's clipboard or in a new file of the current directory, and says so.
    private func copyOut(_ copy: CopyOut.Copy) {
        let what = "\(copy.item.label) (\(copy.text.utf8.count) bytes)"
        switch copy.destination {
        case .clipboard:
            guard copy.text.utf8.count <= Clipboard.maximumBytes else {
                state.notice = "not copied: \(what) is more than a terminal clipboard takes; w writes it to a file"
                return
            }
            backend.copyToClipboard(copy.text)
            state.notice = "copied \(what) to the clipboard (OSC 52; in tmux: set -g set-clipboard on)"
        case .file:
            let directory = FileManager.default.currentDirectoryPath
            do throws(CopyFile.Failure) {
                state.notice = "wrote \(what) to \(try CopyFile.create(copy.text, named: copy.fileName, in: directory))"
            } catch {
                state.notice = "not written: \(error.description)"
            }
        }
    }

    /// Makes `newSource` the key source, replacing the one in use entirely, and fetches its keys.
    /// - Parameters:
    ///   - description: the new source, in words, for the model.
    ///   - issuer: the issuer whose keys `newSource` discovers, for discovery.
    private func use(_ newSource: any KeySource, description: String, discoveringFrom issuer: String? = nil) {
        state.leaveTrustedIssuers()
        state.keySourceReplaced(by: description, discoveringFrom: issuer)
        adopt(newSource)
        load(newSource, force: true)
    }

    /// Takes `newSource` (nil: none) as the source of the model's current keys, forgetting what the source
    /// before it had under way.
    private func adopt(_ newSource: (any KeySource)?) {
        source = newSource
        sourceGeneration = state.keySourceGeneration
        lookedUpKids.removeAll()
        backgroundInFlight = false
        lastStalePoll = -.infinity
    }

    private func load(_ source: any KeySource, force: Bool) {
        retrieve(from: source) { source throws(LayabAuthError) in
            force ? try await source.forceRefresh() : try await source.currentKeys()
        }
    }

    /// Runs `body` against `source` on a task of its own and posts what it brought, with the source's
    /// status, to the loop. `body` returns nil when the source had no new set to give.
    private func retrieve(from source: any KeySource, background: Bool = false,
                          _ body: @escaping @Sendable (any KeySource) async throws(LayabAuthError) -> KeySet?)
    {
        let waker = backend.waker
        let generation = sourceGeneration
        Task.detached { [mailbox] in
            let result: Result<KeySet, LayabAuthError>?
            do throws(LayabAuthError) {
                result = try await body(source).map { .success($0) }
            } catch {
                result = .failure(error)
            }
            var undiscoveredIssuer: String?
            if let discovery = source as? DiscoveryKeySource, await discovery.jwksURI == nil { undiscoveredIssuer = discovery.issuer }
            let update = Update(result: result, status: await source.status(), undiscoveredIssuer: undiscoveredIssuer, generation: generation,
                                background: background)
            mailbox.updates.withLock { $0.append(update) }
            waker.wake()
        }
    }
}
