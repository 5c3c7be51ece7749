/// Registered (RFC 7519) and OpenID Connect claim names, in words.
package enum ClaimNames {
    package static let words: [String: String] = [
        "iss": "Issuer", "sub": "Subject", "aud": "Audience", "exp": "Expires", "nbf": "Not before", "iat": "Issued at",
        "jti": "JWT ID", "scope": "Scopes", "scp": "Scopes", "scopes": "Scopes", "roles": "Roles", "azp": "Authorized party",
        "client_id": "Client", "nonce": "Nonce", "auth_time": "Authenticated at", "acr": "Authentication context",
        "amr": "Authentication methods", "sid": "Session", "name": "Name", "email": "E-mail", "email_verified": "E-mail verified",
        "preferred_username": "Username", "given_name": "Given name", "family_name": "Family name", "updated_at": "Updated at",
        "at_hash": "Access token hash", "c_hash": "Code hash", "tid": "Tenant", "cnf": "Confirmation key",
        // OpenID Connect Core §5.1, standard claims.
        "middle_name": "Middle name", "nickname": "Nickname", "profile": "Profile page", "picture": "Picture",
        "website": "Website", "gender": "Gender", "birthdate": "Birthdate", "zoneinfo": "Time zone", "locale": "Locale",
        "phone_number": "Phone number", "phone_number_verified": "Phone number verified", "address": "Postal address",
        // RFC 8693 §4 and RFC 9068 §2.2.
        "act": "Actor", "may_act": "May act for", "groups": "Groups", "entitlements": "Entitlements",
    ]

    /// Claims whose value is a NumericDate.
    package static let timestamps: Set<String> = ["exp", "nbf", "iat", "auth_time", "updated_at"]

    package static let headerWords: [String: String] = [
        "alg": "Algorithm", "kid": "Key ID", "typ": "Type", "cty": "Content type", "crit": "Critical", "jku": "JWK Set URL (ignored)",
        "jwk": "Embedded key (ignored)", "x5u": "X.509 URL (ignored)", "x5c": "X.509 chain (ignored)", "x5t": "X.509 thumbprint",
        "x5t#S256": "X.509 SHA-256 thumbprint", "b64": "Base64url payload",
        // RFC 7516 §4.1 and RFC 7518 §4.6, §4.7, §4.8: a JWE's protected header.
        "enc": "Content encryption", "zip": "Compression", "epk": "Ephemeral key", "apu": "Agreement party U",
        "apv": "Agreement party V", "iv": "Key wrap IV", "tag": "Key wrap tag", "p2s": "PBES2 salt", "p2c": "PBES2 count",
    ]
}
