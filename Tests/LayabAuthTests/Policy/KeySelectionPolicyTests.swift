import Foundation
import LayabAuth
import Testing

@Suite("Policy: key selection and the binding of keys to algorithms")
struct KeySelectionPolicyTests {
    static func claims() -> JSONObject { PolicyFixtures.validClaims() }

    @Test("the kid selects the key")
    func kidSelects() throws {
        let keys = try ["a", "b", "c"].map { try SigningKey.generate(.es256, kid: $0) }
        let verifier = PolicyFixtures.verifier(keys.map(\.verificationKey))
        for key in keys {
            #expect(try verifier.verify(key.sign(claims: Self.claims())).key?.kid == key.kid)
        }
        // b's token relabelled as a's is checked with a's key only.
        let relabelled = try keys[1].sign(claims: Self.claims(), extraHeader: ["kid": "a"])
        expectFailure(.badSignature) { try verifier.verify(relabelled) }
    }

    @Test("an unknown kid is key_not_found, and the message lists the known kids")
    func unknownKid() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try key.sign(claims: Self.claims(), extraHeader: ["kid": "rotated-away"])
        let error = expectFailure(.keyNotFound) { try verifier.verify(token) }
        #expect(error?.message.contains("no key has kid \"rotated-away\" (known: \"ec-1\")") == true, "message: \(error?.message ?? "-")")
        expectFailure(.keyNotFound) { try Verifier(keys: .empty, configuration: verifier.configuration).verify(token) }
    }

    @Test("keys without a kid stand in for an unknown kid; when none verifies, the kid is still key_not_found")
    func unknownKidWithKidlessKeys() throws {
        let kidless = try SigningKey.generate(.es256)
        let verifier = PolicyFixtures.verifier([kidless.verificationKey])
        // Signed by the stand-in: accepted (docs/conformance.md, "a key without kid for a token with kid").
        #expect(try verifier.verify(kidless.sign(claims: Self.claims(), extraHeader: ["kid": "new"])).key?.kid == nil)
        // Signed by a key rotated in under a new kid: key_not_found, so that a key source refreshes.
        let rotated = try SigningKey.generate(.es256, kid: "rotated-in")
        let error = expectFailure(.keyNotFound) { try verifier.verify(rotated.sign(claims: Self.claims())) }
        #expect(error?.message.hasPrefix("no key has kid \"rotated-in\", and the key without a kid") == true, "message: \(error?.message ?? "-")")
        // Two stand-ins of different RSA sizes: a signature of the wrong shape for one is no bad_signature either.
        let small = try SigningKey.generate(.rs256, rsaBits: 2048), large = try SigningKey.generate(.rs256, rsaBits: 3072)
        let two = PolicyFixtures.verifier([small.verificationKey, large.verificationKey]) { $0.kidlessPolicy = .tryCompatibleKeys(limit: 2) }
        let other = try SigningKey.generate(.rs256, kid: "rotated-in")
        let both = expectFailure(.keyNotFound) { try two.verify(other.sign(claims: Self.claims())) }
        #expect(both?.message.contains("none of the 2 keys without a kid") == true, "message: \(both?.message ?? "-")")
    }

    struct Misfit: Sendable, CustomTestStringConvertible {
        let token: Algorithm
        let key: Algorithm?
        var testDescription: String { "\(key.map { "a key for \($0.rawValue)" } ?? "an HMAC secret") cannot verify \(token.rawValue)" }
    }

    static let misfits: [Misfit] = [
        Misfit(token: .es256, key: .rs256),
        Misfit(token: .es256, key: .es384),
        Misfit(token: .es256, key: .es256k),
        Misfit(token: .es256, key: .ed25519),
        Misfit(token: .es512, key: .es256),
        Misfit(token: .rs256, key: .es256),
        Misfit(token: .rs256, key: nil),
        Misfit(token: .ps256, key: .eddsa),
        Misfit(token: .ed25519, key: .ed448),
        Misfit(token: .eddsa, key: .es256),
    ]

    @Test("the key type and curve must fit the algorithm", arguments: misfits)
    func keyTypeFits(_ misfit: Misfit) throws {
        let signer = try SigningKey.generate(misfit.token, kid: "k")
        // The trusted key carries no alg of its own, so only its type and curve can refuse the token.
        let trusted: VerificationKey
        if let keyAlgorithm = misfit.key {
            let pem = try #require(try SigningKey.generate(keyAlgorithm).verificationKey.pem)
            trusted = try VerificationKey(pem: pem, kid: "k")
        } else {
            trusted = try VerificationKey(hmacSecret: Array(repeating: 3, count: 64), kid: "k")
        }
        let verifier = PolicyFixtures.verifier([trusted], algorithms: Set(Algorithm.allCases))
        let token = try signer.sign(claims: Self.claims())
        let error = expectFailure(.invalidKey) { try verifier.verify(token) }
        #expect(error?.message.contains("key \"k\" cannot verify this token") == true, "message: \(error?.message ?? "-")")
        // Without a kid no key fits at all.
        let unnamed = try PolicyFixtures.forge(header: JSONValue.object(["alg": .string(misfit.token.rawValue)]).jsonText,
                                               payload: JSONValue.object(Self.claims()).jsonText, signedBy: signer)
        expectFailure(.keyNotFound) { try verifier.verify(unnamed) }
    }

    @Test("the message says which algorithm the key is for and which the token uses")
    func misfitMessage() throws {
        let rsa = try PolicyFixtures.rs256.get()
        let ec = try PolicyFixtures.es256.get()
        let verifier = PolicyFixtures.verifier([rsa.verificationKey])
        let token = try ec.sign(claims: Self.claims(), extraHeader: ["kid": "rsa-1"])
        let error = expectFailure(.invalidKey) { try verifier.verify(token) }
        #expect(error?.message.contains("the key is for RS256, the token uses ES256") == true, "message: \(error?.message ?? "-")")
    }

    @Test("the key's own alg must equal the header's alg")
    func keyAlgorithmBinding() throws {
        let rsa = try PolicyFixtures.rs256.get()
        let pem = try #require(rsa.privateKeyPEM)
        let pss = try SigningKey(pem: pem, algorithm: .ps256, kid: "rsa-1")
        #expect(rsa.verificationKey.algorithm == "RS256")
        let verifier = PolicyFixtures.verifier([rsa.verificationKey], algorithms: [.rs256, .ps256])
        let error = expectFailure(.invalidKey) { try verifier.verify(pss.sign(claims: Self.claims())) }
        #expect(error?.message.contains("the key is for RS256, the token uses PS256") == true)
        // The same public key without alg verifies both.
        let open = PolicyFixtures.verifier([try VerificationKey(pem: try #require(rsa.verificationKey.pem), kid: "rsa-1")], algorithms: [.rs256, .ps256])
        #expect(throws: Never.self) { try open.verify(pss.sign(claims: Self.claims())) }
        #expect(throws: Never.self) { try open.verify(rsa.sign(claims: Self.claims())) }
    }

    @Test("RFC 9864: a key marked EdDSA verifies Ed25519 tokens of its curve and back, never another curve's")
    func edwardsAliases() throws {
        let signer = try SigningKey.generate(.ed25519, kid: "ed")
        var marked = signer.verificationKey.publicJWK
        for (keyAlgorithm, tokenAlgorithm) in [("EdDSA", "Ed25519"), ("Ed25519", "EdDSA")] {
            marked["alg"] = .string(keyAlgorithm)
            let verifier = PolicyFixtures.verifier([try VerificationKey(jwk: marked)])
            let token = try signer.sign(header: ["alg": .string(tokenAlgorithm), "kid": "ed"], payload: Array(JSONValue.object(Self.claims()).jsonText.utf8))
            #expect(throws: Never.self, "key \(keyAlgorithm), token \(tokenAlgorithm)") { try verifier.verify(token) }
            let other = try signer.sign(header: ["alg": "Ed448", "kid": "ed"], payload: Array(JSONValue.object(Self.claims()).jsonText.utf8))
            expectFailure(.invalidKey) { try verifier.verify(other) }
        }
    }

    static let unusable: [Vector<(member: String, value: JSONValue)>] = [
        Vector("use enc", ("use", "enc"), .invalidKey),
        Vector("use an unknown value", ("use", "signature"), .invalidKey),
        Vector("key_ops without verify", ("key_ops", ["sign"]), .invalidKey),
        Vector("key_ops empty", ("key_ops", []), .invalidKey),
        Vector("key_ops for encryption", ("key_ops", ["encrypt", "wrapKey"]), .invalidKey),
    ]

    @Test("use must be sig and key_ops must include verify", arguments: unusable)
    func useAndOperations(_ vector: Vector<(member: String, value: JSONValue)>) throws {
        do { try checkUnusable(vector) }
    }

    func checkUnusable(_ vector: Vector<(member: String, value: JSONValue)>) throws {
        let (member, value) = vector.input
        let ec = try PolicyFixtures.es256.get()
        var jwk = ec.verificationKey.publicJWK
        jwk[member] = value
        let token = try ec.sign(claims: Self.claims())
        // Configured directly, the key is kept but refuses to verify.
        let configured = PolicyFixtures.verifier([try VerificationKey(jwk: jwk)])
        let error = expectFailure(vector.code) { try configured.verify(token) }
        #expect(error?.message.contains(member) == true, "message: \(error?.message ?? "-")")
        // In a set, a key with another use is left out.
        let set = try KeySet(jwksJSON: JSONValue.object(["keys": [.object(jwk)]]).jsonText)
        if member == "use" {
            #expect(set.keys.isEmpty)
            #expect(set.skipped.first?.reason.contains("not \"sig\"") == true)
        }
        let remote = try Verifier(keys: set, configuration: PolicyFixtures.configuration())
        expectFailure(member == "use" ? .keyNotFound : .invalidKey) { try remote.verify(token) }
    }

    static let usable: [JSONObject] = [["use": "sig"], ["key_ops": ["verify"]], ["key_ops": ["sign", "verify"], "use": "sig"]]

    @Test("use sig and key_ops with verify are accepted", arguments: usable)
    func usableKey(_ extra: JSONObject) throws {
        let ec = try PolicyFixtures.es256.get()
        var jwk = ec.verificationKey.publicJWK
        for member in extra { jwk[member.name] = member.value }
        do {
            let verifier = PolicyFixtures.verifier([try VerificationKey(jwk: jwk)])
            #expect(throws: Never.self) { try verifier.verify(ec.sign(claims: Self.claims())) }
        }
    }

    // MARK: HMAC with public keys (algorithm confusion)

    struct ConfusionSecret: Sendable, CustomTestStringConvertible {
        let name: String
        let algorithm: Algorithm
        let secret: @Sendable (VerificationKey) throws -> [UInt8]
        var testDescription: String { "\(algorithm.rawValue) keyed with the \(name)" }
    }

    static func pemBody(_ pem: String) -> [UInt8] {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Data(base64Encoded: body).map { Array($0) } ?? []
    }

    static let confusionSecrets: [ConfusionSecret] = [Algorithm.hs256, .hs512].flatMap { algorithm in
        [
            ConfusionSecret(name: "public key PEM", algorithm: algorithm) { Array(($0.pem ?? "").utf8) },
            ConfusionSecret(name: "public key PEM without its final newline", algorithm: algorithm) {
                Array(($0.pem ?? "").trimmingCharacters(in: .newlines).utf8)
            },
            ConfusionSecret(name: "public key DER", algorithm: algorithm) { pemBody($0.pem ?? "") },
            ConfusionSecret(name: "public JWK JSON", algorithm: algorithm) { Array(JSONValue.object($0.publicJWK).jsonText.utf8) },
            ConfusionSecret(name: "RSA modulus bytes", algorithm: algorithm) { try Base64URL.decode($0.publicJWK["n"]?.stringValue ?? "") },
        ]
    }

    @Test("a public key is never an HMAC secret", arguments: confusionSecrets)
    func algorithmConfusion(_ vector: ConfusionSecret) throws {
        let rsa = try PolicyFixtures.rs256.get()
        let secret = try vector.secret(rsa.verificationKey)
        #expect(secret.count >= 64)
        let forger = try SigningKey(hmacSecret: secret, algorithm: vector.algorithm, kid: "rsa-1")
        let withoutAlg = try VerificationKey(pem: try #require(rsa.verificationKey.pem), kid: "rsa-1")
        try checkConfusion(forger, [rsa.verificationKey], vector.algorithm)
        try checkConfusion(forger, [withoutAlg], vector.algorithm)
        do {
            var jwk = rsa.verificationKey.publicJWK
            jwk["alg"] = nil
            try checkConfusion(forger, [try VerificationKey(jwk: jwk)], vector.algorithm)
            let remote = try KeySet(jwksJSON: JSONValue.object(["keys": [.object(jwk)]]).jsonText)
            #expect(remote.keys.count == 1)
            try checkConfusion(forger, remote.keys, vector.algorithm)
        }
    }

    func checkConfusion(_ forger: SigningKey, _ keys: [VerificationKey], _ algorithm: Algorithm) throws {
        let verifier = PolicyFixtures.verifier(keys, algorithms: [algorithm, .rs256])
        let named = try forger.sign(claims: Self.claims())
        expectFailure(.invalidKey) { try verifier.verify(named) }
        let unnamed = try forger.sign(claims: Self.claims(), extraHeader: ["kid": "other"])
        expectFailure(.keyNotFound) { try verifier.verify(unnamed) }
        let kidless = try PolicyFixtures.forge(header: "{\"alg\":\"\(algorithm.rawValue)\"}",
                                               payload: JSONValue.object(Self.claims()).jsonText, signedBy: forger)
        expectFailure(.keyNotFound) { try verifier.verify(kidless) }
        #expect(verifier.report(named).signature.word != "VALID")
    }

    @Test("an EC public key is never an HMAC secret either")
    func ecConfusion() throws {
        let ec = try PolicyFixtures.es256.get()
        let pem = try #require(ec.verificationKey.pem)
        let forger = try SigningKey(hmacSecret: Array(pem.utf8), algorithm: .hs256, kid: "ec-1")
        // Imported from PEM, the key has no alg that would refuse HS256 first.
        let verifier = PolicyFixtures.verifier([try VerificationKey(pem: pem, kid: "ec-1")], algorithms: [.hs256, .es256])
        let error = expectFailure(.invalidKey) { try verifier.verify(forger.sign(claims: Self.claims())) }
        #expect(error?.message.contains("public keys are never used as HMAC secrets") == true, "message: \(error?.message ?? "-")")
    }

    // MARK: HMAC keys from a remote set

    static let octSecret = Array(repeating: UInt8(0x5A), count: 32)
    static var octJWKS: String {
        JSONValue.object(["keys": [["kty": "oct", "kid": "shared", "k": .string(Base64URL.encode(octSecret))]]]).jsonText
    }

    @Test("oct keys from a remote set are dropped unless allowRemoteHMACKeys")
    func remoteHMAC() throws {
        let signer = try SigningKey(hmacSecret: Self.octSecret, algorithm: .hs256, kid: "shared")
        let token = try signer.sign(claims: Self.claims())

        let remote = try KeySet(jwksJSON: Self.octJWKS)
        #expect(remote.keys.isEmpty)
        #expect(remote.skipped.first?.reason.contains("never trusted for HMAC") == true)
        let verifier = try Verifier(keys: remote, configuration: PolicyFixtures.configuration(algorithms: [.hs256]))
        expectFailure(.keyNotFound) { try verifier.verify(token) }

        // Imported with the policy but verified without it: still refused.
        let allowedPolicy = KeyPolicy(allowRemoteHMACKeys: true)
        let imported = try KeySet(jwksJSON: Self.octJWKS, policy: allowedPolicy)
        #expect(imported.keys.count == 1)
        let strict = try Verifier(keys: imported, configuration: PolicyFixtures.configuration(algorithms: [.hs256]))
        let error = expectFailure(.invalidKey) { try strict.verify(token) }
        #expect(error?.message.contains("allowRemoteHMACKeys is off") == true)

        let opted = try Verifier(keys: imported, configuration: PolicyFixtures.configuration(algorithms: [.hs256]) { $0.keyPolicy = allowedPolicy })
        #expect(throws: Never.self) { try opted.verify(token) }

        // The same set given by the application is trusted.
        let configured = try KeySet(jwksJSON: Self.octJWKS, origin: .configured)
        let local = try Verifier(keys: configured, configuration: PolicyFixtures.configuration(algorithms: [.hs256]))
        #expect(throws: Never.self) { try local.verify(token) }
    }

    // MARK: Tokens without kid

    @Test("singleCompatibleKey: one fitting key is used, two are ambiguous")
    func singleCompatibleKey() throws {
        let ec = try PolicyFixtures.es256.get()
        let other = try PolicyFixtures.es256Other.get()
        let rsa = try PolicyFixtures.rs256.get()
        let unnamed = try PolicyFixtures.forge(header: "{\"alg\":\"ES256\"}", payload: JSONValue.object(Self.claims()).jsonText, signedBy: ec)

        let one = PolicyFixtures.verifier([rsa.verificationKey, ec.verificationKey])
        #expect(try one.verify(unnamed).key?.kid == "ec-1")

        let two = PolicyFixtures.verifier([rsa.verificationKey, other.verificationKey, ec.verificationKey])
        let error = expectFailure(.keyNotFound) { try two.verify(unnamed) }
        #expect(error?.message.contains("2 keys fit ES256; a kid is required to choose") == true, "message: \(error?.message ?? "-")")
    }

    @Test("tryCompatibleKeys tries at most `limit` fitting keys, in set order")
    func tryCompatibleKeys() throws {
        let ec = try PolicyFixtures.es256.get()
        let other = try PolicyFixtures.es256Other.get()
        let unnamed = try PolicyFixtures.forge(header: "{\"alg\":\"ES256\"}", payload: JSONValue.object(Self.claims()).jsonText, signedBy: ec)
        let keys = [other.verificationKey, ec.verificationKey]

        let two = PolicyFixtures.verifier(keys) { $0.kidlessPolicy = .tryCompatibleKeys(limit: 2) }
        #expect(try two.verify(unnamed).key?.kid == "ec-1")

        let one = PolicyFixtures.verifier(keys) { $0.kidlessPolicy = .tryCompatibleKeys(limit: 1) }
        let error = expectFailure(.badSignature) { try one.verify(unnamed) }
        #expect(error?.message.contains("kid \"ec-2\"") == true, "only the first key was tried: \(error?.message ?? "-")")
    }

    @Test("tryCompatibleKeys reaches the right key past RSA keys of another size")
    func tryCompatibleKeysMixedSizes() throws {
        let large = try PolicyFixtures.rsa3072.get()
        let rsa = try PolicyFixtures.rs256.get()
        let unnamed = try PolicyFixtures.forge(header: "{\"alg\":\"RS256\"}", payload: JSONValue.object(Self.claims()).jsonText, signedBy: rsa)
        let verifier = PolicyFixtures.verifier([large.verificationKey, rsa.verificationKey]) { $0.kidlessPolicy = .tryCompatibleKeys(limit: 2) }
        #expect(try verifier.verify(unnamed).key?.kid == "rsa-1")
        #expect(verifier.report(unnamed).signature.word == "VALID")
        // A signature that fits neither key still fails, with the reason.
        let wrong = PolicyFixtures.resigned(unnamed, with: Array(repeating: 1, count: 100))
        let error = expectFailure(.badSignature) { try verifier.verify(wrong) }
        #expect(error?.message.contains("any of 2 candidate keys") == true, "message: \(error?.message ?? "-")")
    }

    @Test("two keys with the same kid that both fit are ambiguous")
    func duplicateKid() throws {
        let ec = try PolicyFixtures.es256.get()
        let twin = try SigningKey.generate(.es256, kid: "ec-1")
        let verifier = PolicyFixtures.verifier([ec.verificationKey, twin.verificationKey])
        let error = expectFailure(.invalidKey) { try verifier.verify(ec.sign(claims: Self.claims())) }
        #expect(error?.message.contains("2 keys share kid \"ec-1\"") == true)
    }

    // MARK: RSA size at verification

    @Test("the verifier refuses RSA keys below keyPolicy.minimumRSABits, however they were built")
    func weakRSAKeyInTheSet() throws {
        let weak = try PolicyFixtures.rsa1024.get()
        #expect(weak.verificationKey.bits == 1024)
        let token = try weak.sign(claims: Self.claims())
        let strict = PolicyFixtures.verifier([weak.verificationKey])
        let error = expectFailure(.invalidKey) { try strict.verify(token) }
        #expect(error?.message.contains("1024 bits") == true, "message: \(error?.message ?? "-")")
        #expect(error?.message.contains("2048") == true, "message: \(error?.message ?? "-")")
        #expect(strict.report(token).signature.word == "INVALID")

        let lenient = PolicyFixtures.verifier([weak.verificationKey]) { $0.keyPolicy = KeyPolicy(minimumRSABits: 1024) }
        #expect(throws: Never.self) { try lenient.verify(token) }

        // Without a kid the weak key does not fit either.
        let unnamed = try PolicyFixtures.forge(header: "{\"alg\":\"RS256\"}", payload: JSONValue.object(Self.claims()).jsonText, signedBy: weak)
        expectFailure(.keyNotFound) { try strict.verify(unnamed) }
        #expect(throws: Never.self) { try lenient.verify(unnamed) }

        // A stricter policy refuses 2048-bit keys too.
        let rsa = try PolicyFixtures.rs256.get()
        let demanding = PolicyFixtures.verifier([rsa.verificationKey]) { $0.keyPolicy = KeyPolicy(minimumRSABits: 3072) }
        expectFailure(.invalidKey) { try demanding.verify(rsa.sign(claims: Self.claims())) }
    }
}
