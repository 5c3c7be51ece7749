import Testing

/// Lets at most a few of this target's test cases run at once (the rest wait, suspended).
///
/// Swift Testing starts every test case of every target together. Each of these cases first mints keys
/// and tokens on Swift's concurrency pool (two threads on two cores); two hundred of them at once keep
/// the pool busy for many seconds, and the timing-sensitive tests of other targets in the same process
/// (a 1 s HTTP timeout measured in wall time) would wait behind them.
struct FewAtATime: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func scopeProvider(for test: Test, testCase: Test.Case?) -> FewAtATime? {
        testCase == nil ? nil : self
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        await Gate.shared.enter()
        do {
            try await function()
        } catch {
            await Gate.shared.leave()
            throw error
        }
        await Gate.shared.leave()
    }

    /// A counting semaphore whose waiters are suspended tasks, not blocked threads.
    actor Gate {
        static let shared = Gate(width: 3)
        private var free: Int
        private var waiting: [CheckedContinuation<Void, Never>] = []

        init(width: Int) { free = width }

        func enter() async {
            if free > 0 {
                free -= 1
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func leave() {
            if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
        }
    }
}

extension Trait where Self == FewAtATime {
    /// At most a few of this target's test cases at once: see ``FewAtATime``.
    static var fewAtATime: Self { FewAtATime() }
}
