/// Rules applied when keys are imported.
public struct KeyPolicy: Sendable, Hashable {
    /// RSA keys with a smaller modulus are refused (RFC 7518 §3.3 requires 2048).
    public var minimumRSABits: Int
    /// Whether `oct` keys from a remote JWKS may verify HS* tokens. Off: anyone who can read a public
    /// key set could otherwise forge tokens.
    public var allowRemoteHMACKeys: Bool

    public init(minimumRSABits: Int = 2048, allowRemoteHMACKeys: Bool = false) {
        self.minimumRSABits = minimumRSABits
        self.allowRemoteHMACKeys = allowRemoteHMACKeys
    }

    public static let `default` = KeyPolicy()
}

/// A key of a JWK Set that could not be used, and why.
public struct SkippedKey: Sendable, Hashable, CustomStringConvertible {
    /// Position in the set's `keys` array.
    public let index: Int
    public let kid: String?
    public let keyType: String?
    public let reason: String

    public var description: String {
        "key #\(index)\(kid.map { " (kid \"\($0)\")" } ?? ""): \(reason)"
    }
}
