import LayabAuth

/// How a token would fare at a server that checks sender-constrained tokens (RFC 9449 DPoP, RFC 8705
/// certificates) for one request: every binding rule's outcome, from the policy's own report, and the answer
/// the server would send. What `layabauth verify --dpop` and the inspector show.
package struct BindingReport: Sendable {
    /// The request as the server would see it.
    package let presentation: TokenPresentation
    /// The token's `cnf.jkt`, when it has one (shown even when the token did not verify).
    package let boundKey: String?
    /// The token's `cnf.x5t#S256`, when it has one.
    package let boundCertificate: String?
    /// Every binding rule's outcome; empty when the token was not verified far enough to check its binding.
    package let checks: [ClaimCheck]
    /// Why ``checks`` is empty, when it is.
    package let notChecked: String?
    /// The error the server would answer with (the token's own, else the first failing binding rule's), under
    /// the policy's DPoP challenges; nil when the request would be accepted.
    package let refusal: LayabAuthError?

    /// The HTTP answer to a refused request: status, `WWW-Authenticate` lines (and `DPoP-Nonce`), body.
    package var answer: BearerChallenge? { refusal?.challenge() }
    /// Whether a binding rule failed (the token's own errors are the verification report's).
    package var bindingFailed: Bool { checks.contains { !$0.passed } }

    /// Runs the binding report of `request`'s policy on the token (the proof is never recorded as used: a
    /// report must not use up a proof the request still needs).
    /// - Parameters:
    ///   - report: the token's verification report.
    ///   - verified: the token as the verifier returned it; nil when it was refused, or to take it from the
    ///     report when its signature verified.
    ///   - request: the request the token comes with.
    package static func evaluate(_ report: VerificationReport, verified: VerifiedToken?, request: BindingRequest, now: Double) async -> BindingReport {
        let presentation = request.presentation, policy = request.policy
        let cnf = report.decoded?.claims?["cnf"]?.objectValue
        let boundKey = cnf?["jkt"]?.stringValue
        // A token refused for its claims (expired, wrong audience) still shows whether its binding holds.
        var token = verified
        if token == nil, let decoded = report.decoded, let claims = decoded.claims, let key = report.signature.key {
            token = VerifiedToken(raw: decoded.raw, header: decoded.header, claims: claims, key: key, scopes: [])
        }
        var checks: [ClaimCheck] = []
        if let token { checks = await policy.bindingChecks(of: token, presentedAs: presentation, now: now, recordingReplay: false) }
        let error = report.errors.first ?? checks.lazy.compactMap(\.error).first
        return BindingReport(presentation: presentation, boundKey: boundKey, boundCertificate: cnf?["x5t#S256"]?.stringValue, checks: checks,
                             notChecked: token == nil ? "the token's signature did not verify" : nil,
                             refusal: error.map { policy.answering($0, presentation: presentation, tokenIsDPoPBound: boundKey != nil) })
    }

    /// One line on what the token is bound to and how it is presented.
    package var summary: String {
        var parts: [String] = []
        if let boundKey {
            parts.append(presentation.scheme == .dpop ? "bound to DPoP key \(boundKey)"
                : "bound to key \(boundKey): a server refuses it as Bearer")
        }
        if let boundCertificate { parts.append("bound to the client certificate \(boundCertificate)") }
        if parts.isEmpty { parts.append("not sender-constrained (no cnf)") }
        let request = presentation.scheme == .dpop ? "sent with a DPoP proof for \(presentation.method) \(presentation.uri)" : "sent as Bearer"
        return parts.joined(separator: "; ") + "; " + request
    }
}

/// The nonce a server handed out, the only one accepted: what `--dpop-nonce` stands for in a report.
package struct GivenNonceSource: DPoPNonceSource {
    package let nonce: String

    package init(_ nonce: String) { self.nonce = nonce }

    package func current(now: Double) -> String { nonce }
    package func accepts(_ nonce: String, now: Double) -> Bool { nonce.utf8.elementsEqual(self.nonce.utf8) }
}
