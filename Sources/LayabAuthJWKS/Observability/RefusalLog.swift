import LayabAuth
import Logging

/// What a server records of a refused request: the outcome counter, the replay counter, and one debug line
/// with the whole message (which the client may not see) and the token named by what identifies it
/// without disclosing it: the first 12 hex digits of its SHA-256, and the `kid`, `iss` and `sub` it claims.
enum RefusalLog {
    /// The longest claim value written to a log line; longer ones are cut, with "…".
    static let maximumValueLength = 128

    static func record(_ error: LayabAuthError, token: String?, scheme: TokenPresentation.Scheme?, metrics: VerificationMetrics,
                       logger: Logger, maximumTokenSize: Int)
    {
        let logs = logger.logLevel <= .debug
        // Decoded again only for what needs its kid, iss or sub: a kid label, or the debug line.
        let decoded = logs || metrics.observability.labelsKid
            ? token.flatMap { try? DecodedToken.decodeForDisplay($0, maximumSize: maximumTokenSize) } : nil
        metrics.recordOutcome(error.code.rawValue, scheme: scheme?.metricLabel ?? "none", kid: decoded?.header.kid)
        if error.isDPoPReplay { metrics.recordReplayRefused() }
        guard logs else { return }
        var metadata: Logger.Metadata = ["layabauth.outcome": .string(error.code.rawValue), "layabauth.verifier": .string(metrics.verifier)]
        if let scheme { metadata["layabauth.scheme"] = .string(scheme.rawValue) }
        if let token { metadata["token.sha256"] = .string(Observability.tokenDigest(token)) }
        if let kid = decoded?.header.kid { metadata["token.kid"] = .string(shown(kid)) }
        if let issuer = decoded?.claims?.issuer { metadata["token.iss"] = .string(shown(issuer)) }
        if let subject = decoded?.claims?.subject { metadata["token.sub"] = .string(shown(subject)) }
        logger.debug("token refused: \(error.code.rawValue): \(error.message)", metadata: metadata)
    }

    /// A value the token claims, as a log line may carry it: control characters escaped, cut at
    /// ``maximumValueLength`` characters.
    static func shown(_ value: String) -> String {
        let escaped = value.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }.joined()
        return escaped.count > maximumValueLength ? escaped.prefix(maximumValueLength) + "…" : escaped
    }
}

extension TokenPresentation.Scheme {
    /// The `scheme` label of the verification counter.
    var metricLabel: String {
        switch self {
        case .bearer: "bearer"
        case .dpop: "dpop"
        }
    }
}
