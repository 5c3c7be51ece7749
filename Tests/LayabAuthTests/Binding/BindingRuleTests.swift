import LayabAuth
import LayabAuthTesting
import Testing

@Suite("Binding: certificate-bound tokens, sender-constraint requirement, htu normalisation, reports")
struct BindingRuleTests {
    static let thumbprint = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"

    @Test("a certificate-bound token is accepted only with the certificate it is bound to (RFC 8705 §3)")
    func certificate() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.issuer.certificateBoundToken(thumbprint: Self.thumbprint, now: fixture.now)
        let verified = try await fixture.verify(token, scheme: .bearer, proofs: [], certificate: Self.thumbprint)
        #expect(verified.binding == .certificate(x5tS256: Self.thumbprint))
        let none = await fixture.refusal(token, scheme: .bearer, proofs: [])
        #expect(none?.code == .bindingMismatch)
        #expect(none?.message.contains("without one") == true)
        let other = await fixture.refusal(token, scheme: .bearer, proofs: [], certificate: "A" + Self.thumbprint.dropFirst())
        #expect(other?.code == .bindingMismatch)
    }

    @Test("a route requiring sender-constrained tokens refuses a plain bearer token and accepts bound ones")
    func requiresSenderConstraint() async throws {
        let fixture = try DPoPFixture()
        let policy = SenderConstraintPolicy().requiringSenderConstraint()
        let plain = try fixture.issuer.token(now: fixture.now)
        let error = await fixture.refusal(plain, scheme: .bearer, proofs: [], policy: policy)
        #expect(error?.code == .bindingMismatch)
        // Bearer stays offered (certificate-bound tokens travel under it), DPoP beside it.
        let headers = error?.challenge().headers.filter { $0.name == "WWW-Authenticate" }.map(\.value) ?? []
        #expect(headers.count == 2)
        #expect(headers.first?.hasPrefix("Bearer error=\"invalid_token\"") == true)
        #expect(headers.last?.hasPrefix("DPoP algs=") == true)
        let plainAccepted = try await fixture.verify(plain, scheme: .bearer, proofs: [])
        #expect(plainAccepted.binding == nil)
        let bound = try fixture.boundToken()
        _ = try await fixture.verify(bound, proofs: [try fixture.proof(for: bound)], policy: policy)
        let certificateBound = try fixture.issuer.certificateBoundToken(thumbprint: Self.thumbprint, now: fixture.now)
        _ = try await fixture.verify(certificateBound, scheme: .bearer, proofs: [], certificate: Self.thumbprint, policy: policy)
    }

    @Test("the DPoP scheme is refused where the policy does not accept DPoP")
    func dpopNotAccepted() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let error = await fixture.refusal(token, proofs: [try fixture.proof(for: token)], policy: SenderConstraintPolicy(acceptsDPoP: false))
        #expect(error?.code == .bindingMismatch)
        #expect(error?.dpop == nil)
    }

    @Test("a cnf that is not an object, or a jkt that is not a string, is refused")
    func malformedConfirmation() async throws {
        let fixture = try DPoPFixture()
        for cnf: JSONValue in ["jkt", .object(["jkt": .integer(3)])] {
            let token = try fixture.issuer.token(claims: ["cnf": cnf], now: fixture.now)
            #expect(await fixture.refusal(token, scheme: .bearer, proofs: [])?.code == .invalidClaim)
        }
    }

    @Test("htu matches the request URI after normalisation", arguments: [
        ("https://api.example.com/orders", "https://api.example.com/orders?page=2#top"),
        ("HTTPS://API.Example.COM/orders", "https://api.example.com/orders"),
        ("https://api.example.com:443/orders", "https://api.example.com/orders"),
        ("http://api.example.com:80/orders", "http://api.example.com/orders"),
        ("https://api.example.com", "https://api.example.com/"),
        ("https://api.example.com/%7Eorders/a%2fb", "https://api.example.com/~orders/a%2Fb"),
        ("https://api.example.com/a/./b/../orders", "https://api.example.com/a/orders"),
        ("https://[::1]:8443/orders", "https://[::1]:8443/orders"),
        ("https://api.example.com/orders?x=1", "https://api.example.com/orders"),
    ])
    func uriMatches(_ htu: String, _ request: String) async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        _ = try await fixture.verify(token, proofs: [try fixture.proof(for: token, url: htu)], uri: request)
    }

    @Test("htu that differs after normalisation is refused", arguments: [
        ("https://api.example.com/Orders", "https://api.example.com/orders"),
        ("https://api.example.com/orders/", "https://api.example.com/orders"),
        ("https://api.example.com:8443/orders", "https://api.example.com/orders"),
        ("http://api.example.com:443/orders", "https://api.example.com/orders"),
        ("https://api.example.com/a%2Fb", "https://api.example.com/a/b"),
        ("https://user@api.example.com/orders", "https://api.example.com/orders"),
        ("/orders", "https://api.example.com/orders"),
        ("ftp://api.example.com/orders", "ftp://api.example.com/orders"),
        ("https://api.example.com/%zz", "https://api.example.com/%zz"),
    ])
    func uriDiffers(_ htu: String, _ request: String) async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let error = await fixture.refusal(token, proofs: [try fixture.proof(for: token, url: htu)], uri: request)
        #expect(error != nil)
    }

    @Test("a report lists every binding rule, failed ones included, and records no proof")
    func report() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let verified = try fixture.verifier.verify(token)
        let proof = try fixture.proof(for: token, method: "POST", age: 120)
        let presentation = TokenPresentation(scheme: .dpop, dpopProofs: [proof], method: "GET", uri: DPoPFixture.url)
        let policy = SenderConstraintPolicy()
        let checks = await policy.bindingChecks(of: verified, presentedAs: presentation, now: fixture.now)
        #expect(checks.map(\.claim) == ["scheme", "sender constraint", "cnf.x5t#S256", "DPoP proof", "cnf.jkt", "htm", "htu", "proof iat", "ath", "nonce", "jti replay"])
        #expect(checks.filter { !$0.passed }.map(\.claim) == ["htm", "proof iat"])
        // The report did not use the proof up: a fresh proof with the same jti is still accepted.
        _ = try await fixture.verify(token, proofs: [try fixture.proof(for: token)], policy: policy)
    }
}
