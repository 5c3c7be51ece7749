/// What a ``Verifier`` accepts. The defaults are the safe choices; each is documented where it is declared.
public struct VerifierConfiguration: Sendable {
    /// Algorithms accepted in the header. Default: every asymmetric algorithm; HS* must be opted into,
    /// and even then only verify with secrets the application configured.
    public var algorithms: Set<Algorithm>
    /// Accepted `iss` values (exact, case-sensitive match). Empty: `iss` is not checked.
    public var issuers: [String]
    /// Accepted audiences: `aud` must contain at least one. Empty: `aud` is not checked.
    public var audiences: [String]
    /// Clock skew tolerated for `exp`, `nbf` and `iat`, in seconds. Default 30.
    /// Must be finite and at least 0: a NaN leeway would make every `exp` comparison false, so that no token
    /// ever expired.
    public var leeway: Double
    /// Claims that must be present. Default `["exp"]`: a token that never expires is refused (RFC 8725 §3.10's spirit).
    public var requiredClaims: [String]
    /// Accepted header `typ` values (RFC 8725 §3.11), compared as media types: ASCII case-insensitive, with or
    /// without `application/`. Empty (default): `typ` is not checked. See ``requireAccessTokenProfile()``.
    public var requiredTypes: [String]
    /// Tokens larger than this are refused before any decoding (default 16 KiB); at least 1.
    public var maximumTokenSize: Int
    /// What to do with a token that has no `kid`.
    public var kidlessPolicy: KidlessPolicy
    /// Rules for importing keys (minimum RSA size, remote HMAC keys).
    public var keyPolicy: KeyPolicy
    /// How scopes are read from the claims.
    public var scopeExtractor: ScopeExtractor
    /// Seconds since 1970 now. Injected so that tests and the inspector can fix or move time.
    public var clock: @Sendable () -> Double

    /// Choosing the key for a token whose header has no `kid`.
    public enum KidlessPolicy: Sendable, Hashable {
        /// Use the key only when exactly one key fits the algorithm (default): never guess among several.
        case singleCompatibleKey
        /// Try the keys that fit the algorithm, at most `limit` of them, in set order.
        case tryCompatibleKeys(limit: Int)
    }

    public init(
        algorithms: Set<Algorithm> = Algorithm.asymmetric,
        issuers: [String] = [],
        audiences: [String] = [],
        leeway: Double = 30,
        requiredClaims: [String] = ["exp"],
        requiredTypes: [String] = [],
        maximumTokenSize: Int = DecodedToken.defaultMaximumSize,
        kidlessPolicy: KidlessPolicy = .singleCompatibleKey,
        keyPolicy: KeyPolicy = .default,
        scopeExtractor: ScopeExtractor = .standard,
        clock: @escaping @Sendable () -> Double = SystemClock.now
    ) {
        self.algorithms = algorithms
        self.issuers = issuers
        self.audiences = audiences
        self.leeway = leeway
        self.requiredClaims = requiredClaims
        self.requiredTypes = requiredTypes
        self.maximumTokenSize = maximumTokenSize
        self.kidlessPolicy = kidlessPolicy
        self.keyPolicy = keyPolicy
        self.scopeExtractor = scopeExtractor
        self.clock = clock
    }
}

extension VerifierConfiguration {
    /// Refuses a configuration no safe verification can use. ``Verifier`` and `JWKSVerifier` call it when
    /// they are built, and a verifier whose configuration was changed afterwards refuses every token with the
    /// same error rather than verifying under it.
    /// - Throws: `invalid_configuration` naming the setting: a `leeway` that is NaN, infinite or negative, a
    ///   `maximumTokenSize` under 1, no accepted algorithm, a `tryCompatibleKeys` limit under 1, an empty required type.
    public func validate() throws(LayabAuthError) {
        if let error = invalidity { throw error }
    }

    /// The error of ``validate()``, or nil: cheap enough for every verification.
    package var invalidity: LayabAuthError? {
        guard leeway.isFinite, leeway >= 0 else {
            return .invalidConfiguration("leeway", leeway, "it must be a finite number of seconds, 0 or more")
        }
        guard maximumTokenSize > 0 else {
            return .invalidConfiguration("maximumTokenSize", maximumTokenSize, "it must be at least 1 byte")
        }
        guard !algorithms.isEmpty else {
            return LayabAuthError(.invalidConfiguration, "algorithms is empty: no token could ever be accepted")
        }
        if requiredTypes.contains(where: \.isEmpty) {
            return LayabAuthError(.invalidConfiguration, "requiredTypes holds an empty type: name each accepted typ, or leave the list empty not to check typ")
        }
        if case let .tryCompatibleKeys(limit) = kidlessPolicy, limit < 1 {
            return .invalidConfiguration("kidlessPolicy's tryCompatibleKeys limit", limit, "at least one key must be tried")
        }
        return nil
    }
}

/// The wall clock, the only place LayabAuth reads it.
public enum SystemClock {
    @Sendable public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
