import LayabAuth
import Logging

/// One thing a key source did, as it was logged: a retrieval started, finished or failed, a key set that
/// changed, an unknown `kid` looked up, the staleness limit reached.
///
/// A source keeps its last 200 events (`KeySource.events()`); `layabauth jwks
/// --watch` prints them. The metadata holds no token, secret or key material: URLs without their query,
/// HTTP statuses, ETags, durations, `kid`s.
public struct KeySourceEvent: Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case retrievalStarted = "retrieval_started"
        case retrievalFinished = "retrieval_finished"
        case retrievalFailed = "retrieval_failed"
        case keySetChanged = "key_set_changed"
        case unknownKid = "unknown_kid"
        case stalenessLimitReached = "staleness_limit_reached"
    }

    /// What an unknown `kid` lookup found.
    public enum UnknownKidOutcome: String, Sendable {
        /// A retrieval brought a key with that `kid`.
        case retrieved
        /// The provider answered, and its keys still lack that `kid`.
        case stillUnknown = "still_unknown"
        /// No retrieval: the `kid` is remembered as unknown, or the cooldown since the last lookup runs.
        case rememberedUnknown = "remembered_unknown"
        /// The keys could not be retrieved, so whether the `kid` exists is not known.
        case providerDown = "provider_down"
    }

    /// Counts up from 1 in each source: what a reader of the history has already seen.
    public let sequence: Int
    /// Seconds since 1970, by the source's clock.
    public let time: Double
    public let kind: Kind
    public let level: Logger.Level
    public let message: String
    /// The log line's metadata, `jwks.source` included.
    public let metadata: [String: String]

    public init(sequence: Int, time: Double, kind: Kind, level: Logger.Level, message: String, metadata: [String: String]) {
        self.sequence = sequence
        self.time = time
        self.kind = kind
        self.level = level
        self.message = message
        self.metadata = metadata
    }

    /// The same event numbered `offset` further: a discovery source's history goes on into the history of the
    /// source it found.
    func renumbered(after offset: Int) -> KeySourceEvent {
        KeySourceEvent(sequence: sequence + offset, time: time, kind: kind, level: level, message: message, metadata: metadata)
    }

    /// The line as a server's text log shows it: time, level, message, then the metadata sorted by key.
    public var description: String {
        let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "\(TimeText.iso8601(time)) \(level) \(message)" + (fields.isEmpty ? "" : " " + fields)
    }
}
