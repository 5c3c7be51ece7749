/// Where the `jti` of every accepted DPoP proof is remembered until the proof would be too old anyway, so that a
/// proof is accepted once (RFC 9449 §11.1). One store per API; a store shared by every instance of an API behind
/// a load balancer (a database) refuses a proof replayed to another instance.
///
/// A store is keyed by the proof's `jti` together with the RFC 7638 thumbprint of the key that signed it: two
/// clients choosing the same `jti` do not collide.
public protocol DPoPReplayStore: Sendable {
    /// Records the use of a proof, unless it was recorded before and has not expired.
    /// - Parameters:
    ///   - jti: the proof's `jti`.
    ///   - keyThumbprint: the RFC 7638 thumbprint of the proof's `jwk`.
    ///   - expiresAt: seconds since 1970 after which the proof is too old to be accepted anyway (its `iat` plus
    ///     the accepted window): the record may be forgotten then.
    ///   - now: seconds since 1970.
    /// - Returns: true for the first use (the proof is accepted), false for a replay.
    /// - Throws: a `LayabAuthError` when the store cannot answer (a database that is down): the request is then
    ///   refused as unverifiable, never accepted.
    func firstUse(jti: String, keyThumbprint: String, expiresAt: Double, now: Double) async throws(LayabAuthError) -> Bool
}
