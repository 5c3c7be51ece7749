import Foundation
import LayabAuth

extension WhatIf {
    /// A private key given for what-if signing (`--signing-key`): a PEM private key or a private JWK,
    /// its algorithm following from the key (RS256 for RSA, the curve's for EC, EdDSA). Its kid becomes a
    /// local one (``withLocalKid(_:)``): its own could name a provider key, which must never stand in for it.
    /// - Throws: ``WhatIfError`` saying why the text is not a usable private key (never the key itself).
    package static func signingKey(fromText text: String) throws(WhatIfError) -> SigningKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") {
            var jwk = try object(trimmed, what: "signing key")
            if jwk["keys"] != nil { throw WhatIfError("the signing key is a JWK Set: give one private JWK") }
            if jwk["kty"]?.stringValue == "oct" { throw WhatIfError("the signing key is an HMAC secret: what-if signing takes a private key (RSA, EC, OKP)") }
            guard jwk["d"] != nil else { throw WhatIfError("the signing key JWK has no \"d\": it is a public key, not a private one") }
            let algorithm = jwk["alg"]?.stringValue.flatMap(Algorithm.named) ?? defaultAlgorithm(kty: jwk["kty"]?.stringValue, curve: jwk["crv"]?.stringValue)
            jwk["kid"] = nil
            do { return try withLocalKid(SigningKey(jwk: jwk, algorithm: algorithm)) } catch { throw WhatIfError("unusable signing key: \(error.message)") }
        }
        guard trimmed.contains("PRIVATE KEY-----") else { throw WhatIfError("the signing key is neither a PEM private key nor a private JWK") }
        var reasons: [String] = []
        // The PEM does not say the algorithm: the first an algorithm accepts the key for.
        for algorithm: Algorithm in [.es256, .es384, .es512, .eddsa, .rs256] {
            do { return try withLocalKid(SigningKey(pem: trimmed, algorithm: algorithm)) } catch { reasons.append(error.message) }
        }
        throw WhatIfError("unusable signing key: \(reasons.last ?? "no algorithm accepts it")")
    }

    static func defaultAlgorithm(kty: String?, curve: String?) -> Algorithm? {
        switch (kty, curve) {
        case ("RSA", _): .rs256
        case ("EC", "P-384"): .es384
        case ("EC", "P-521"): .es512
        case ("EC", _): .es256
        case ("OKP", _): .eddsa
        default: nil
        }
    }
}
