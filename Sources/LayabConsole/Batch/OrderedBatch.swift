import Dispatch
import Foundation
import LayabAuth

/// Judges the lines of a batch on every core and writes their results in input order, streaming.
///
/// Lines are read in order on a thread of their own (a blocking read of standard input never holds a thread
/// the verifications need), judged concurrently, and each result is written as soon as it and every earlier
/// one are done. At most `window` lines are in flight, read but not yet written: reading waits while the
/// window is full, so a slow line holds back at most `window` lines and memory stays bounded whatever the
/// length of the input.
package struct OrderedBatch<Line: Sendable, Result: Sendable>: Sendable {
    /// The most lines read and not yet written.
    package let window: Int

    /// - Parameter window: at least 1; a small multiple of the cores keeps every core busy past a slow line.
    package init(window: Int) {
        self.window = max(1, window)
    }

    /// The window for this machine: four lines per core.
    package static var defaultWindow: Int { 4 * ProcessInfo.processInfo.activeProcessorCount }

    /// Reads, judges and writes every line.
    /// - Parameters:
    ///   - read: the next line, nil at the end of the input; called on the reading thread, one call at a time,
    ///     only when the window has room.
    ///   - judge: the result of a line and its number (from 1); called concurrently.
    ///   - write: consecutive results in input order with the number of the first; one call at a time.
    /// - Returns: how many lines were read.
    /// - Throws: what `read` threw, once the results of every line read before it are written.
    package func run(read: @escaping @Sendable () throws -> Line?, judge: @escaping @Sendable (Line, Int) async -> Result,
                     write: @escaping @Sendable (_ first: Int, _ results: [Result]) -> Void) async throws -> Int
    {
        let room = DispatchSemaphore(value: window)
        let lines = AsyncThrowingStream<(number: Int, line: Line), any Error> { continuation in
            let reader = Thread {
                var number = 0
                // The room taken for the read that found the end (or failed) is given back: a semaphore must not
                // be released below its initial value.
                defer { room.signal() }
                do {
                    while true {
                        room.wait()
                        guard let line = try read() else { break }
                        number += 1
                        continuation.yield((number, line))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            reader.name = "batch reader"
            reader.start()
        }
        let order = ResultOrder<Result>(write: { first, results in
            write(first, results)
            for _ in results { room.signal() }
        })
        let (count, readError) = await withDiscardingTaskGroup(returning: (Int, (any Error)?).self) { group in
            var count = 0
            do {
                for try await (number, line) in lines {
                    count = number
                    group.addTask { order.deliver(await judge(line, number), number: number) }
                }
                return (count, nil)
            } catch {
                return (count, error)
            }
        }
        if let readError { throw readError }
        return count
    }
}

/// Results that arrive in any order, written in input order: the task that completes the next result writes
/// it and every one after it already done, outside the lock, while the others only leave theirs.
final class ResultOrder<Result: Sendable>: Sendable {
    private struct State {
        /// Results done but not yet written, by line number.
        var waiting: [Int: Result] = [:]
        /// The number of the next line to write.
        var next = 1
        /// Whether a task is writing: the others leave their results to it.
        var writing = false
    }

    private let state = Locked(State())
    private let write: @Sendable (Int, [Result]) -> Void

    init(write: @escaping @Sendable (Int, [Result]) -> Void) {
        self.write = write
    }

    func deliver(_ result: Result, number: Int) {
        var ready = state.withLock { state in take(inserting: (number, result), from: &state) }
        while let (first, results) = ready {
            write(first, results)
            ready = state.withLock { state in take(inserting: nil, from: &state) }
        }
    }

    /// The run of results that can be written now, if this task is to write them; clears `writing` when none is left.
    private func take(inserting delivered: (number: Int, result: Result)?, from state: inout State) -> (Int, [Result])? {
        if let delivered {
            state.waiting[delivered.number] = delivered.result
            if state.writing { return nil }
        }
        let first = state.next
        var results: [Result] = []
        while let result = state.waiting.removeValue(forKey: state.next) {
            results.append(result)
            state.next += 1
        }
        state.writing = !results.isEmpty
        return results.isEmpty ? nil : (first, results)
    }
}
