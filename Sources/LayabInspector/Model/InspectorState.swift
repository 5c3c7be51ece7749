import LayabAuth
import LayabAuthJWKS
import LayabConsole

/// Everything the inspector shows, and nothing about how: views render it, the model changes it.
public struct InspectorState: Sendable {
    public enum Panel: Sendable, Equatable { case token, keys }

    /// Fields edited on the prompt line.
    public enum Field: String, Sendable, Equatable {
        case token, scopes, audience, issuer, leeway, jwks, discovery

        public var label: String {
            switch self {
            case .token: "Token"
            case .scopes: "Required scopes (space-separated)"
            case .audience: "Accepted audiences (space-separated)"
            case .issuer: "Required issuer"
            case .leeway: "Leeway in seconds"
            case .jwks: "JWKS URI (https://, http://, file:// or a path)"
            case .discovery: "Issuer to discover keys from"
            }
        }
    }

    /// Work the runtime does for the model (the model itself never does I/O).
    public enum Effect: Sendable, Equatable {
        case refreshKeys
        case useJWKS(String)
        case discover(String)
    }

    // What is being inspected and against what.
    /// The token as pasted or typed.
    public var tokenText = "" {
        didSet { token = TokenInput.normalize(tokenText) }
    }
    /// The token as verified: prefixes, whitespace and line breaks removed. Kept, not computed on each
    /// use: a frame reads it several times, and a pasted megabyte costs milliseconds to normalize.
    public private(set) var token = ""
    public var requiredScopes: [String] = []
    public var audiences: [String] = []
    public var issuer: String?
    public var leeway: Double = 30
    public var algorithms: Set<Algorithm> = Algorithm.asymmetric

    // Keys.
    public var keys: KeySet = .empty
    /// Where the keys come from, in words ("https://…/jwks.json", "demo issuer (in memory)").
    public var keySourceDescription = "no key source"
    public var keySourceStatus: KeySourceStatus?
    public var isFetchingKeys = false

    // Presentation.
    public var panel: Panel = .token
    public var showHelp = false
    public var editing: Field?
    public var editBuffer = ""
    /// The token as it was when `e` started editing it, put back by Esc.
    public var tokenBeforeEdit: String?
    public var claimsScroll = 0
    /// How far the verification panel is scrolled, when it holds more than it shows.
    public var verificationScroll = 0
    /// ↑↓ scroll the verification panel (after ←) rather than the claims (after →, the default).
    public var scrollsVerification = false
    /// Rows the keys list is scrolled past its last key, to the skipped keys below it.
    public var keysOverscroll = 0
    public var keySelection = 0
    public var keyDetail = false
    public var keyDetailScroll = 0
    /// The terminal's size as the runtime last saw it; scrolling stops at the end of what the panels hold.
    /// Nil when unknown: the view then bounds the scrolling alone.
    public var screenSize: (width: Int, height: Int)?
    /// The time of the last frame drawn: what the panels held then bounds the scrolling.
    public var renderedAt: Double?
    /// A transient line for the status bar.
    public var notice: String?
    public var shouldQuit = false

    // Demo.
    public var samples: [DemoSample] = []
    public var sampleIndex = 0
    /// The demo's clock: samples are signed again against it when shown.
    public var demoClock: (@Sendable () -> Double)?
    public var isDemo: Bool { !samples.isEmpty }
    /// The demo's own key source, in words. Sample names ("valid", "unknown kid") hold against it only.
    public static let demoKeysDescription = "demo issuer (in memory, no network)"

    public init() {}

    public func configuration(now: Double) -> VerifierConfiguration {
        VerifierConfiguration(algorithms: algorithms, issuers: issuer.map { [$0] } ?? [], audiences: audiences, leeway: leeway, clock: { now })
    }

    public var scopeRequirement: ScopeRequirement { ScopeRequirement(requiredScopes, mode: .all) }

    /// Every check of the current token at `now`, as a server using LayabAuth would run them, with the
    /// server's answer while its key source fails (``VerificationReport/answered(byKeySource:now:)``).
    public func report(now: Double) -> VerificationReport? {
        guard !token.isEmpty else { return nil }
        return Verifier(keys: keys, configuration: configuration(now: now)).report(token, requiring: scopeRequirement)
            .answered(byKeySource: keySourceStatus, now: now)
    }

    /// The kid of the current token when no key has it: a server would look it up at the key source.
    public var unknownKid: String? {
        guard !token.isEmpty, let decoded = try? Verifier.decodeUnverified(token, maximumSize: configuration(now: 0).maximumTokenSize),
              let kid = decoded.header.kid
        else { return nil }
        return keys.keys(withKid: kid).isEmpty ? kid : nil
    }
}

/// A sample token of the demo, with what it shows.
public struct DemoSample: Sendable, Equatable {
    public let name: String
    /// The token as last signed.
    public internal(set) var token: String
    /// Signs the sample again for another time (its iat and exp follow the clock).
    let mint: (@Sendable (Double) throws(LayabAuthError) -> String)?

    public init(name: String, token: String) {
        self.name = name
        self.token = token
        mint = nil
    }

    /// A sample signed by `mint` at `now`, and again each time it is shown.
    init(name: String, now: Double, mint: @escaping @Sendable (Double) throws(LayabAuthError) -> String) throws(LayabAuthError) {
        self.name = name
        token = try mint(now)
        self.mint = mint
    }

    public static func == (lhs: DemoSample, rhs: DemoSample) -> Bool { lhs.name == rhs.name && lhs.token == rhs.token }
}
