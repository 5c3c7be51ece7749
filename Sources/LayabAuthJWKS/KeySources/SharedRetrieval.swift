import LayabAuth

/// One retrieval shared by every caller that waits for it.
///
/// Waiting is cancellable: a cancelled waiter leaves at once, and when the last waiter leaves, the
/// retrieval is cancelled too (an HTTP transfer aborts). A retrieval started without waiters (a
/// background refresh) runs to its end.
final class SharedRetrieval<Success: Sendable>: Sendable {
    typealias Outcome = Result<Success, LayabAuthError>

    /// A caller's place among the waiters.
    struct Waiter: Sendable {
        let retrieval: SharedRetrieval
        fileprivate let ticket: Int

        /// The retrieval's outcome, or nil when the waiting task was cancelled first.
        func outcome() async -> Outcome? { await retrieval.outcome(for: ticket) }
    }

    private struct State: Sendable {
        var outcome: Outcome?
        var task: Task<Void, Never>?
        /// Tickets of the waiters that joined and have not left.
        var waiters: Set<Int> = []
        var continuations: [Int: CheckedContinuation<Outcome?, Never>] = [:]
        var nextTicket = 0
        /// Every waiter left and the work was cancelled: nobody may join any more.
        var abandoned = false
    }

    private let state = Locked(State())

    /// Starts `work` at once, with no waiter.
    convenience init(_ work: @escaping @Sendable () async -> Outcome) {
        self.init(joined: false, work)
    }

    /// Starts `work` at once, with its first waiter already joined (so it cannot be abandoned before
    /// that waiter waits).
    static func started(_ work: @escaping @Sendable () async -> Outcome) -> Waiter {
        Waiter(retrieval: SharedRetrieval(joined: true, work), ticket: 0)
    }

    private init(joined: Bool, _ work: @escaping @Sendable () async -> Outcome) {
        state.withLock { state in
            state.nextTicket = 1
            if joined { state.waiters = [0] }
        }
        let task = Task { self.finish(await work()) }
        state.withLock { state in
            if state.outcome == nil { state.task = task }
        }
    }

    /// Joins the waiters; nil when the retrieval was abandoned by all its earlier waiters.
    func join() -> Waiter? {
        state.withLock { state -> Waiter? in
            guard !state.abandoned else { return nil }
            let ticket = state.nextTicket
            state.nextTicket += 1
            state.waiters.insert(ticket)
            return Waiter(retrieval: self, ticket: ticket)
        }
    }

    /// Waiters that have not left, while the work runs (for tests).
    var waiterCount: Int { state.withLock { $0.outcome == nil ? $0.waiters.count : 0 } }

    private enum Registration {
        case waiting
        case done(Outcome?)
    }

    private func outcome(for ticket: Int) async -> Outcome? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome?, Never>) in
                let registration = state.withLock { state -> Registration in
                    if let outcome = state.outcome { return .done(outcome) }
                    // Not among the waiters any more: cancelled before it could wait.
                    guard state.waiters.contains(ticket) else { return .done(nil) }
                    state.continuations[ticket] = continuation
                    return .waiting
                }
                if case let .done(outcome) = registration { continuation.resume(returning: outcome) }
            }
        } onCancel: {
            leave(ticket)
        }
    }

    private func leave(_ ticket: Int) {
        let (continuation, abandonedTask) = state.withLock { state -> (CheckedContinuation<Outcome?, Never>?, Task<Void, Never>?) in
            guard state.outcome == nil, state.waiters.remove(ticket) != nil else { return (nil, nil) }
            let continuation = state.continuations.removeValue(forKey: ticket)
            guard state.waiters.isEmpty else { return (continuation, nil) }
            state.abandoned = true
            return (continuation, state.task)
        }
        continuation?.resume(returning: nil)
        abandonedTask?.cancel()
    }

    private func finish(_ outcome: Outcome) {
        let continuations = state.withLock { state in
            state.outcome = outcome
            state.task = nil
            defer { state.continuations = [:] }
            return Array(state.continuations.values)
        }
        for continuation in continuations { continuation.resume(returning: outcome) }
    }
}
