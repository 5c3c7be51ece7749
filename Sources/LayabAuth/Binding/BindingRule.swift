/// One rule about how a token is bound to its sender (RFC 9449 DPoP, RFC 8705 certificates). Every binding rule
/// lives here, once: ``SenderConstraintPolicy/verifyBinding(of:presentedAs:now:)`` runs them to the first
/// failure, ``SenderConstraintPolicy/bindingChecks(of:presentedAs:now:recordingReplay:)`` runs them all for
/// `layabauth verify` and the inspector, and both see the same outcome of each rule.
enum BindingRule: Sendable, CaseIterable {
    /// The scheme fits the token: a DPoP-bound token is never accepted as Bearer (RFC 9449 §7.1), DPoP only
    /// where the policy accepts it.
    case scheme
    /// A route that requires sender-constrained tokens refuses a token bound to nothing.
    case senderConstraint
    /// `cnf.x5t#S256` equals the client certificate's thumbprint (RFC 8705 §3).
    case certificate
    /// One `DPoP` header, a well-formed proof whose `jwk` verifies its signature (RFC 9449 §4.3 steps 1–7).
    case proof
    /// `cnf.jkt` equals the RFC 7638 thumbprint of the proof's key (RFC 9449 §6.1).
    case keyThumbprint
    /// `htm` equals the request's method.
    case method
    /// `htu` equals the request's URI without query and fragment, both normalised.
    case uri
    /// `iat` within the policy's window.
    case issuedAt
    /// `ath` equals base64url(SHA-256(access token)).
    case accessTokenHash
    /// `nonce` is one the policy's nonce source accepts, when it has one (RFC 9449 §8).
    case nonce
    /// The proof was not used before (RFC 9449 §11.1): run last, so that a refused request uses up no proof.
    case replay

    /// The name a report lists the rule under.
    var name: String {
        switch self {
        case .scheme: "scheme"
        case .senderConstraint: "sender constraint"
        case .certificate: "cnf.x5t#S256"
        case .proof: "DPoP proof"
        case .keyThumbprint: "cnf.jkt"
        case .method: "htm"
        case .uri: "htu"
        case .issuedAt: "proof iat"
        case .accessTokenHash: "ath"
        case .nonce: "nonce"
        case .replay: "jti replay"
        }
    }

    /// Whether the rule looks at the DPoP proof: it has nothing to check when the request does not use DPoP.
    var needsProof: Bool {
        switch self {
        case .scheme, .senderConstraint, .certificate: false
        default: true
        }
    }
}

/// What a binding rule found, passed or skipped, described for reports.
enum BindingFinding: Sendable {
    case passed(String)
    case skipped(String)
}

/// The `cnf` members (RFC 7800) a token is bound by.
struct Confirmation: Sendable {
    let jkt: String?
    let x5tS256: String?

    init(_ claims: Claims) throws(LayabAuthError) {
        guard let value = claims["cnf"] else {
            jkt = nil
            x5tS256 = nil
            return
        }
        guard let cnf = value.objectValue else { throw LayabAuthError(.invalidClaim, "\"cnf\" must be an object, found \(value.typeName)") }
        func member(_ name: String) throws(LayabAuthError) -> String? {
            guard let member = cnf[name] else { return nil }
            guard let text = member.stringValue, !text.isEmpty else {
                throw LayabAuthError(.invalidClaim, "\"cnf.\(name)\" must be a non-empty string, found \(member.typeName)")
            }
            return text
        }
        jkt = try member("jkt")
        x5tS256 = try member("x5t#S256")
    }
}

