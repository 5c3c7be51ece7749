import Foundation
import LayabConsole

/// Reads lines from a file descriptor keeping at most `limit` bytes of each: the rest of a longer line is
/// read and counted up to its line break but never stored, so one huge line costs no more memory than a
/// line of `limit` bytes.
struct BoundedLineReader {
    enum Line: Equatable {
        /// A line without its line break (`\n` or `\r\n`).
        case text(String)
        /// A line longer than the limit; `bytes` is its whole length, line break excluded.
        case tooLong(bytes: Int)
        /// A line that is not UTF-8 text.
        case notText(TokenInput.InvalidUTF8)
    }

    let limit: Int
    private let descriptor: Int32
    private var chunk: [UInt8]
    private var start = 0
    private var end = 0
    private var reachedEnd = false
    private var isFirstLine = true

    init(descriptor: Int32 = STDIN_FILENO, limit: Int, chunkSize: Int = 64 * 1024) {
        self.descriptor = descriptor
        self.limit = limit
        chunk = [UInt8](repeating: 0, count: chunkSize)
    }

    /// The next line, or nil at the end of the input. A last line without a line break is still a line.
    /// - Throws: ``InputError`` when the descriptor cannot be read.
    mutating func next() throws -> Line? {
        var kept: [UInt8] = []
        var length = 0
        var sawAnything = false
        var lastByte: UInt8?
        while true {
            if start == end {
                if reachedEnd { break }
                try fill()
                if start == end { break }
            }
            sawAnything = true
            let newline = indexOfLineBreak()
            let stop = newline ?? end
            if length <= limit {
                // Up to one byte past the limit is kept: enough to know the line is too long.
                kept.append(contentsOf: chunk[start..<min(stop, start + limit + 1 - length)])
            }
            length += stop - start
            if stop > start { lastByte = chunk[stop - 1] }
            start = newline.map { $0 + 1 } ?? end
            if newline != nil { break }
        }
        guard sawAnything else { return nil }
        // A byte order mark can only start the input, so only the first line may carry one.
        defer { isFirstLine = false }
        if lastByte == UInt8(ascii: "\r") {
            length -= 1
            if kept.count > length { kept.removeLast() }
        }
        if length > limit { return .tooLong(bytes: length) }
        do { return .text(try TokenInput.text(kept, droppingByteOrderMark: isFirstLine)) } catch { return .notText(error) }
    }

    /// Whether ``next()`` has a line at hand without reading the descriptor: a whole line is in the buffer, or the
    /// rest of the input after its end was reached.
    var hasBufferedLine: Bool {
        start < end && (reachedEnd || indexOfLineBreak() != nil)
    }

    /// The index of the first `\n` in the unread part of the chunk.
    private func indexOfLineBreak() -> Int? {
        chunk.withUnsafeBytes { bytes -> Int? in
            guard let base = bytes.baseAddress, let found = memchr(base + start, Int32(UInt8(ascii: "\n")), end - start) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }

    private mutating func fill() throws {
        start = 0
        end = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                end = count
                return
            }
            if count == 0 {
                reachedEnd = true
                return
            }
            if errno == EINTR { continue }
            throw InputError("cannot read standard input: \(String(cString: strerror(errno)))")
        }
    }
}
