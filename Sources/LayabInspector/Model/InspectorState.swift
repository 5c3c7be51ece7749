import LayabAuth
import LayabAuthJWKS
import LayabConsole

/// Everything the inspector shows, and nothing about how: views render it, the model changes it.
package struct InspectorState: Sendable {
    package enum Panel: Sendable, Equatable { case token, keys }

    /// Fields edited on the prompt line.
    package enum Field: String, Sendable, Equatable {
        case token, scopes, audience, issuer, leeway, jwks, discovery, key
        /// The request of a sender-constrained token (`P`, `R`): its DPoP proof, its method and URL.
        case proof, request
        /// What-if editing (`E`, `H`): saved, the token is re-signed with a LOCAL key.
        case claims, header

        package var label: String {
            switch self {
            case .token: "Token"
            case .scopes: "Required scopes (space-separated)"
            case .audience: "Accepted audiences (space-separated)"
            case .issuer: "Required issuer"
            case .leeway: "Leeway in seconds"
            case .jwks: "JWKS URI (https://, http://, file:// or a path)"
            case .discovery: "Issuer to discover keys from"
            case .key: "Key or HMAC secret (PEM, JWK, JWK Set or secret)"
            case .proof: "DPoP proof (empty: sent as Bearer)"
            case .request: "Request: method and URL"
            case .claims: "What-if claims JSON (Enter re-signs with a LOCAL key)"
            case .header: "What-if header JSON (Enter re-signs with a LOCAL key)"
            }
        }
    }

    /// Work the runtime does for the model (the model itself never does I/O).
    package enum Effect: Sendable, Equatable {
        case refreshKeys
        case useJWKS(String)
        case discover(String)
        /// Put a text on the clipboard or in a file (`y`, `w`).
        case copyOut(CopyOut.Copy)
        /// Fetch a new token from the provider (`F`, and when the fetched one expires).
        case fetchToken
        /// Use the key source of the trusted issuer at this index of ``trustedIssuers`` (the token's `iss`
        /// selected it); nil: no key source, the token selecting no issuer.
        case useTrustedIssuer(Int?)
    }

    // What is being inspected and against what.
    /// The token as pasted or typed.
    package var tokenText = "" {
        didSet { extractToken() }
    }
    /// Which of the tokens the text holds is inspected (`id_token` of a token endpoint response); nil: the first.
    package var tokenChoice: String? {
        didSet { extractToken() }
    }
    /// The token found in ``tokenText`` and where: what the inspector says it took.
    package private(set) var extraction = TokenInput.Extraction(token: "")
    /// The token as verified: prefixes, whitespace and line breaks removed. Kept, not computed on each
    /// use: a frame reads it several times, and a pasted megabyte costs milliseconds to normalize.
    package private(set) var token = ""
    /// Whitespace removed from inside the token as pasted: the panel says so, since a server would refuse it as sent.
    package private(set) var removedWhitespace: TokenInput.RemovedWhitespace?
    package var requiredScopes: [String] = []
    /// The step-up requirement (RFC 9470, `--acr`, `--max-age`) checked after the scopes; nil: none.
    package var authenticationRequirement: AuthenticationRequirement?
    package var audiences: [String] = []
    package var issuer: String?
    /// The issuer keys are discovered from (`d`), which is not the issuer required (``issuer``, `i`).
    package var discoveryIssuer: String?
    /// The JWKS URI given with `j`.
    package var jwksURI: String?
    package var leeway: Double = 30
    /// The header `typ` values accepted (`--require-typ`, `--access-token-profile`); empty: not checked.
    package var requiredTypes: [String] = []
    /// The claims that must be present (the profile's with `--access-token-profile`).
    package var requiredClaims: [String] = VerifierConfiguration().requiredClaims
    /// Where opaque tokens are introspected (RFC 7662), in words; nil: they are only decoded.
    package var introspectionEndpoint: String?
    /// The answer about the token shown, or about the one before it.
    package var introspected: IntrospectedToken?
    package var algorithms: Set<Algorithm> = Algorithm.asymmetric
    /// The request the token comes with, for its binding (RFC 9449 DPoP, RFC 8705): `--dpop`, `P`, `R`.
    package var bindingRequest = BindingRequest()
    /// The binding report the runtime made last (see ``shownBinding``).
    package var checkedBinding: CheckedBinding?

    // Keys.
    package var keys: KeySet = .empty
    /// Keys of the given files that a verifier refuses as too weak: tokens are checked against them too
    /// (``VerificationReport/checkingWeakKeys(_:)``), so that "it matches" and "it is refused" are both shown.
    package var weakKeys: [WeakKey] = []
    /// Where the keys come from, in words ("https://…/jwks.json", "demo issuer (in memory)").
    package var keySourceDescription = "no key source"
    package var keySourceStatus: KeySourceStatus?
    package var isFetchingKeys = false
    /// Several trusted issuers (`--trust-issuer`): the token's `iss` selects whose keys are shown and check it.
    package var trustedIssuers: MultiIssuerVerifier?
    /// The index in ``trustedIssuers`` of the issuer whose keys ``keys`` are; nil: none's.
    package internal(set) var keysIssuerIndex: Int?
    /// Counts the key sources shown so far: a new source replaces the old one entirely, and what a source
    /// replaced brings later (a slow fetch, a background refresh) is news about keys no longer shown.
    package internal(set) var keySourceGeneration = 0
    /// The issuer the key source discovers keys from, while discovery has not found its JWKS URI: the
    /// keys browser says so, instead of calling the issuer discovered.
    package var undiscoveredIssuer: String?

    // What if.
    /// Local keys and the tokens re-signed with them (`E`, `H`, `u`).
    package var whatIf = WhatIf()
    /// The tokens shown since start (`[`, `]`), and which earlier one the comparison (`D`) looks at.
    package var history = TokenHistory()
    /// The comparison of the token shown with an earlier one is open (`D`).
    package var showComparison = false
    /// The token fetched from a provider (`--client-id`), when the inspector fetches one.
    package var tokenFetching: TokenFetching?

    // Presentation.
    package var panel: Panel = .token
    package var showHelp = false
    package var editing: Field?
    /// The prompt's text, cursor, selection and undo.
    package var editor = LineEditor()
    /// The prompt's text; setting it puts the cursor at its end.
    package var editBuffer: String {
        get { editor.text }
        set { editor = LineEditor(newValue) }
    }
    /// Why the value entered was refused, shown beside it until it changes (the prompt stays open).
    package var promptError: String?
    /// Values entered at each prompt, oldest first, for ↑/↓ (never the token or a key).
    package var promptHistory: [Field: [String]] = [:]
    /// The token as it was when `e` started editing it, put back by Esc.
    package var tokenBeforeEdit: String?
    package var claimsScroll = 0
    /// How far the verification panel is scrolled, when it holds more than it shows.
    package var verificationScroll = 0
    /// ↑↓ scroll the verification panel (after ←) rather than the claims (after →, the default).
    package var scrollsVerification = false
    /// Rows the keys list is scrolled past its last key, to the skipped keys below it.
    package var keysOverscroll = 0
    package var keySelection = 0
    package var keyDetail = false
    package var keyDetailScroll = 0
    /// The terminal's size as the runtime last saw it; scrolling stops at the end of what the panels hold.
    /// Nil when unknown: the view then bounds the scrolling alone.
    package var screenSize: (width: Int, height: Int)?
    /// The time of the last frame drawn: what the panels held then bounds the scrolling.
    package var renderedAt: Double?
    /// Where the copy menu (`y`, `w`) copies to while it is open: the next key picks what.
    package var copyMenu: CopyOut.Destination?
    /// A transient line for the status bar.
    package var notice: String?
    package var shouldQuit = false

    // Demo.
    package var samples: [DemoSample] = []
    package var sampleIndex = 0
    /// The demo's clock: samples are signed again against it when shown.
    package var demoClock: (@Sendable () -> Double)?
    /// What the demo set that a token of one's own left behind, kept for n and p to put back.
    package internal(set) var leftDemo: LeftDemo?
    /// Showing a demo sample against the demo's configuration (not a token of one's own).
    package var isDemo: Bool { !samples.isEmpty && leftDemo == nil }
    /// The demo's own key source, in words. Sample names ("valid", "unknown kid") hold against it only.
    package static let demoKeysDescription = "demo issuer (in memory, no network)"

    package init() {}

    /// The demo's settings dropped when a token of one's own was pasted or entered: nil for those that were
    /// no longer the demo's (changed by the user) and so were kept.
    package struct LeftDemo: Sendable {
        var issuer: String?
        var audiences: [String]?
        var requiredScopes: [String]?
        var keys: (keys: KeySet, description: String, status: KeySourceStatus?)?
    }

    private mutating func extractToken() {
        extraction = TokenInput.extract(tokenText, choosing: tokenChoice)
        token = extraction.token
        removedWhitespace = extraction.removed
    }

    /// Whether a key source was just put in place and has answered nothing yet (no keys, no status): what a
    /// server would do with a token is not known until it does.
    package var isAwaitingFirstKeys: Bool { isFetchingKeys && keys.isEmpty && keySourceStatus == nil }

    package func configuration(now: Double) -> VerifierConfiguration {
        VerifierConfiguration(algorithms: algorithms, issuers: issuer.map { [$0] } ?? [], audiences: audiences, leeway: leeway,
                              requiredClaims: requiredClaims, requiredTypes: requiredTypes, clock: { now })
    }

    package var scopeRequirement: ScopeRequirement { ScopeRequirement(requiredScopes, mode: .all) }

    /// Every check of the current token at `now`, as a server using LayabAuth would run them, with the
    /// server's answer while its key source fails (``VerificationReport/answered(byKeySource:now:)``).
    /// - Parameter checkingWeakKeys: check the signature with ``weakKeys`` too, as the panels show it; without,
    ///   the report is exactly a server's, whose answer the panel shows.
    package func report(now: Double, checkingWeakKeys: Bool = true) -> VerificationReport? {
        guard !token.isEmpty else { return nil }
        if let selection = issuerSelection { return report(selectedBy: selection, now: now) }
        let verifier: Verifier
        do { verifier = try Verifier(keys: trustedKeys, configuration: configuration(now: now)) } catch { return .undecodable(error) }
        let report = verifier.report(token, requiring: scopeRequirement, authentication: authenticationRequirement)
        return (checkingWeakKeys ? report.checkingWeakKeys(weakKeys) : report).answered(byKeySource: keySourceStatus, now: now)
    }

    /// The keys tokens are checked against: the LOCAL keys of what-if editing, which no new key source
    /// replaces, first, so that a provider key with the same kid never stands in for one; then the key source's.
    package var trustedKeys: KeySet {
        let local = whatIf.verificationKeys
        return local.isEmpty ? keys : KeySet(keys: local).merging(keys)
    }

    /// The keys the key browser lists, in its order: the key source's, then the LOCAL ones.
    package var listedKeys: [VerificationKey] { keys.keys + whatIf.verificationKeys }

    /// Whether the token shown was re-signed in this inspector with a LOCAL key.
    package var isMadeLocally: Bool { whatIf.isMadeLocally(token) }

    /// The kid of the current token when no key has it: a server would look it up at the key source.
    package var unknownKid: String? {
        guard !token.isEmpty, keysServeToken, let decoded = try? Verifier.decodeUnverified(token, maximumSize: configuration(now: 0).maximumTokenSize),
              let kid = decoded.header.kid
        else { return nil }
        return trustedKeys.keys(withKid: kid).isEmpty ? kid : nil
    }
}
