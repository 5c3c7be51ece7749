import Foundation

extension DPoPProof {
    /// Makes a DPoP proof (RFC 9449 §4.2) as a client does: header `typ: dpop+jwt`, `alg` of `key` and its
    /// public `jwk` (without `kid` and `alg`), claims `jti`, `htm`, `htu`, `iat`, `ath` (when `accessToken` is
    /// given) and `nonce`. What `layabauth dpop` prints and the test issuer's proofs are made of.
    ///
    /// Nothing is checked here (tests make refused proofs with it): a tool checks its input first with
    /// `requestError(method:url:key:)`.
    /// - Parameters:
    ///   - claims: members added last, which may override any claim (for negative tests).
    ///   - header: members added last to the header, likewise.
    /// - Throws: `signing_failed` when signing fails.
    package static func make(method: String, url: String, accessToken: String? = nil, nonce: String? = nil, key: SigningKey,
                             jti: String = UUID().uuidString.lowercased(), now: Double = SystemClock.now(),
                             claims: JSONObject = [:], header: JSONObject = [:]) throws(LayabAuthError) -> String
    {
        var jwk = JSONObject()
        for member in key.verificationKey.publicJWK where member.name != "kid" && member.name != "alg" { jwk[member.name] = member.value }
        var fullHeader: JSONObject = ["typ": "dpop+jwt", "alg": .string(key.algorithm.rawValue), "jwk": .object(jwk)]
        for member in header { fullHeader[member.name] = member.value }
        var body: JSONObject = ["jti": .string(jti), "htm": .string(method), "htu": .string(url), "iat": .integer(Int64(now))]
        if let accessToken { body["ath"] = .string(accessTokenHash(of: accessToken)) }
        if let nonce { body["nonce"] = .string(nonce) }
        for member in claims { body[member.name] = member.value }
        return try key.sign(header: fullHeader, payload: Array(JSONValue.object(body).jsonText.utf8))
    }

    /// Why a proof for `method` and `url` signed by `key` would be refused by every server, or nil: an empty
    /// method or one with whitespace, a URL that is not an absolute http(s) URI (the binding rule `htu`
    /// compares only those), an HMAC key (a proof's key is asymmetric, RFC 9449 §4.2).
    package static func requestError(method: String, url: String, key: SigningKey?) -> String? {
        if let key, key.algorithm.family == .hmac { return "a DPoP proof is signed with an asymmetric key, not an HMAC secret (\(key.algorithm.rawValue))" }
        if method.isEmpty || method.contains(where: { $0.isWhitespace }) {
            return "the method \"\(LayabAuthError.shown(method))\" is not an HTTP method (GET, POST, …)"
        }
        if DPoPTargetURI.normalised(url) == nil { return "the URL \"\(LayabAuthError.shown(url))\" is not an absolute http(s) URI" }
        return nil
    }
}
