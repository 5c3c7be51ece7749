import LayabAuth
import Testing

/// LayabAuth against the shared vectors: Wycheproof, RFC 7515 Appendix A, the JOSE cookbook (RFC 7520) and
/// RFC 8037. Every vector is a test case of its own; see docs/conformance.md for the counts and deviations.
@Suite("Conformance", .enabled(if: TestVectorFolder.isAvailable, TestVectorFolder.skipComment))
struct ConformanceTests {
    static let library = VectorLibrary.shared

    @Test("Wycheproof RSASSA-PKCS1-v1_5 (RS256, RS384, RS512)", arguments: library.vectors(.rsaPKCS1))
    func rsaPKCS1(_ vector: ConformanceVector) {
        expectConformance(vector, vector.evaluate())
    }

    @Test("Wycheproof RSASSA-PSS (PS256, PS384, PS512)", arguments: library.vectors(.rsaPSS))
    func rsaPSS(_ vector: ConformanceVector) {
        expectConformance(vector, vector.evaluate())
    }

    @Test("Wycheproof ECDSA in P1363 form (ES256, ES384, ES512, ES256K)", arguments: library.vectors(.ecdsa))
    func ecdsa(_ vector: ConformanceVector) {
        expectConformance(vector, vector.evaluate())
    }

    @Test("Wycheproof EdDSA (Ed25519, Ed448)", arguments: library.vectors(.eddsa))
    func eddsa(_ vector: ConformanceVector) {
        let outcome = vector.evaluate()
        expectConformance(vector, outcome)
        // RFC 9864's fully-specified names must give the same verdict as EdDSA.
        guard case let .signature(key, _, message, signature) = vector.check else { return }
        for algorithm in [Algorithm.ed25519, .ed448] {
            let specific = ConformanceVector.verifyPrimitive(key, algorithm: algorithm, message: message, signature: signature)
            let curveMatches = vector.file.contains(algorithm == .ed25519 ? "ed25519" : "ed448")
            if curveMatches {
                #expect(specific.accepted == outcome.accepted, "\(algorithm): \(specific), EdDSA: \(outcome)")
            } else {
                #expect(!specific.accepted, "\(algorithm) accepted a key of the other curve")
            }
        }
    }

    @Test("Wycheproof HMAC with full-length tags (HS256, HS384, HS512)", arguments: library.vectors(.hmac))
    func hmac(_ vector: ConformanceVector) {
        expectConformance(vector, vector.evaluate())
    }

    @Test("Wycheproof JSON Web Signature", arguments: library.vectors(.jsonWebSignature))
    func jsonWebSignature(_ vector: ConformanceVector) {
        expectConformance(vector, vector.evaluate())
    }

    @Test("Wycheproof JSON Web Key", arguments: library.vectors(.jsonWebKey))
    func jsonWebKey(_ vector: ConformanceVector) {
        expectConformance(vector, vector.evaluate())
    }

    @Test("Wycheproof JSON Web Crypto (JWS verified, JWE refused)", arguments: library.vectors(.jsonWebCrypto))
    func jsonWebCrypto(_ vector: ConformanceVector) {
        expectConformance(vector, vector.evaluate())
    }

    @Test("RFC 7515 Appendix A (A.1-A.3 before their 2011 expiry, A.4, A.5 alg none)", arguments: library.vectors(.rfc7515))
    func rfc7515(_ vector: ConformanceVector) {
        expectConformance(vector, vector.evaluate())
    }

    @Test("RFC 7515 A.1-A.3 are refused as expired today", arguments: library.vectors(.rfc7515).filter { vector in
        if case .jwt = vector.check { vector.result == .valid } else { false }
    })
    func rfc7515Expired(_ vector: ConformanceVector) throws {
        guard case let .jwt(token, keys, _) = vector.check else { return }
        let verifier = try Verifier(keys: try KeySet(jwksJSON: keys, origin: .configured),
                                configuration: VerifierConfiguration(algorithms: Set(Algorithm.allCases)))
        expectFailure(.expired) { try verifier.verify(token) }
    }

    @Test("JOSE cookbook (RFC 7520), RFC 8037 Ed25519 and RFC 7797 examples", arguments: library.vectors(.joseCookbook))
    func joseCookbook(_ vector: ConformanceVector) {
        expectConformance(vector, vector.evaluate())
    }

    @Test("A Wycheproof key imports as the same key from its JWK, DER and PEM", arguments: library.keyEncodings)
    func keyEncodingsAgree(_ group: KeyEncodingCase) {
        let imports: [(String, Result<VerificationKey, LayabAuthError>)] = [
            ("DER", Result { () throws(LayabAuthError) in try VerificationKey(subjectPublicKeyInfo: group.der) }),
            ("PEM", Result { () throws(LayabAuthError) in try VerificationKey(pem: group.pem) }),
        ] + (group.jwk.map { jwk in [("JWK", Result { () throws(LayabAuthError) in try VerificationKey(jwkJSON: jwk) })] } ?? [])
        // Each encoding gives the same thumbprint, or all are refused with the same code (e = 3 groups).
        let verdicts = imports.map { name, result in
            switch result {
            case let .success(key): (name, "thumbprint \(key.thumbprint)")
            case let .failure(error): (name, error.code.rawValue)
            }
        }
        #expect(Set(verdicts.map(\.1)).count == 1, "the encodings disagree: \(verdicts)")
    }

    @Test("RFC 7517 and cookbook key documents load as specified", arguments: library.keyDocuments)
    func keyDocuments(_ document: KeyDocumentCase) throws {
        let keySet = try KeySet(jwksJSON: document.text, origin: document.origin)
        #expect(keySet.keys.map { $0.kid ?? "-" } == document.loaded, "skipped: \(keySet.skipped.map(\.description))")
        #expect(keySet.skipped.count == document.skipped.count, "skipped: \(keySet.skipped.map(\.description))")
        for (skipped, words) in zip(keySet.skipped, document.skipped) {
            #expect(skipped.reason.contains(words), "\(skipped) should mention \"\(words)\"")
        }
    }
}

/// Always runs: fails when the vectors are unusable, and under CI when they are missing.
@Suite("Conformance vectors")
struct ConformanceVectorPresenceTests {
    @Test("The shared test vectors are present and readable")
    func vectorsArePresent() {
        guard TestVectorFolder.isAvailable else {
            if TestVectorFolder.isCI {
                Issue.record("CI=true requires the test vectors: \(TestVectorFolder.skipComment)")
            } else {
                withKnownIssue("the conformance suite did not run") { Issue.record(TestVectorFolder.skipComment) }
            }
            return
        }
        let library = VectorLibrary.shared
        #expect(library.problems.isEmpty, "\(library.problems.joined(separator: "\n"))")
        #expect(!library.vectors.isEmpty)
    }
}
