import LayabAuth
import LayabAuthJWKS

/// Several trusted issuers (`--trust-issuer`, `--trust-issuer-template`): the token shown selects one by its
/// `iss` (and `tid`, for a template) exactly as ``MultiIssuerVerifier`` does, and is checked with that issuer's
/// keys only. The selection is made again from the token on each report, so that a what-if edit of `iss` or
/// `tid` is never checked against the keys, or past the tenant binding, of the issuer selected before it.
extension InspectorState {
    /// Which trusted issuer the token shown selects, or why none; nil without trusted issuers or a token, and in the demo.
    package var issuerSelection: IssuerSelection? {
        guard let trustedIssuers, !token.isEmpty, !isDemo else { return nil }
        return trustedIssuers.selection(for: token)
    }

    /// Whether ``keys`` belong to the issuer the token selects (always true without trusted issuers): no
    /// key of another issuer is looked up for a token, and none is asked for a token that selects no issuer.
    package var keysServeToken: Bool {
        guard let selection = issuerSelection else { return true }
        return selection.index != nil && selection.index == keysIssuerIndex
    }

    /// When the token shown selects another trusted issuer than the one whose keys are shown, that issuer's
    /// keys replace them (the keys browser lists them) and its key source is to be used; when it selects
    /// none, the keys shown go and no source is used.
    /// - Returns: the effect that uses the selected issuer's key source (none for no issuer: an untrusted
    ///   `iss` contacts no one); nil when the keys shown are already the right ones.
    package mutating func followTrustedIssuer() -> Effect? {
        guard let trustedIssuers, let selection = issuerSelection, selection.index != keysIssuerIndex else { return nil }
        guard let index = selection.index, trustedIssuers.issuers.indices.contains(index) else {
            keySourceReplaced(by: Self.noIssuerDescription)
            keysIssuerIndex = nil
            isFetchingKeys = false
            return .useTrustedIssuer(nil)
        }
        keySourceReplaced(by: Self.keysDescription(of: trustedIssuers.issuers[index]))
        keysIssuerIndex = index
        isFetchingKeys = true
        return .useTrustedIssuer(index)
    }

    /// The keys browser's source while no trusted issuer is selected.
    package static let noIssuerDescription = "no trusted issuer selected (the token's iss picks one)"

    /// A key source given in the inspector (`j`, `d`) replaces the trusted issuers: its keys check every token.
    package mutating func leaveTrustedIssuers() {
        guard trustedIssuers != nil else { return }
        trustedIssuers = nil
        keysIssuerIndex = nil
    }

    /// The trusted issuer whose keys are shown, in words, for the keys browser.
    static func keysDescription(of trusted: TrustedIssuer) -> String {
        switch trusted.match {
        case let .exact(issuer): "trusted issuer \(issuer)"
        case let .template(template, _): "trusted issuer template \(template) (all its tenants' keys)"
        }
    }

    /// Every check of the token by the issuer `selection` chose, with a hint naming it, as
    /// ``MultiIssuerVerifier`` reports; a token that selects no issuer is refused with the reason as its
    /// signature's outcome, checked against no key.
    func report(selectedBy selection: IssuerSelection, now: Double) -> VerificationReport {
        var configuration = configuration(now: now)
        var keys = KeySet.empty
        var status: KeySourceStatus?
        switch selection {
        case let .selected(index, issuer, _):
            configuration.issuers = [issuer]
            // LOCAL what-if keys check a re-signed token whichever issuer it names, as without trusted issuers.
            keys = index == keysIssuerIndex ? trustedKeys : KeySet(keys: whatIf.verificationKeys)
            status = index == keysIssuerIndex ? keySourceStatus : nil
        case .refused:
            configuration.issuers = []
        }
        let verifier: Verifier
        do { verifier = try Verifier(keys: keys, configuration: configuration) } catch { return .undecodable(error) }
        var report = verifier.report(token, requiring: scopeRequirement, authentication: authenticationRequirement)
        if case let .refused(error) = selection { report = report.withSignature(.unverified(error)) }
        return report.addingHint(selection.hint).answered(byKeySource: status, now: now)
    }
}
