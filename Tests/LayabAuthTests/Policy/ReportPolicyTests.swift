import LayabAuth
import Testing

@Suite("Policy: the verification report lists every failed check")
struct ReportPolicyTests {
    static func configuration(_ configuration: inout VerifierConfiguration) {
        configuration.issuers = ["https://issuer.example"]
        configuration.audiences = ["api"]
        configuration.requiredClaims = ["exp", "sub"]
    }

    @Test("one token failing every claim check and the scopes: each failure is reported")
    func everyFailureAtOnce() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup(Self.configuration)
        let now = PolicyFixtures.nowSeconds
        let token = try key.sign(claims: [
            "exp": .integer(now - 3600), "nbf": .integer(now + 3600), "iat": .integer(now + 3600),
            "iss": "https://evil.example", "aud": "other", "scope": "read",
        ])
        let report = verifier.report(token, requiring: .all("read", "admin"))
        #expect(report.signature.word == "VALID")
        #expect(report.signature.key?.kid == "ec-1")
        #expect(report.errors.map(\.code) == [.expired, .notYetValid, .issuedInFuture, .issuerMismatch, .audienceMismatch, .missingClaim, .insufficientScope])
        #expect(report.checks.map(\.claim) == ["exp", "nbf", "iat", "iss", "aud", "sub"])
        #expect(report.scopes?.missing == ["admin"])
        #expect(!report.isValid)
        #expect(report.decoded?.claims?.issuer == "https://evil.example")
        // verify stops at the first of them.
        expectFailure(.expired) { try verifier.verify(token, requiring: .all("read", "admin")) }
    }

    @Test("a valid token reports VALID and no errors, with passed and skipped checks")
    func validReport() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup(Self.configuration)
        let token = try key.sign(claims: PolicyFixtures.validClaims(["iss": "https://issuer.example", "aud": ["api"], "scope": "read"]))
        let report = verifier.report(token, requiring: .all("read"))
        #expect(report.isValid)
        #expect(report.errors.isEmpty)
        #expect(report.signature.word == "VALID")
        let outcomes = Dictionary(uniqueKeysWithValues: report.checks.map { ($0.claim, $0.outcome) })
        if case .skipped = outcomes["nbf"] {} else { Issue.record("nbf should be skipped: \(String(describing: outcomes["nbf"]))") }
        if case .passed = outcomes["iss"] {} else { Issue.record("iss should pass: \(String(describing: outcomes["iss"]))") }
        #expect(report.checks.allSatisfy { $0.passed })
    }

    @Test("a wrong signature is INVALID, and the claims are still checked")
    func invalidSignature() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup(Self.configuration)
        let token = try key.sign(claims: ["exp": .integer(PolicyFixtures.nowSeconds - 100), "sub": "a", "iss": "https://issuer.example", "aud": "api"])
        let forged = PolicyFixtures.resigned(token, with: [UInt8](repeating: 0x11, count: 64))
        let report = verifier.report(forged)
        #expect(report.signature.word == "INVALID")
        #expect(report.errors.map(\.code) == [.badSignature, .expired])
        #expect(report.signature.key == nil)
    }

    static let signatureWords: [(String, String)] = [
        ("kid unknown", "UNVERIFIED"),
        ("no keys", "UNVERIFIED"),
        ("algorithm not allowed", "INVALID"),
        ("unknown algorithm", "INVALID"),
        ("key of another type", "INVALID"),
        ("psychic signature", "INVALID"),
    ]

    @Test("the signature status word", arguments: signatureWords)
    func signatureWord(_ situation: String, _ word: String) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let claims = PolicyFixtures.validClaims()
        let report: VerificationReport
        switch situation {
        case "kid unknown": report = verifier.report(try key.sign(claims: claims, extraHeader: ["kid": "gone"]))
        case "no keys": report = try Verifier(keys: .empty, configuration: verifier.configuration).report(try key.sign(claims: claims))
        case "algorithm not allowed":
            report = PolicyFixtures.verifier([key.verificationKey], algorithms: [.rs256]).report(try key.sign(claims: claims))
        case "unknown algorithm": report = verifier.report(try key.sign(claims: claims, extraHeader: ["alg": "ES999"]))
        case "key of another type":
            let rsa = try PolicyFixtures.rs256.get()
            report = PolicyFixtures.verifier([rsa.verificationKey]).report(try key.sign(claims: claims, extraHeader: ["kid": "rsa-1"]))
        default: report = verifier.report(PolicyFixtures.resigned(try key.sign(claims: claims), with: [UInt8](repeating: 0, count: 64)))
        }
        #expect(report.signature.word == word)
        #expect(report.errors.count == 1)
        #expect(report.checks.count == 3 + 2, "the claim checks still ran")
    }

    @Test("an undecodable token reports only why it could not be decoded")
    func undecodable() throws {
        let (_, verifier) = try PolicyFixtures.ecSetup()
        for token in ["a.b", String(repeating: "a", count: 20_000), "a.b.c.d.e"] {
            let report = verifier.report(token)
            #expect(report.decoded == nil)
            #expect(report.errors.count == 1)
            #expect(report.signature.word == "INVALID")
            #expect(report.checks.isEmpty)
        }
    }

    @Test("a token refused before any key is looked at is INVALID for that reason, and its claims are still checked")
    func refusedBeforeKeys() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup(Self.configuration)
        let now = PolicyFixtures.nowSeconds
        let claims = JSONValue.object(["exp": .integer(now - 60), "sub": "mallory", "iss": "https://issuer.example", "aud": "api"]).jsonText
        let none = PolicyFixtures.unsigned(header: #"{"alg":"none"}"#, payload: claims, signature: [])
        let critical = try PolicyFixtures.forge(header: #"{"alg":"ES256","kid":"ec-1","crit":["exp"],"exp":1}"#, payload: claims, signedBy: key)
        for (token, code) in [(none, LayabAuthError.Code.unsupportedAlgorithm), (critical, .unsupportedCriticalHeader)] {
            let report = verifier.report(token)
            #expect(report.signature.word == "INVALID")
            #expect(report.errors.map(\.code) == [code, .expired], "\(report.errors)")
            #expect(report.decoded?.claims?["sub"] == "mallory")
            #expect(report.decoded?.refusal?.code == code)
            // verify refuses it with the same first error, and decode (strict) throws it.
            expectFailure(code) { try verifier.verify(token) }
            expectFailure(code) { try DecodedToken.decode(token) }
            #expect(try Verifier.decodeUnverified(token).refusal?.code == code)
        }
        // A token cut before its signature segment is shown since issue 14, refused as malformed; other
        // segment counts are still thrown, as decode throws them.
        let cut = try Verifier.decodeUnverified("eyJhbGciOiJub25lIn0.e30")
        #expect(cut.refusal?.code == .malformed && cut.header.algorithmName == "none")
        expectFailure(.malformed) { try Verifier.decodeUnverified("eyJhbGciOiJub25lIn0.e30.c2ln.c2ln") }
    }

    @Test("a payload that is not a claims set is reported with a VALID signature")
    func notAClaimsSet() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try PolicyFixtures.forge(header: "{\"alg\":\"ES256\"}", payload: "[1,2]", signedBy: key)
        let report = verifier.report(token)
        #expect(report.signature.word == "VALID")
        #expect(report.decodingError?.code == .malformed)
        #expect(report.errors.map(\.code) == [.malformed])
        #expect(report.checks.isEmpty)
    }

    static func agreementCases() throws -> [(String, String)] {
        let key = try PolicyFixtures.es256.get()
        let attacker = try PolicyFixtures.attacker.get()
        let now = PolicyFixtures.nowSeconds
        let good: JSONObject = ["exp": .integer(now + 60), "sub": "a", "iss": "https://issuer.example", "aud": "api", "scope": "read"]
        func with(_ name: String, _ value: JSONValue?) -> JSONObject {
            var claims = good
            claims[name] = value
            return claims
        }
        return [
            ("valid", try key.sign(claims: good)),
            ("expired", try key.sign(claims: with("exp", .integer(now - 100)))),
            ("expired and wrong issuer", try key.sign(claims: with("iss", "x").merging(["exp": .integer(now - 100)]))),
            ("wrong audience", try key.sign(claims: with("aud", ["web"]))),
            ("missing sub", try key.sign(claims: with("sub", nil))),
            ("missing scope", try key.sign(claims: with("scope", "write"))),
            ("attacker key, expired", try attacker.sign(claims: with("exp", .integer(now - 100)), extraHeader: ["kid": "ec-1"])),
            ("unknown kid, expired", try attacker.sign(claims: with("exp", .integer(now - 100)))),
            ("alg none", "eyJhbGciOiJub25lIn0." + PolicyFixtures.segment(JSONValue.object(good).jsonText) + "."),
            ("bad iat type", try key.sign(claims: with("iat", "yesterday"))),
            ("payload not JSON", try PolicyFixtures.forge(header: "{\"alg\":\"ES256\"}", payload: "not json", signedBy: key)),
        ]
    }

    @Test("report and verify agree: verify fails with the report's first error, or both accept")
    func agreement() throws {
        let (_, verifier) = try PolicyFixtures.ecSetup(Self.configuration)
        for (name, token) in try Self.agreementCases() {
            let report = verifier.report(token, requiring: .all("read"))
            do {
                _ = try verifier.verify(token, requiring: .all("read"))
                #expect(report.isValid, "\(name): verify accepted, the report lists \(report.errors.map(\.code.rawValue))")
            } catch {
                #expect(report.errors.first == error, "\(name): verify failed with \(error.code.rawValue), the report lists \(report.errors.map(\.code.rawValue))")
            }
        }
    }
}

extension JSONObject {
    /// This object with `other`'s members set over its own.
    func merging(_ other: JSONObject) -> JSONObject {
        var result = self
        for member in other { result[member.name] = member.value }
        return result
    }
}