extension SenderConstraintPolicy {
    /// Runs the binding rules in their fixed order, handing each rule and its outcome to `visit` until it
    /// returns false. The replay rule records the proof only when `recordingReplay` is set (servers do, a
    /// report that must not use up the proof does not).
    func runBindingRules(_ token: VerifiedToken, _ presentation: TokenPresentation, now: Double, recordingReplay: Bool,
                         _ visit: (BindingRule, Result<BindingFinding, LayabAuthError>) -> Bool) async
    {
        let confirmation: Confirmation
        do {
            confirmation = try Confirmation(token.claims)
        } catch {
            _ = visit(.scheme, .failure(error))
            return
        }
        var proof: DPoPProof?
        var proofError: LayabAuthError?
        for rule in BindingRule.allCases {
            let outcome: Result<BindingFinding, LayabAuthError>
            if rule.needsProof, presentation.scheme != .dpop {
                outcome = .success(.skipped("the request does not use DPoP"))
            } else if rule.needsProof, rule != .proof, proof == nil {
                outcome = .success(.skipped(proofError.map { _ in "no readable proof" } ?? "no proof"))
            } else if rule == .replay {
                outcome = await replayOutcome(proof, recording: recordingReplay, now: now)
            } else {
                outcome = Result { () throws(LayabAuthError) in
                    try check(rule, token, confirmation, presentation, proof: &proof, proofError: &proofError, now: now)
                }
            }
            if !visit(rule, outcome) { return }
        }
    }

