import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabConsole
import Logging

/// `layabauth jwks --watch`: refreshes a key source on its own schedule (or every `interval` seconds) and
/// prints each event it records, as a server would log it, until interrupted.
struct JWKSWatch {
    let source: any KeySource
    /// Seconds between two refreshes; nil follows the source: when its keys expire, or when the back-off after
    /// a failure ends.
    let interval: Double?
    let json: Bool
    /// What `layabauth jwks` gives its key source: nothing logged, since the command prints the events and
    /// errors itself (a logger's lines on standard error would repeat them).
    static let observability = Observability(logger: Logger(label: "layabauth") { _ in SwiftLogNoOpLogHandler() })

    /// Never sleep less than this between refreshes, whatever the source says (a lifetime of 0 would spin).
    static let shortestWait = 1.0

    func run() async throws {
        var printed = 0
        _ = try? await source.currentKeys()
        while !Task.isCancelled {
            for event in await source.events() where event.sequence > printed {
                print(event)
                printed = event.sequence
            }
            try await Task.sleep(for: .seconds(await wait()))
            _ = try? await source.forceRefresh()
        }
    }

    /// Seconds until the next refresh.
    private func wait() async -> Double {
        if let interval { return interval }
        let status = await source.status()
        let now = SystemClock.now()
        let due = status.retryNotBefore ?? status.expiresAt ?? now
        return max(Self.shortestWait, due - now)
    }

    private func print(_ event: KeySourceEvent) {
        if json {
            Output.json(Self.json(event))
        } else {
            Output.line(TerminalText.printable(event.description))
        }
    }

    /// One event as a JSON object: `time` (ISO 8601), `level`, `event`, `message`, `metadata`.
    static func json(_ event: KeySourceEvent) -> JSONObject {
        let metadata = JSONObject(event.metadata.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })
        return JSONObject([("time", .string(TimeText.iso8601(event.time))), ("level", .string(event.level.rawValue)),
                           ("event", .string(event.kind.rawValue)), ("message", .string(event.message)), ("metadata", .object(metadata))])
    }
}
