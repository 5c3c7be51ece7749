import Foundation
import LayabAuth

extension TestIssuer {
    /// Mints an access token bound to `key` by DPoP: its `cnf.jkt` is the key's RFC 7638 thumbprint (RFC 9449 §6.1).
    public func dpopBoundToken(to key: SigningKey, claims: JSONObject = [:], lifetime: Double = 3600,
                               now: Double = SystemClock.now()) throws -> String
    {
        var claims = claims
        claims["cnf"] = .object(["jkt": .string(key.verificationKey.thumbprint)])
        return try token(claims: claims, lifetime: lifetime, now: now)
    }

    /// Mints an access token bound to a client certificate: `cnf.x5t#S256` is `thumbprint`, the base64url
    /// SHA-256 of the certificate's DER (RFC 8705 §3.1).
    public func certificateBoundToken(thumbprint: String, claims: JSONObject = [:], lifetime: Double = 3600,
                                      now: Double = SystemClock.now()) throws -> String
    {
        var claims = claims
        claims["cnf"] = .object(["x5t#S256": .string(thumbprint)])
        return try token(claims: claims, lifetime: lifetime, now: now)
    }

    /// A new key for DPoP proofs (ES256 by default), without a `kid`.
    public static func dpopKey(_ algorithm: Algorithm = .es256) throws -> SigningKey {
        try SigningKey.generate(algorithm)
    }

    /// Makes a DPoP proof (RFC 9449 §4.2) as a client does: `typ: dpop+jwt`, the public `jwk` of `key`, and
    /// the claims `jti` (random unless given), `htm`, `htu`, `iat`, `ath` (when `accessToken` is given) and
    /// `nonce`. `claims` and `header` are added last and may override any member, for negative tests.
    public static func dpopProof(method: String, url: String, accessToken: String? = nil, nonce: String? = nil, key: SigningKey,
                                 jti: String = UUID().uuidString, now: Double = SystemClock.now(), claims: JSONObject = [:],
                                 header: JSONObject = [:]) throws -> String
    {
        try DPoPProof.make(method: method, url: url, accessToken: accessToken, nonce: nonce, key: key, jti: jti, now: now, claims: claims,
                           header: header)
    }
}
