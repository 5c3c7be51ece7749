/// What a server that accepts DPoP adds to its refusals (RFC 9449 §7): which scheme carries the error, whether
/// the Bearer scheme is offered too, the proof algorithms it accepts, and a nonce to use.
public struct DPoPChallenge: Sendable, Hashable {
    /// The scheme whose challenge carries the `error` attribute: `.dpop` when the request used DPoP or the
    /// token is DPoP-bound, else `.bearer`.
    public let errorScheme: TokenPresentation.Scheme
    /// Whether the server also accepts plain Bearer tokens: its challenge is then sent as well.
    public let offersBearer: Bool
    /// The `algs` attribute of the DPoP challenge: the proof algorithms the server accepts.
    public let algorithms: [String]
    /// The nonce the client must put in its next proof, sent as `DPoP-Nonce` (RFC 9449 §8); nil when none.
    public let nonce: String?

    public init(errorScheme: TokenPresentation.Scheme, offersBearer: Bool, algorithms: [String], nonce: String? = nil) {
        self.errorScheme = errorScheme
        self.offersBearer = offersBearer
        self.algorithms = algorithms
        self.nonce = nonce
    }
}

extension LayabAuthError {
    /// The same error, answered as a server that accepts DPoP answers (see ``DPoPChallenge``).
    public func challenging(_ dpop: DPoPChallenge) -> LayabAuthError {
        var error = self
        error.dpop = dpop
        return error
    }

    /// The response headers of a refusal under DPoP: one `WWW-Authenticate` field per offered scheme (RFC 9110
    /// §11.6.1 allows both forms; separate fields keep every client's parser on the safe side), the one carrying
    /// the error first, then `DPoP-Nonce` when the client must use a nonce.
    func dpopHeaders(_ dpop: DPoPChallenge, realm: String?, disclosure: Disclosure) -> [(name: String, value: String)] {
        let realmParameter = realm.map { "realm=\"\(Self.quotedSafe($0))\"" }
        let errorParameters = authParameters(realm: realm, disclosure: disclosure)
        var dpopParameters = dpop.errorScheme == .dpop ? errorParameters : realmParameter.map { [$0] } ?? []
        if !dpop.algorithms.isEmpty { dpopParameters.append("algs=\"\(Self.quotedSafe(dpop.algorithms.joined(separator: " ")))\"") }
        let dpopValue = "DPoP " + dpopParameters.joined(separator: ", ")
        var headers: [(name: String, value: String)] = []
        if dpop.errorScheme == .dpop {
            headers.append(("WWW-Authenticate", dpopValue))
            if dpop.offersBearer { headers.append(("WWW-Authenticate", realmParameter.map { "Bearer " + $0 } ?? "Bearer")) }
        } else {
            if dpop.offersBearer || !errorParameters.isEmpty { headers.append(("WWW-Authenticate", wwwAuthenticate(realm: realm, disclosure: disclosure))) }
            headers.append(("WWW-Authenticate", dpopValue))
        }
        if let nonce = dpop.nonce { headers.append(("DPoP-Nonce", Self.quotedSafe(nonce))) }
        return headers
    }
}
