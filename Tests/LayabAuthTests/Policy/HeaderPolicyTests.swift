import LayabAuth
import Testing

@Suite("Policy: alg, crit, b64 and embedded keys in the header")
struct HeaderPolicyTests {
    static let payload = "{\"exp\":\(PolicyFixtures.nowSeconds + 300)}"

    static let badAlgMembers: [Vector<String>] = [
        Vector("alg missing", "{\"typ\":\"JWT\"}", .malformed),
        Vector("alg a number", "{\"alg\":256}", .malformed),
        Vector("alg null", "{\"alg\":null}", .malformed),
        Vector("alg an array", "{\"alg\":[\"ES256\"]}", .malformed),
        Vector("alg an object", "{\"alg\":{\"name\":\"ES256\"}}", .malformed),
        Vector("alg a boolean", "{\"alg\":true}", .malformed),
        Vector("kid a number", "{\"alg\":\"ES256\",\"kid\":1}", .malformed),
    ]

    @Test("alg is required and must be a string", arguments: badAlgMembers)
    func algMember(_ vector: Vector<String>) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try PolicyFixtures.forge(header: vector.input, payload: Self.payload, signedBy: key)
        expectFailure(vector.code) { try verifier.verify(token) }
    }

    struct NoneCase: Sendable, CustomTestStringConvertible {
        let spelling: String
        let signature: String
        var testDescription: String { "alg \"\(spelling)\" \(signature.isEmpty ? "without" : "with a") signature" }
    }

    static let noneCases: [NoneCase] = ["none", "None", "NONE", "nOnE", "noNE"].flatMap { spelling in
        [NoneCase(spelling: spelling, signature: ""), NoneCase(spelling: spelling, signature: PolicyFixtures.segment(Array(repeating: 1, count: 32)))]
    }

    @Test("an unsecured JWS is never accepted", arguments: noneCases)
    func algNone(_ vector: NoneCase) throws {
        let (_, verifier) = try PolicyFixtures.ecSetup { $0.algorithms = Set(Algorithm.allCases) }
        let hmac = try VerificationKey(hmacSecret: Array(repeating: 9, count: 64))
        let everything = try Verifier(keys: verifier.keys.merging(KeySet(keys: [hmac])), configuration: verifier.configuration)
        let token = PolicyFixtures.segment("{\"alg\":\"\(vector.spelling)\",\"typ\":\"JWT\"}") + "." + PolicyFixtures.segment(Self.payload) + "." + vector.signature
        let error = expectFailure(.unsupportedAlgorithm) { try everything.verify(token) }
        #expect(error?.message.contains("\"\(vector.spelling)\"") == true)
        expectFailure(.unsupportedAlgorithm) { try DecodedToken.decode(token) }
        #expect(everything.report(token).signature.word == "INVALID")
    }

    static let unknownAlgorithms = ["HS1", "RS1", "ES256 ", " ES256", "es256", "Es256", "RSA-OAEP", "dir", "A256GCM", "ES256\u{0}", "", "EdDSA\u{301}", "ＥＳ256"]

    @Test("an algorithm LayabAuth does not implement is refused", arguments: unknownAlgorithms)
    func unknownAlgorithm(_ name: String) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup { $0.algorithms = Set(Algorithm.allCases) }
        let header = JSONValue.object(["alg": .string(name), "kid": "ec-1"]).jsonText
        let token = try PolicyFixtures.forge(header: header, payload: Self.payload, signedBy: key)
        let error = expectFailure(.unsupportedAlgorithm) { try verifier.verify(token) }
        #expect(error?.message.contains("ES256") == true, "the message lists what is implemented")
    }

    @Test("an implemented algorithm outside the allow-list is refused")
    func notAllowed() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup { $0.algorithms = [.rs256, .ps256] }
        let token = try key.sign(claims: PolicyFixtures.validClaims())
        let error = expectFailure(.algorithmNotAllowed) { try verifier.verify(token) }
        #expect(error?.message.contains("alg ES256 is not allowed here (allowed: PS256, RS256)") == true, "message: \(error?.message ?? "-")")
    }

    @Test("HS* must be opted into: the default allow-list is asymmetric only", arguments: [Algorithm.hs256, .hs384, .hs512])
    func hmacNotAllowedByDefault(_ algorithm: Algorithm) throws {
        let key = try SigningKey.generate(algorithm, kid: "h")
        let token = try key.sign(claims: PolicyFixtures.validClaims())
        let verifier = try Verifier(keys: KeySet(keys: [key.verificationKey]), configuration: VerifierConfiguration(clock: { PolicyFixtures.now }))
        expectFailure(.algorithmNotAllowed) { try verifier.verify(token) }
        let optedIn = PolicyFixtures.verifier([key.verificationKey], algorithms: [algorithm])
        #expect(throws: Never.self) { try optedIn.verify(token) }
    }

    static let criticalHeaders: [Vector<String>] = [
        Vector("crit naming a registered member", "{\"alg\":\"ES256\",\"crit\":[\"exp\"],\"exp\":1}", .unsupportedCriticalHeader),
        Vector("crit naming b64", "{\"alg\":\"ES256\",\"crit\":[\"b64\"],\"b64\":true}", .unsupportedCriticalHeader),
        Vector("crit naming an extension URI", "{\"alg\":\"ES256\",\"crit\":[\"http://example.com/ext\"],\"http://example.com/ext\":true}", .unsupportedCriticalHeader),
        Vector("crit naming an absent member", "{\"alg\":\"ES256\",\"crit\":[\"nonce\"]}", .unsupportedCriticalHeader),
        Vector("crit naming several", "{\"alg\":\"ES256\",\"crit\":[\"a\",\"b\"],\"a\":1,\"b\":2}", .unsupportedCriticalHeader),
        Vector("b64 false without crit", "{\"alg\":\"ES256\",\"b64\":false}", .unsupportedCriticalHeader),
        Vector("b64 false with crit", "{\"alg\":\"ES256\",\"b64\":false,\"crit\":[\"b64\"]}", .unsupportedCriticalHeader),
        Vector("b64 as a string", "{\"alg\":\"ES256\",\"b64\":\"false\"}", .unsupportedCriticalHeader),
        Vector("crit empty", "{\"alg\":\"ES256\",\"crit\":[]}", .malformed),
        Vector("crit a string", "{\"alg\":\"ES256\",\"crit\":\"b64\"}", .malformed),
        Vector("crit holding a number", "{\"alg\":\"ES256\",\"crit\":[1]}", .malformed),
    ]

    @Test("crit and b64: false are refused, even under a valid signature", arguments: criticalHeaders)
    func critical(_ vector: Vector<String>) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try PolicyFixtures.forge(header: vector.input, payload: Self.payload, signedBy: key)
        expectFailure(vector.code) { try verifier.verify(token) }
        expectFailure(vector.code) { try DecodedToken.decode(token) }
    }

    @Test("b64: true (the default) is accepted")
    func b64True() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try PolicyFixtures.forge(header: "{\"alg\":\"ES256\",\"b64\":true}", payload: Self.payload, signedBy: key)
        #expect(throws: Never.self) { try verifier.verify(token) }
    }

    @Test("the crit message names the members")
    func criticalMessage() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try PolicyFixtures.forge(header: "{\"alg\":\"ES256\",\"crit\":[\"nonce\",\"tag\"]}", payload: Self.payload, signedBy: key)
        let error = expectFailure(.unsupportedCriticalHeader) { try verifier.verify(token) }
        #expect(error?.message.contains("[nonce, tag]") == true)
    }

    struct EmbeddedKeyCase: Sendable, CustomTestStringConvertible {
        let name: String
        let header: JSONObject
        let code: LayabAuthError.Code
        var testDescription: String { "\(name) → \(code.rawValue)" }
    }

    static func embeddedKeyCases() throws -> [EmbeddedKeyCase] {
        let attacker = try PolicyFixtures.attacker.get()
        let jwk = JSONValue.object(attacker.verificationKey.publicJWK)
        let jku: JSONValue = "https://attacker.example/jwks.json"
        return [
            EmbeddedKeyCase(name: "jwk, no kid", header: ["jwk": jwk, "kid": nil], code: .badSignature),
            EmbeddedKeyCase(name: "jwk with the trusted kid", header: ["jwk": jwk, "kid": "ec-1"], code: .badSignature),
            EmbeddedKeyCase(name: "jwk with its own kid", header: ["jwk": jwk], code: .keyNotFound),
            EmbeddedKeyCase(name: "jku with its own kid", header: ["jku": jku], code: .keyNotFound),
            EmbeddedKeyCase(name: "jku with the trusted kid", header: ["jku": jku, "kid": "ec-1"], code: .badSignature),
            EmbeddedKeyCase(name: "x5u, no kid", header: ["x5u": "https://attacker.example/cert.pem", "kid": nil], code: .badSignature),
            EmbeddedKeyCase(name: "jwk, jku and x5u together", header: ["jwk": jwk, "jku": jku, "x5u": "https://attacker.example/c.pem"], code: .keyNotFound),
        ]
    }

    @Test("keys embedded in or pointed to by the header are never used")
    func embeddedKeys() throws {
        let (_, verifier) = try PolicyFixtures.ecSetup()
        let attacker = try PolicyFixtures.attacker.get()
        for vector in try Self.embeddedKeyCases() {
            var header: JSONObject = ["alg": "ES256", "typ": "JWT", "kid": "attacker"]
            for member in vector.header {
                // null marks a member to remove.
                header[member.name] = member.value == .null ? JSONValue?.none : member.value
            }
            let token = try attacker.sign(header: header, payload: Array(JSONValue.object(PolicyFixtures.validClaims()).jsonText.utf8))
            let error = expectFailure(vector.code) { try verifier.verify(token) }
            #expect(error != nil, "\(vector.name)")
            #expect(!(verifier.report(token).signature.word == "VALID"), "\(vector.name)")
            // With no trusted key at all, the embedded key is still not used.
            expectFailure(.keyNotFound) { try Verifier(keys: .empty, configuration: verifier.configuration).verify(token) }
            #expect(try DecodedToken.decode(token).header.embeddedKeyMembers.isEmpty == false)
        }
    }

    @Test("a certificate chain in x5c signed by the attacker is never used")
    func embeddedCertificate() throws {
        let rsa = try PolicyFixtures.rs256.get()
        let verifier = PolicyFixtures.verifier([rsa.verificationKey])
        let attacker = try SigningKey(pem: TestCertificate.privateKeyPEM, algorithm: .rs256)
        let claims = Array(JSONValue.object(PolicyFixtures.validClaims()).jsonText.utf8)
        let x5c: JSONValue = [.string(TestCertificate.x5cValue)]
        let withoutKid = try attacker.sign(header: ["alg": "RS256", "x5c": x5c], payload: claims)
        expectFailure(.badSignature) { try verifier.verify(withoutKid) }
        let trustedKid = try attacker.sign(header: ["alg": "RS256", "kid": "rsa-1", "x5c": x5c], payload: claims)
        expectFailure(.badSignature) { try verifier.verify(trustedKid) }
        let ownKid = try attacker.sign(header: ["alg": "RS256", "kid": "cert", "x5c": x5c, "x5t#S256": "abc"], payload: claims)
        expectFailure(.keyNotFound) { try verifier.verify(ownKid) }
    }
}
