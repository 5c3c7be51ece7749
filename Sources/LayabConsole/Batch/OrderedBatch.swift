import Dispatch
import Foundation
import LayabAuth

/// Judges the lines of a batch on every core and writes their results in input order, streaming.
///
/// Lines are read in order on a thread of their own (a blocking read of standard input never holds a thread
/// the verifications need) and handed out in chunks: a line, and behind it the lines the input has already
/// delivered (``run(read:ready:judge:write:)``'s `ready`), up to ``chunkLimit``. A line never waits for input that
/// has not come, and a chunk costs one hand-off between threads instead of one per line. Chunks are judged
/// concurrently, the lines of one in order, and each result is written as soon as it and every earlier one are
/// done. At most `window` chunks are in flight, read but not yet written: reading waits while the window is
/// full, so a slow line holds back at most that many and memory stays bounded whatever the length of the input.
package struct OrderedBatch<Line: Sendable, Result: Sendable>: Sendable {
    /// The most chunks read and not yet written.
    package let window: Int
    /// The most lines in a chunk.
    package let chunkLimit: Int

    /// - Parameters:
    ///   - window: at least 1; a small multiple of the cores keeps every core busy past a slow line.
    ///   - chunkLimit: at least 1.
    package init(window: Int, chunkLimit: Int = 64) {
        self.window = max(1, window)
        self.chunkLimit = max(1, chunkLimit)
    }

    /// The window for this machine: four chunks per core.
    package static var defaultWindow: Int { 4 * ProcessInfo.processInfo.activeProcessorCount }

    /// Reads, judges and writes every line.
    /// - Parameters:
    ///   - read: the next line, nil at the end of the input; called on the reading thread, one call at a time,
    ///     only when the window has room.
    ///   - ready: whether `read` has a line at hand without waiting for the input (it was already read); such
    ///     lines join the chunk being made. The default, never, makes a chunk of every line.
    ///   - judge: the result of a line and its number (from 1); called concurrently for lines of different chunks.
    ///   - write: consecutive results in input order with the number of the first; one call at a time.
    /// - Returns: how many lines were read.
    /// - Throws: what `read` threw, once the results of every line read before it are written.
    package func run(read: @escaping @Sendable () throws -> Line?, ready: @escaping @Sendable () -> Bool = { false },
                     judge: @escaping @Sendable (Line, Int) async -> Result,
                     write: @escaping @Sendable (_ first: Int, _ results: [Result]) -> Void) async throws -> Int
    {
        let room = DispatchSemaphore(value: window)
        let chunkLimit = chunkLimit
        let chunks = AsyncThrowingStream<(first: Int, lines: [Line]), any Error> { continuation in
            let reader = Thread {
                var number = 0
                var failure: (any Error)?
                while failure == nil {
                    room.wait()
                    var lines: [Line] = []
                    do {
                        if let line = try read() {
                            lines.append(line)
                            while lines.count < chunkLimit, ready(), let next = try read() { lines.append(next) }
                        }
                    } catch {
                        failure = error
                    }
                    // The room taken for a read that found nothing (the end, or a failure) is given back: a
                    // semaphore must not be released below its initial value, nor above it.
                    guard !lines.isEmpty else {
                        room.signal()
                        break
                    }
                    continuation.yield((number + 1, lines))
                    number += lines.count
                }
                continuation.finish(throwing: failure)
            }
            reader.name = "batch reader"
            reader.start()
        }
        let order = ResultOrder<Result>(write: { first, results, chunks in
            write(first, results)
            for _ in 0..<chunks { room.signal() }
        })
        let (count, readError) = await withDiscardingTaskGroup(returning: (Int, (any Error)?).self) { group in
            var count = 0
            do {
                for try await (first, lines) in chunks {
                    count = first + lines.count - 1
                    group.addTask {
                        var results: [Result] = []
                        results.reserveCapacity(lines.count)
                        for (offset, line) in lines.enumerated() { results.append(await judge(line, first + offset)) }
                        order.deliver(results, first: first)
                    }
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

/// Chunks of results that arrive in any order, written in input order: the task that completes the next chunk
/// writes it and every one after it already done, outside the lock, while the others only leave theirs.
final class ResultOrder<Result: Sendable>: Sendable {
    private struct State {
        /// Chunks done but not yet written, by the number of their first line.
        var waiting: [Int: [Result]] = [:]
        /// The number of the next line to write.
        var next = 1
        /// Whether a task is writing: the others leave their results to it.
        var writing = false
    }

    private let state = Locked(State())
    private let write: @Sendable (_ first: Int, _ results: [Result], _ chunks: Int) -> Void

    init(write: @escaping @Sendable (_ first: Int, _ results: [Result], _ chunks: Int) -> Void) {
        self.write = write
    }

    func deliver(_ results: [Result], first: Int) {
        var ready = state.withLock { state in take(inserting: (first, results), from: &state) }
        while let (first, results, chunks) = ready {
            write(first, results, chunks)
            ready = state.withLock { state in take(inserting: nil, from: &state) }
        }
    }

    /// The run of results that can be written now and how many chunks they are, if this task is to write them;
    /// clears `writing` when none is left.
    private func take(inserting delivered: (first: Int, results: [Result])?, from state: inout State) -> (Int, [Result], Int)? {
        if let delivered {
            state.waiting[delivered.first] = delivered.results
            if state.writing { return nil }
        }
        let first = state.next
        var results: [Result] = []
        var chunks = 0
        while let chunk = state.waiting.removeValue(forKey: state.next) {
            results += chunk
            state.next += chunk.count
            chunks += 1
        }
        state.writing = chunks > 0
        return chunks == 0 ? nil : (first, results, chunks)
    }
}
