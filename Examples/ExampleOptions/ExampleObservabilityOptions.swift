#if Hummingbird || Vapor
import ArgumentParser
import Logging
import Metrics
import Prometheus

/// The options both example apps share for what they report: the log level, and `GET /metrics` in the
/// Prometheus text format (README "Observability").
public struct ExampleObservabilityOptions: ParsableArguments {
    @Flag(help: "Serve GET /metrics (Prometheus text format, no token): swift-metrics reports to swift-prometheus.")
    public var metrics = false
    @Option(name: .customLong("log-level"),
            help: ArgumentHelp("Log at this level and above: trace, debug, info, notice, warning, error or critical (info without it).",
                               valueName: "level"),
            transform: ExampleObservabilityOptions.level(named:))
    public var logLevel: Logger.Level?

    public init() {}

    /// Installs the logging and metrics backends these options ask for, once, before the app builds its
    /// verifier: LayabAuth's key sources and verifiers take the metrics backend installed when they are made.
    /// Without `--log-level` and `--metrics` it installs nothing, and the app runs as it always did.
    /// - Returns: What `GET /metrics` serves, with `--metrics`; nil without it.
    public func bootstrap() -> MetricsEndpoint? {
        if let logLevel {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = logLevel
                return handler
            }
        }
        guard metrics else { return nil }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return MetricsEndpoint(registry: registry)
    }

    /// A logger at `--log-level` for a framework that would otherwise pick its own level (Hummingbird reads
    /// `LOG_LEVEL`); nil without `--log-level`, so the framework keeps its default.
    public func logger(label: String) -> Logger? {
        logLevel.map { _ in Logger(label: label) }
    }

    static func level(named name: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: name) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("expected one of \(names)")
        }
        return level
    }
}
#endif
