/// What a server accepts of sender-constrained tokens (RFC 9449 DPoP, RFC 8705 certificate-bound tokens):
/// the one value a route's binding check needs. See ``verifyBinding(of:presentedAs:now:)``.
public struct SenderConstraintPolicy: Sendable {
    /// Whether the `DPoP` scheme is accepted. A DPoP-bound token can only be used with DPoP.
    public var acceptsDPoP: Bool
    /// The algorithms a proof may be signed with: asymmetric only (HMAC is refused whatever this holds).
    public var proofAlgorithms: Set<Algorithm>
    /// The oldest accepted proof, in seconds after its `iat` (60 by default). No further leeway is added:
    /// this window is the leeway for clocks running behind, and also how long a proof's `jti` is remembered.
    public var maximumProofAge: Double
    /// How far in the future a proof's `iat` may lie, for clients whose clock runs ahead (5 s by default).
    public var maximumProofFutureSkew: Double
    /// The server's nonces (RFC 9449 §8); nil: proofs need none.
    public var nonceSource: (any DPoPNonceSource)?
    /// Where used proofs are remembered; nil turns replay detection off (only for tests and reports).
    public var replayStore: (any DPoPReplayStore)?
    /// Whether a token that is bound to nothing (no `cnf.jkt`, no `cnf.x5t#S256`) is refused: the route option
    /// that requires sender-constrained tokens.
    public var requiresSenderConstraint: Bool
    /// The longest accepted `DPoP` header value, in bytes.
    public var maximumProofSize: Int
    /// The longest accepted `jti`, in bytes.
    public var maximumJTILength: Int

    /// The algorithms accepted by default: every asymmetric one LayabAuth implements.
    public static let defaultProofAlgorithms: Set<Algorithm> = Algorithm.asymmetric

    public init(acceptsDPoP: Bool = true, proofAlgorithms: Set<Algorithm> = defaultProofAlgorithms, maximumProofAge: Double = 60,
                maximumProofFutureSkew: Double = 5, nonceSource: (any DPoPNonceSource)? = nil,
                replayStore: (any DPoPReplayStore)? = InMemoryDPoPReplayStore(), requiresSenderConstraint: Bool = false,
                maximumProofSize: Int = 8 * 1024, maximumJTILength: Int = 256)
    {
        self.acceptsDPoP = acceptsDPoP
        self.proofAlgorithms = proofAlgorithms
        self.maximumProofAge = maximumProofAge
        self.maximumProofFutureSkew = maximumProofFutureSkew
        self.nonceSource = nonceSource
        self.replayStore = replayStore
        self.requiresSenderConstraint = requiresSenderConstraint
        self.maximumProofSize = maximumProofSize
        self.maximumJTILength = maximumJTILength
    }

    /// The same policy, requiring sender-constrained tokens: what a route option sets.
    public func requiringSenderConstraint(_ required: Bool = true) -> SenderConstraintPolicy {
        var policy = self
        policy.requiresSenderConstraint = required
        return policy
    }

    /// The accepted proof algorithms by name, sorted: the `algs` of the DPoP challenge.
    public var algorithmNames: [String] { proofAlgorithms.filter { $0.family != .hmac }.map(\.rawValue).sorted() }

    /// `invalid_configuration` when a setting cannot work.
    public func validate() throws(LayabAuthError) {
        guard maximumProofAge.isFinite, maximumProofAge > 0 else {
            throw LayabAuthError.invalidConfiguration("maximumProofAge", maximumProofAge, "a positive finite number of seconds is required")
        }
        guard maximumProofFutureSkew.isFinite, maximumProofFutureSkew >= 0 else {
            throw LayabAuthError.invalidConfiguration("maximumProofFutureSkew", maximumProofFutureSkew, "a finite number of seconds, at least 0, is required")
        }
        guard maximumProofSize > 0, maximumJTILength > 0 else {
            throw LayabAuthError.invalidConfiguration("maximumProofSize and maximumJTILength", "\(maximumProofSize) and \(maximumJTILength)", "both must be positive")
        }
        if acceptsDPoP, algorithmNames.isEmpty {
            throw LayabAuthError.invalidConfiguration("proofAlgorithms", "empty", "DPoP needs at least one asymmetric algorithm")
        }
    }

    /// The challenge context of a refusal (RFC 9449 §7): DPoP carries the error when the request used it or
    /// the token is DPoP-bound. Bearer is always offered beside DPoP: certificate-bound tokens travel under it
    /// (RFC 8705 §3), also on routes that require sender-constrained tokens.
    /// - Parameters:
    ///   - presentation: how the request carried its token; nil when it carried none.
    ///   - tokenIsDPoPBound: whether the token (when it could be read) has `cnf.jkt`.
    ///   - nonce: the nonce to send in `DPoP-Nonce`.
    public func challenge(for presentation: TokenPresentation?, tokenIsDPoPBound: Bool = false, nonce: String? = nil) -> DPoPChallenge? {
        guard acceptsDPoP else { return nil }
        let scheme: TokenPresentation.Scheme = presentation?.scheme == .dpop || tokenIsDPoPBound ? .dpop : .bearer
        return DPoPChallenge(errorScheme: scheme, offersBearer: true, algorithms: algorithmNames, nonce: nonce)
    }

    /// Any refusal of a request to a route under this policy (a token that did not verify, a missing one, a
    /// binding that failed), answered with the challenges of ``challenge(for:tokenIsDPoPBound:nonce:)``:
    /// what a server integration calls before ``LayabAuthError/challenge(realm:retryAfter:disclosure:)``.
    public func answering(_ error: LayabAuthError, presentation: TokenPresentation?, tokenIsDPoPBound: Bool = false) -> LayabAuthError {
        guard let challenge = challenge(for: presentation, tokenIsDPoPBound: tokenIsDPoPBound, nonce: error.dpop?.nonce) else { return error }
        return error.challenging(challenge)
    }
}
