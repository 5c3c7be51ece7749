import Foundation
import LayabAuth
import LayabAuthTesting
import Testing

@Suite("Binding: DPoP proofs and the attacks of RFC 9449 §11")
struct DPoPProofTests {
    @Test("a DPoP-bound token with a fitting proof is accepted and exposes its binding")
    func accepted() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let verified = try await fixture.verify(token, proofs: [try fixture.proof(for: token)])
        #expect(verified.binding == .dpop(jkt: fixture.clientKey.verificationKey.thumbprint))
    }

    @Test("every accepted asymmetric algorithm signs a proof that verifies", arguments: [Algorithm.es256, .es384, .rs256, .ps256, .eddsa])
    func algorithms(_ algorithm: Algorithm) async throws {
        let fixture = try DPoPFixture()
        let key = try TestIssuer.dpopKey(algorithm)
        let token = try fixture.issuer.dpopBoundToken(to: key, now: fixture.now)
        let verified = try await fixture.verify(token, proofs: [try fixture.proof(for: token, key: key)])
        #expect(verified.binding == .dpop(jkt: key.verificationKey.thumbprint))
    }

    @Test("a replayed proof is refused (§11.1)")
    func replay() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let proof = try fixture.proof(for: token)
        let policy = SenderConstraintPolicy()
        _ = try await fixture.verify(token, proofs: [proof], policy: policy)
        let error = await fixture.refusal(token, proofs: [proof], policy: policy)
        #expect(error?.code == .invalidDPoPProof)
        #expect(error?.message.contains("used before") == true)
        // Another jti from the same key is a new proof.
        _ = try await fixture.verify(token, proofs: [try fixture.proof(for: token, jti: "jti-2")], policy: policy)
    }

    @Test("a refused request does not use up its proof: replay is checked last")
    func replayLast() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let proof = try fixture.proof(for: token)
        let policy = SenderConstraintPolicy()
        let wrongMethod = await fixture.refusal(token, proofs: [proof], method: "POST", policy: policy)
        #expect(wrongMethod?.code == .invalidDPoPProof)
        _ = try await fixture.verify(token, proofs: [proof], policy: policy)
    }

    @Test("a proof for another method or URI is refused (§11.1)", arguments: [
        ("POST", DPoPFixture.url), ("get", DPoPFixture.url), ("GET", "https://api.example.com/accounts"),
        ("GET", "https://evil.example.com/orders"), ("GET", "http://api.example.com/orders"), ("GET", "https://api.example.com:8443/orders"),
    ])
    func otherRequest(_ method: String, _ uri: String) async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let error = await fixture.refusal(token, proofs: [try fixture.proof(for: token)], method: method, uri: uri)
        #expect(error?.code == .invalidDPoPProof)
    }

    @Test("a stolen token used with the thief's own key is refused (§11.9)")
    func stolenToken() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let thief = try TestIssuer.dpopKey()
        let error = await fixture.refusal(token, proofs: [try fixture.proof(for: token, key: thief)])
        #expect(error?.code == .bindingMismatch)
        #expect(error?.oauthError == "invalid_token")
        #expect(error?.message.contains("cnf.jkt") == true)
    }

    @Test("a DPoP-bound token downgraded to Bearer is refused (§7.1), with or without a proof")
    func downgrade() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        for proofs in [[], [try fixture.proof(for: token)]] {
            let error = await fixture.refusal(token, scheme: .bearer, proofs: proofs)
            #expect(error?.code == .bindingMismatch)
            #expect(error?.challenge().headers.first?.value.hasPrefix("DPoP error=\"invalid_token\"") == true)
        }
    }

    @Test("an unbound token sent with the DPoP scheme is refused")
    func unboundUnderDPoP() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.issuer.token(now: fixture.now)
        let error = await fixture.refusal(token, proofs: [try fixture.proof(for: token)])
        #expect(error?.code == .bindingMismatch)
    }

    @Test("a proof older than the window, or from the future beyond the skew, is refused", arguments: [61.0, 600, -6, -120])
    func issuedAtOutside(_ age: Double) async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let error = await fixture.refusal(token, proofs: [try fixture.proof(for: token, age: age)])
        #expect(error?.code == .invalidDPoPProof)
        #expect(error?.message.contains("iat") == true)
    }

    @Test("a proof within the window is accepted", arguments: [59.0, 0, -4])
    func issuedAtInside(_ age: Double) async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        _ = try await fixture.verify(token, proofs: [try fixture.proof(for: token, age: age)])
    }

    @Test("a proof whose jwk carries a private member is refused (§4.3)", arguments: ["d", "p", "k"])
    func privateKeyInHeader(_ member: String) async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        var jwk = JSONObject()
        for entry in fixture.clientKey.verificationKey.publicJWK where entry.name != "kid" && entry.name != "alg" { jwk[entry.name] = entry.value }
        jwk[member] = "AAAA"
        let error = await fixture.refusal(token, proofs: [try fixture.proof(for: token, header: ["jwk": .object(jwk)])])
        #expect(error?.code == .invalidDPoPProof)
        #expect(error?.message.contains("private member \"\(member)\"") == true)
    }

    @Test("a proof with alg none or an HMAC alg is refused")
    func noneAndHMAC() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let honest = try fixture.proof(for: token)
        let parts = honest.split(separator: ".").map(String.init)
        var header = try JSONParser.parse(Base64URL.decode(parts[0])).objectValue ?? [:]
        header["alg"] = "none"
        let none = Base64URL.encode(Array(JSONValue.object(header).jsonText.utf8)) + "." + parts[1] + "."
        #expect(await fixture.refusal(token, proofs: [none])?.code == .invalidDPoPProof)

        let secret = [UInt8](repeating: 7, count: 32)
        let hmac = try SigningKey(hmacSecret: secret, algorithm: .hs256)
        header["alg"] = "HS256"
        let hmacProof = try hmac.sign(header: header, payload: Base64URL.decode(parts[1]))
        let error = await fixture.refusal(token, proofs: [hmacProof])
        #expect(error?.code == .invalidDPoPProof)
        #expect(error?.message.contains("HS256") == true)
    }

    @Test("a proof with a missing or wrong ath is refused")
    func accessTokenHash() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let missing = await fixture.refusal(token, proofs: [try fixture.proof(for: nil)])
        #expect(missing?.message.contains("no ath") == true)
        let other = try fixture.boundToken(claims: ["sub": "other"])
        let wrong = await fixture.refusal(token, proofs: [try fixture.proof(for: other)])
        #expect(wrong?.code == .invalidDPoPProof)
        #expect(wrong?.message.contains("ath") == true)
    }

    @Test("a proof with another typ is refused", arguments: ["JWT", "DPOP+JWT", "at+jwt", "application/dpop+jwt"])
    func wrongType(_ typ: String) async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let error = await fixture.refusal(token, proofs: [try fixture.proof(for: token, header: ["typ": .string(typ)])])
        #expect(error?.code == .invalidDPoPProof)
        #expect(error?.message.contains("typ") == true)
    }

    @Test("no DPoP header, or two, under the DPoP scheme is refused")
    func headerCount() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        #expect(await fixture.refusal(token, proofs: [])?.code == .invalidDPoPProof)
        let two = await fixture.refusal(token, proofs: [try fixture.proof(for: token), try fixture.proof(for: token, jti: "jti-2")])
        #expect(two?.code == .invalidDPoPProof)
        #expect(two?.message.contains("2 DPoP headers") == true)
    }

    @Test("a proof with a tampered signature, a jwk of another key, or a bad jti is refused")
    func malformed() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let parts = try fixture.proof(for: token).split(separator: ".").map(String.init)
        var signature = try Base64URL.decode(parts[2])
        signature[4] ^= 1
        let tampered = parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)
        #expect(await fixture.refusal(token, proofs: [tampered])?.code == .invalidDPoPProof)
        let other = try TestIssuer.dpopKey().verificationKey.publicJWK
        #expect(await fixture.refusal(token, proofs: [try fixture.proof(for: token, header: ["jwk": .object(other)])])?.code == .invalidDPoPProof)
        #expect(await fixture.refusal(token, proofs: [try fixture.proof(for: token, claims: ["jti": .integer(1)])])?.code == .invalidDPoPProof)
        #expect(await fixture.refusal(token, proofs: [try fixture.proof(for: token, jti: String(repeating: "j", count: 257))])?.code == .invalidDPoPProof)
        #expect(await fixture.refusal(token, proofs: [try fixture.proof(for: token, claims: ["htm": .null])])?.code == .invalidDPoPProof)
        #expect(await fixture.refusal(token, proofs: ["not.a.proof"])?.code == .invalidDPoPProof)
        let large = try fixture.proof(for: token, claims: ["pad": .string(String(repeating: "x", count: 9000))])
        #expect(await fixture.refusal(token, proofs: [large])?.message.contains("limit") == true)
    }

    @Test("a proof algorithm outside the policy is refused")
    func algorithmNotAllowed() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let policy = SenderConstraintPolicy(proofAlgorithms: [.eddsa])
        let error = await fixture.refusal(token, proofs: [try fixture.proof(for: token)], policy: policy)
        #expect(error?.code == .invalidDPoPProof)
        #expect(error?.challenge().headers.first?.value.contains("algs=\"EdDSA\"") == true)
    }
}

