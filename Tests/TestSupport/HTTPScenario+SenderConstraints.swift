import Foundation
import LayabAuth
import LayabAuthTesting

extension HTTPScenario {
    /// The constraints of the ``App/senderConstrained`` app: DPoP at the public origin `https://api.example`
    /// (the app is reached on 127.0.0.1, as behind a TLS-terminating proxy), client certificates forwarded by
    /// nginx in `X-SSL-Client-Cert`.
    public static let senderConstraints = SenderConstraints(policy: SenderConstraintPolicy(), origin: "https://api.example",
                                                            clientCertificate: .header(.nginx("X-SSL-Client-Cert")))

    /// A client certificate made by `openssl` for these scenarios: the URL-encoded PEM nginx forwards, and the
    /// thumbprint `openssl x509 -outform DER | openssl dgst -sha256` gives (not our own computation).
    struct ForwardedCertificate {
        let header: String
        let thumbprint: String
        let otherThumbprint: String
    }

    static let forwardedCertificate: ForwardedCertificate? = {
        guard let authority = try? TestCertificateAuthority(), let client = try? authority.client("alice"), let other = try? authority.client("mallory"),
              let thumbprint = try? TestCertificateAuthority.opensslThumbprint(ofCertificateFile: client.certificatePath),
              let otherThumbprint = try? TestCertificateAuthority.opensslThumbprint(ofCertificateFile: other.certificatePath),
              let header = client.certificatePEM.addingPercentEncoding(withAllowedCharacters: .alphanumerics)
        else { return nil }
        return ForwardedCertificate(header: header, thumbprint: thumbprint, otherThumbprint: otherThumbprint)
    }()

    /// Issue 17: DPoP and certificate-bound tokens through each integration.
    static func senderConstrained(jsonContentType: String) -> [HTTPScenario] {
        let dpopChallenge = #"DPoP realm="api", algs=""#
        let certificate = forwardedCertificate
        return [
            HTTPScenario(
                "DPoP (RFC 9449): a bound token with its proof is accepted; a replayed proof, another key, another URI, no proof, or Bearer are refused",
                app: .senderConstrained, verifier: .jwks,
                steps: [
                    .exchange(HTTPExchange("DPoP token with a fresh proof", "/me", .dpop(["sub": "alice"]), status: 200, body: [.text("alice")])),
                    .exchange(HTTPExchange("the same proof again", "/me", .dpop(["sub": "alice"], proof: .replayed), status: 401,
                                           headers: [.hasPrefix(authenticate, #"DPoP realm="api", error="invalid_dpop_proof""#)],
                                           body: [.member("error", "invalid_dpop_proof"), .memberContains("error_description", "was used before")])),
                    .exchange(HTTPExchange("a proof signed by another key (a stolen token)", "/me", .dpop(["sub": "alice"], proof: .otherKey), status: 401,
                                           headers: [.contains(authenticate, "DPoP ")], body: [.member("error", "invalid_token")])),
                    .exchange(HTTPExchange("a proof for another URI", "/me", .dpop(["sub": "alice"], proof: .otherURI), status: 401,
                                           body: [.member("error", "invalid_dpop_proof"), .memberContains("error_description", "htu")])),
                    .exchange(HTTPExchange("no DPoP header", "/me", .dpop(["sub": "alice"], proof: .none), status: 401,
                                           body: [.member("error", "invalid_dpop_proof")])),
                    .exchange(HTTPExchange("a DPoP-bound token sent as Bearer", "/me", .dpop(["sub": "alice"], scheme: "Bearer", proof: .none), status: 401,
                                           headers: [.valuesHavePrefixes(authenticate, [#"DPoP realm="api", error="invalid_token""#, #"Bearer realm="api""#])],
                                           body: [.member("error", "invalid_token"), .memberContains("error_description", "DPoP")])),
                    // Both schemes are challenged where both are accepted (RFC 9449 §7.1).
                    .exchange(HTTPExchange("no credentials", "/me", status: 401,
                                           headers: [.valuesHavePrefixes(authenticate, [#"Bearer realm="api""#, dpopChallenge]),
                                                     .equals("Content-Type", jsonContentType)])),
                    .exchange(HTTPExchange("a plain bearer token where any token is enough", "/me", .token(["sub": "bob"]), status: 200, body: [.text("bob")])),
                    .exchange(HTTPExchange("a plain bearer token on a route requiring a binding", "/bound", .token(["sub": "bob"]), status: 401,
                                           headers: [.contains(authenticate, #"error="invalid_token""#)],
                                           body: [.memberContains("error_description", "sender-constrained")])),
                    .exchange(HTTPExchange("a DPoP token on that route", "/bound", .dpop(["sub": "alice"]), status: 200, body: [.text("alice")])),
                ]),
            HTTPScenario(
                "certificate-bound tokens (RFC 8705): the forwarded client certificate's thumbprint must equal cnf.x5t#S256",
                app: .senderConstrained, verifier: .jwks,
                steps: [
                    .exchange(HTTPExchange("the bound certificate", "/bound",
                                           .certificateBound(["sub": "carol"], thumbprint: certificate?.thumbprint ?? "", certificateHeader: certificate?.header),
                                           status: 200, body: [.text("carol")])),
                    .exchange(HTTPExchange("another client's certificate", "/me",
                                           .certificateBound(["sub": "carol"], thumbprint: certificate?.otherThumbprint ?? "", certificateHeader: certificate?.header),
                                           status: 401, body: [.member("error", "invalid_token"), .memberContains("error_description", "x5t#S256")])),
                    .exchange(HTTPExchange("no certificate", "/me", .certificateBound(["sub": "carol"], thumbprint: certificate?.thumbprint ?? "", certificateHeader: nil),
                                           status: 401, body: [.memberContains("error_description", "without one")])),
                    .exchange(HTTPExchange("a garbled certificate header", "/me",
                                           .certificateBound(["sub": "carol"], thumbprint: certificate?.thumbprint ?? "", certificateHeader: "not%20a%20certificate"),
                                           status: 400, body: [.member("error", "invalid_request")])),
                ]),
        ]
    }
}