    /// One synchronous rule's finding. `.proof` reads the proof into `proof` (even one whose signature fails,
    /// so that a report can still compare its claims).
    private func check(_ rule: BindingRule, _ token: VerifiedToken, _ confirmation: Confirmation, _ presentation: TokenPresentation,
                       proof: inout DPoPProof?, proofError: inout LayabAuthError?, now: Double) throws(LayabAuthError) -> BindingFinding
    {
        switch rule {
        case .scheme:
            if presentation.scheme == .dpop {
                guard acceptsDPoP else { throw LayabAuthError(.bindingMismatch, "the token was sent with the DPoP scheme, which this server does not accept") }
                return .passed("DPoP")
            }
            if confirmation.jkt != nil {
                throw LayabAuthError(.bindingMismatch, "the token is DPoP-bound (cnf.jkt) and was sent as a Bearer token; it must be sent with the DPoP scheme and a proof (RFC 9449 §7.1)")
            }
            return .passed("Bearer")
        case .senderConstraint:
            if confirmation.jkt != nil || confirmation.x5tS256 != nil { return .passed("bound by cnf") }
            if requiresSenderConstraint {
                throw .senderConstraintRequired
            }
            return .skipped("not required")
        case .certificate:
            guard let expected = confirmation.x5tS256 else { return .skipped("the token is not certificate-bound") }
            guard let presented = presentation.clientCertificateThumbprint else {
                throw LayabAuthError(.bindingMismatch, "the token is bound to a client certificate (cnf.x5t#S256) and the request came without one (RFC 8705 §3)")
            }
            guard presented.hasSameUTF8(as: expected) else {
                throw LayabAuthError(.bindingMismatch, "the client certificate's thumbprint \(LayabAuthError.shown(presented)) is not the token's cnf.x5t#S256 \(LayabAuthError.shown(expected))")
            }
            return .passed(expected)
        case .proof:
            let proofs = presentation.dpopProofs
            guard proofs.count == 1 else {
                throw DPoPProof.invalid(proofs.isEmpty ? "the request uses the DPoP scheme without a DPoP header" : "the request carries \(proofs.count) DPoP headers, one is allowed")
            }
            let read: DPoPProof
            do {
                read = try DPoPProof.read(proofs[0], policy: self)
            } catch {
                proofError = error
                throw error
            }
            proof = read
            if let error = read.signatureError { throw error }
            return .passed("\(read.algorithm.rawValue), jwk thumbprint \(read.key.thumbprint)")
        case .keyThumbprint:
            guard let proof else { return .skipped("no proof") }
            guard let jkt = confirmation.jkt else {
                throw LayabAuthError(.bindingMismatch, "the token was sent with the DPoP scheme but is not DPoP-bound (no cnf.jkt)")
            }
            guard jkt.hasSameUTF8(as: proof.key.thumbprint) else {
                throw LayabAuthError(.bindingMismatch, "the proof's key (thumbprint \(proof.key.thumbprint)) is not the key the token is bound to (cnf.jkt \(LayabAuthError.shown(jkt)))")
            }
            return .passed(jkt)
        case .method:
            guard let proof else { return .skipped("no proof") }
            guard proof.method.hasSameUTF8(as: presentation.method) else {
                throw DPoPProof.invalid("htm is \"\(LayabAuthError.shown(proof.method))\", the request's method is \(LayabAuthError.shown(presentation.method))")
            }
            return .passed(proof.method)
        case .uri:
            guard let proof else { return .skipped("no proof") }
            guard let request = DPoPTargetURI.normalised(presentation.uri) else {
                throw LayabAuthError(.invalidRequest, "the request URI \"\(LayabAuthError.shown(presentation.uri))\" is not an absolute http(s) URI")
            }
            guard let claimed = DPoPTargetURI.normalised(proof.uri) else {
                throw DPoPProof.invalid("htu \"\(LayabAuthError.shown(proof.uri))\" is not an absolute http(s) URI")
            }
            guard claimed.hasSameUTF8(as: request) else {
                throw DPoPProof.invalid("htu is \(LayabAuthError.shown(claimed)), the request is for \(LayabAuthError.shown(request))")
            }
            return .passed(claimed)
        case .issuedAt:
            guard let proof else { return .skipped("no proof") }
            if proof.issuedAt < now - maximumProofAge {
                throw DPoPProof.invalid("the proof was made \(TimeText.duration(from: proof.issuedAt, to: now)) ago (iat \(TimeText.iso8601(proof.issuedAt))), proofs are accepted for \(TimeText.duration(from: 0, to: maximumProofAge))")
            }
            if proof.issuedAt > now + maximumProofFutureSkew {
                throw DPoPProof.invalid("the proof claims to be made \(TimeText.duration(from: now, to: proof.issuedAt)) in the future (iat \(TimeText.iso8601(proof.issuedAt)))")
            }
            return .passed("made \(TimeText.relative(proof.issuedAt, now: now))")
        case .accessTokenHash:
            guard let proof else { return .skipped("no proof") }
            guard let ath = proof.accessTokenHash else { throw DPoPProof.invalid("the proof has no ath, and it comes with an access token (RFC 9449 §4.2)") }
            guard ath.hasSameUTF8(as: DPoPProof.accessTokenHash(of: token.raw)) else {
                throw DPoPProof.invalid("ath is not the hash of the access token sent with the proof")
            }
            return .passed(ath)
        case .nonce:
            guard let proof else { return .skipped("no proof") }
            guard let nonceSource else { return .skipped("the server requires no nonce") }
            guard let nonce = proof.nonce else {
                throw useNonce("the server requires a DPoP nonce and the proof has none", nonceSource.current(now: now))
            }
            guard nonceSource.accepts(nonce, now: now) else {
                throw useNonce("the proof's nonce is stale or not one this server issued", nonceSource.current(now: now))
            }
            return .passed("accepted")
        case .replay:
            return .skipped("checked asynchronously")
        }
    }

    private func useNonce(_ message: String, _ nonce: String) -> LayabAuthError {
        LayabAuthError(.useDPoPNonce, message).challenging(DPoPChallenge(errorScheme: .dpop, offersBearer: true, algorithms: algorithmNames, nonce: nonce))
    }

    private func replayOutcome(_ proof: DPoPProof?, recording: Bool, now: Double) async -> Result<BindingFinding, LayabAuthError> {
        guard let proof else { return .success(.skipped("no proof")) }
        guard let replayStore else { return .success(.skipped("no replay store")) }
        guard recording else { return .success(.skipped("not recorded by a report")) }
        do {
            let first = try await replayStore.firstUse(jti: proof.jti, keyThumbprint: proof.key.thumbprint,
                                                       expiresAt: proof.issuedAt + maximumProofAge, now: now)
            return first ? .success(.passed("first use of jti \(LayabAuthError.shown(proof.jti))"))
                : .failure(DPoPProof.invalid("the proof (jti \(LayabAuthError.shown(proof.jti))) \(DPoPProof.replayReason)"))
        } catch {
            return .failure(error)
        }
    }