@Suite("Binding: DPoPProof.verify as a library function")
struct DPoPProofFunctionTests {
    @Test("verify reads the claims of a good proof and refuses a badly signed one")
    func verify() throws {
        let key = try TestIssuer.dpopKey()
        let policy = SenderConstraintPolicy()
        let proof = try TestIssuer.dpopProof(method: "POST", url: "https://api.example.com/pay", accessToken: "abc", nonce: "n1", key: key, jti: "j1")
        let verified = try DPoPProof.verify(proof, policy: policy)
        #expect(verified.method == "POST")
        #expect(verified.uri == "https://api.example.com/pay")
        #expect(verified.jti == "j1")
        #expect(verified.nonce == "n1")
        #expect(verified.accessTokenHash == DPoPProof.accessTokenHash(of: "abc"))
        #expect(verified.key.thumbprint == key.verificationKey.thumbprint)
        let other = try TestIssuer.dpopKey()
        let forged = try TestIssuer.dpopProof(method: "POST", url: "https://api.example.com/pay", key: other,
                                              header: ["jwk": .object(key.verificationKey.publicJWK)])
        #expect(throws: LayabAuthError.self) { try DPoPProof.verify(forged, policy: policy) }
    }

    @Test("ath is base64url(SHA-256(token)) (RFC 9449 §4.2 example)")
    func athVector() {
        // RFC 9449 §7.1: the access token "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU" has ath "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo".
        #expect(DPoPProof.accessTokenHash(of: "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU") == "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo")
    }

    @Test("an unusable policy is refused by verifyBinding as invalid_configuration")
    func invalidPolicy() async throws {
        let fixture = try DPoPFixture()
        let token = try fixture.boundToken()
        let error = await fixture.refusal(token, proofs: [try fixture.proof(for: token)], policy: SenderConstraintPolicy(maximumProofAge: .nan))
        #expect(error?.code == .invalidConfiguration)
    }
}
