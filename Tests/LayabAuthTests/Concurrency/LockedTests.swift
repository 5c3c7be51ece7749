import Foundation
import Testing
@testable import LayabAuth

@Suite("Locked")
struct LockedTests {
    @Test("increments from eight threads at once are none of them lost")
    func noLostIncrements() {
        let counter = Locked(0)
        let threads = 8, increments = 20_000
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<increments {
                // A read and a write in separate steps: without mutual exclusion, increments are lost.
                counter.withLock { value in
                    let read = value
                    value = read &+ 1
                }
            }
        }
        #expect(counter.withLock { $0 } == threads * increments)
    }

    @Test("an error thrown by the body reaches the caller and the lock is released")
    func throwingBody() throws {
        struct Refused: Error {}
        let state = Locked([Int]())
        #expect(throws: Refused.self) {
            try state.withLock { (values: inout [Int]) throws(Refused) in
                values.append(1)
                throw Refused()
            }
        }
        // Taking the lock again would block forever had the throw left it held.
        state.withLock { $0.append(2) }
        #expect(state.withLock { $0 } == [1, 2])
    }
}