    /// Checks that `token`, verified by a `Verifier` or `JWKSVerifier`, is presented the way its binding requires,
    /// and records the DPoP proof as used: the one call a server makes per request after verifying the token.
    /// - Returns: the token with its ``VerifiedToken/binding``.
    /// - Throws: the first failing rule's error, answered under the DPoP challenges of this policy
    ///   (`invalid_dpop_proof`, `use_dpop_nonce`, `binding_mismatch` as `invalid_token`, `replay_store_unavailable`);
    ///   `invalid_configuration` for a policy that ``validate()`` refuses.
    public func verifyBinding(of token: VerifiedToken, presentedAs presentation: TokenPresentation,
                              now: Double = SystemClock.now()) async throws(LayabAuthError) -> VerifiedToken
    {
        try validate()
        var failure: LayabAuthError?
        var bound = token
        await runBindingRules(token, presentation, now: now, recordingReplay: true) { rule, outcome in
            switch outcome {
            case let .failure(error):
                failure = error
                return false
            case .success(.passed):
                if rule == .keyThumbprint, let jkt = Self.jkt(token) { bound.binding = .dpop(jkt: jkt) }
                if rule == .certificate, bound.binding == nil, let x5t = Self.x5t(token) { bound.binding = .certificate(x5tS256: x5t) }
                return true
            case .success(.skipped):
                return true
            }
        }
        if let failure {
            throw answering(failure, presentation: presentation, tokenIsDPoPBound: Self.jkt(token) != nil)
        }
        return bound
    }

    /// Every binding rule's outcome, described: what `layabauth verify` and the inspector list. The proof is
    /// recorded in the replay store only when `recordingReplay` is set.
    public func bindingChecks(of token: VerifiedToken, presentedAs presentation: TokenPresentation, now: Double = SystemClock.now(),
                              recordingReplay: Bool = false) async -> [ClaimCheck]
    {
        var checks: [ClaimCheck] = []
        await runBindingRules(token, presentation, now: now, recordingReplay: recordingReplay) { rule, outcome in
            switch outcome {
            case let .success(.passed(text)): checks.append(ClaimCheck(claim: rule.name, outcome: .passed(text)))
            case let .success(.skipped(text)): checks.append(ClaimCheck(claim: rule.name, outcome: .skipped(text)))
            case let .failure(error): checks.append(ClaimCheck(claim: rule.name, outcome: .failed(error)))
            }
            return true
        }
        return checks
    }

    /// Whether ``verifyBinding(of:presentedAs:now:)`` would return `token` as it is: under a valid policy that
    /// does not require sender-constrained tokens, a token without `cnf` sent with the Bearer scheme passes
    /// the scheme rule, and every other rule is skipped (nothing to compare, no proof to read or record).
    /// A server skips the binding step then; any other case runs the rules.
    public func bindingChangesNothing(for token: VerifiedToken, presentedAs presentation: TokenPresentation) -> Bool {
        guard presentation.scheme == .bearer, !requiresSenderConstraint, token.claims["cnf"] == nil else { return false }
        do { try validate() } catch { return false }
        return true
    }

    private static func jkt(_ token: VerifiedToken) -> String? { (try? Confirmation(token.claims))?.jkt }
    private static func x5t(_ token: VerifiedToken) -> String? { (try? Confirmation(token.claims))?.x5tS256 }
}

extension LayabAuthError {
    /// A route that requires sender-constrained tokens met one bound to nothing: the binding rule's refusal,
    /// and the route guards' of both integrations.
    public static let senderConstraintRequired = LayabAuthError(
        .bindingMismatch, "the route requires a sender-constrained token (DPoP or certificate-bound), the token has no cnf binding")
}
