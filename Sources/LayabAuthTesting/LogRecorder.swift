import Foundation
import Logging

/// Keeps every line logged through its loggers, for tests that check what LayabAuth logged (and that it
/// logged no token, secret or private key).
///
/// ```swift
/// let logs = LogRecorder()
/// let source = try RemoteKeySource(uri: url, observability: Observability(logger: logs.logger()))
/// …
/// #expect(logs.entries.contains { $0.level == .info && $0.message.hasPrefix("key set changed") })
/// ```
public final class LogRecorder: Sendable {
    /// One logged line.
    public struct Entry: Sendable, CustomStringConvertible {
        public let label: String
        public let level: Logger.Level
        public let message: String
        public let metadata: [String: String]

        /// The line as a text log handler prints it: level, message, then the metadata sorted by key.
        public var description: String {
            let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return "\(level) \(message)" + (fields.isEmpty ? "" : " " + fields)
        }
    }

    private let storage = NSLock()
    nonisolated(unsafe) private var recorded: [Entry] = []

    public init() {}

    /// Every line recorded so far, in order.
    public var entries: [Entry] { storage.withLock { recorded } }

    /// A logger that records into this recorder, from `level` up (trace: everything).
    public func logger(label: String = "layabauth", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { label in Handler(label: label, recorder: self) }
        logger.logLevel = level
        return logger
    }

    func append(_ entry: Entry) { storage.withLock { recorded.append(entry) } }

    struct Handler: LogHandler {
        let label: String
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all = metadata
            if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
            if let given = event.metadata { all.merge(given) { $1 } }
            recorder.append(Entry(label: label, level: event.level, message: event.message.description,
                                  metadata: all.mapValues { $0.description }))
        }
    }
}
