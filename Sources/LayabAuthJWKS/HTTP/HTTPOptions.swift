import LayabAuth

/// Options of every key retrieval. The defaults are documented values, chosen for identity providers
/// that answer in milliseconds and publish key sets of a few kilobytes.
public struct HTTPOptions: Sendable, Hashable {
    /// Seconds to establish the connection (default 5).
    public var connectTimeout: Double
    /// Seconds for the whole transfer, redirects included (default 10).
    public var totalTimeout: Double
    /// Largest accepted body, decompressed (default 1 MiB; at most ``largestBodyLimit``).
    public var maximumBodySize: Int
    /// Redirects followed at most (default 3). Once a chain reaches https, a redirect to http is never followed.
    public var maximumRedirects: Int
    /// A PEM file of CA certificates to trust instead of the system's (for private PKIs and tests).
    public var caBundlePath: String?
    /// TLS peer and host name verification; on by default. Turning it off accepts any certificate, so any
    /// machine in the path can hand out keys: for debugging only.
    public var verifyTLS: Bool
    public var userAgent: String

    public init(connectTimeout: Double = 5, totalTimeout: Double = 10, maximumBodySize: Int = 1 << 20, maximumRedirects: Int = 3,
                caBundlePath: String? = nil, verifyTLS: Bool = true, userAgent: String = "LayabAuth/\(LayabAuthVersion.current) (libcurl)")
    {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maximumBodySize = maximumBodySize
        self.maximumRedirects = maximumRedirects
        self.caBundlePath = caBundlePath
        self.verifyTLS = verifyTLS
        self.userAgent = userAgent
    }

    /// The largest ``maximumBodySize`` accepted: 1 GiB, far above any key set or discovery document.
    public static let largestBodyLimit = 1 << 30

    /// Refuses options no retrieval can honour. Key sources call it when they are built.
    /// - Throws: `invalid_configuration` naming the option: a timeout that is NaN, infinite or not above 0,
    ///   a body limit under 1 byte or over ``largestBodyLimit``, a negative redirect count.
    public func validate() throws(LayabAuthError) {
        for (name, value) in [("connectTimeout", connectTimeout), ("totalTimeout", totalTimeout)] where !(value.isFinite && value > 0) {
            throw .invalidConfiguration(name, value, "it must be a finite number of seconds above 0")
        }
        guard (1...Self.largestBodyLimit).contains(maximumBodySize) else {
            throw .invalidConfiguration("maximumBodySize", maximumBodySize, "it must be between 1 and \(Self.largestBodyLimit) bytes")
        }
        guard maximumRedirects >= 0 else { throw .invalidConfiguration("maximumRedirects", maximumRedirects, "it must be 0 or more") }
    }
}
