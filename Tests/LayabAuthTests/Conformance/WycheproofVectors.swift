import Foundation
import LayabAuth

/// Reads the Wycheproof files listed in the vector folder's README (`wycheproof/`).
enum WycheproofVectors {
    static let rsaPKCS1Files = ["2048", "3072", "4096"].flatMap { size in
        ["256", "384", "512"].map { "wycheproof/rsa_signature_\(size)_sha\($0)_test.json" }
    }
    static let rsaPSSFiles = [
        "rsa_pss_2048_sha256_mgf1_32", "rsa_pss_3072_sha256_mgf1_32", "rsa_pss_4096_sha256_mgf1_32",
        "rsa_pss_2048_sha384_mgf1_48", "rsa_pss_4096_sha384_mgf1_48", "rsa_pss_4096_sha512_mgf1_64",
    ].map { "wycheproof/\($0)_test.json" }
    static let ecdsaFiles = ["secp256r1_sha256", "secp384r1_sha384", "secp521r1_sha512", "secp256k1_sha256"]
        .map { "wycheproof/ecdsa_\($0)_p1363_test.json" }
    static let eddsaFiles = ["wycheproof/ed25519_test.json", "wycheproof/ed448_test.json"]
    static let hmacFiles = ["256", "384", "512"].map { "wycheproof/hmac_sha\($0)_test.json" }
    static let jsonWebSignatureFile = "wycheproof/json_web_signature_test.json"
    static let jsonWebKeyFile = "wycheproof/json_web_key_test.json"
    static let jsonWebCryptoFile = "wycheproof/json_web_crypto_test.json"

    static var allFiles: [String] {
        rsaPKCS1Files + rsaPSSFiles + ecdsaFiles + eddsaFiles + hmacFiles + [jsonWebSignatureFile, jsonWebKeyFile, jsonWebCryptoFile]
    }

    static func load(into library: inout VectorLibrary) {
        for file in rsaPKCS1Files { library.reading(file) { try loadSignatures(file, family: .rsaPKCS1, into: &$0) } }
        for file in rsaPSSFiles { library.reading(file) { try loadSignatures(file, family: .rsaPSS, into: &$0) } }
        for file in ecdsaFiles { library.reading(file) { try loadSignatures(file, family: .ecdsa, into: &$0) } }
        for file in eddsaFiles { library.reading(file) { try loadSignatures(file, family: .eddsa, into: &$0) } }
        for file in hmacFiles { library.reading(file) { try loadMACs(file, into: &$0) } }
        library.reading(jsonWebSignatureFile) { try JOSEVectors.loadJSONWebSignature(jsonWebSignatureFile, into: &$0) }
        library.reading(jsonWebKeyFile) { try JOSEVectors.loadJSONWebKey(jsonWebKeyFile, into: &$0) }
        library.reading(jsonWebCryptoFile) { try JOSEVectors.loadJSONWebCrypto(jsonWebCryptoFile, into: &$0) }
        // A Wycheproof file added to the folder but not to the lists above would silently go unrun.
        if let folder = TestVectorFolder.url,
           let names = try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("wycheproof").path)
        {
            let known = Set(allFiles)
            for name in names.sorted() where name.hasSuffix(".json") && !known.contains("wycheproof/\(name)") {
                library.problems.append("wycheproof/\(name) is in the folder but not in the conformance suite")
            }
        }
    }

    /// The file's `numberOfTests` must equal its tests, so that none is lost by the loader.
    static func document(_ file: String, into library: inout VectorLibrary) throws -> (root: JSONNode, groups: [JSONNode]) {
        let root = JSONNode(try TestVectorFolder.json(file))
        let groups = try root["testGroups"].array()
        let declared = try root["numberOfTests"].int()
        let counted = try groups.reduce(0) { $0 + (try $1["tests"].array().count) }
        if declared != counted { throw VectorLoadingError("numberOfTests is \(declared) but the groups hold \(counted) tests") }
        library.declared[file] = declared
        return (root, groups)
    }

    static func result(_ node: JSONNode) throws -> VectorResult {
        let text = try node.string()
        guard let result = VectorResult(rawValue: text) else { throw VectorLoadingError("\(node.path) is \"\(text)\"") }
        return result
    }

    // MARK: Signatures (RSA PKCS#1, RSA-PSS, ECDSA P1363, EdDSA)

    private static func loadSignatures(_ file: String, family: VectorFamily, into library: inout VectorLibrary) throws {
        let (_, groups) = try document(file, into: &library)
        for (index, group) in groups.enumerated() {
            let tests = try group["tests"].array()
            let algorithm: Algorithm
            switch try jwsAlgorithm(group, family: family) {
            case let .success(found): algorithm = found
            case let .failure(reason):
                library.skip(tests.count, in: file, because: reason.text)
                continue
            }
            // RSA PKCS#1 groups name the JWK `keyJwk`, the others `publicKeyJwk`; some ECDSA groups carry none.
            let jwkNode = group["keyJwk"].exists ? group["keyJwk"] : group["publicKeyJwk"]
            let jwk = jwkNode.exists ? try jwkNode.jsonText() : nil
            let der = try group["publicKeyDer"].hex()
            let key: KeyEncoding = jwk.map(KeyEncoding.jwk) ?? .subjectPublicKeyInfo(der)
            library.keyEncodings.append(KeyEncodingCase(file: file, group: index, firstTcId: try tests.first?["tcId"].int() ?? 0,
                                                        jwk: jwk, der: der, pem: try group["publicKeyPem"].string()))
            // Exponents below 65537 (Wycheproof's SmallPublicKey groups) are refused by policy.
            let exponent = family == .rsaPKCS1 ? Hex.decode(try group["publicKey"]["publicExponent"].string()) : nil
            let smallExponent = exponent.map(exponentIsBelow65537) ?? false
            for test in tests {
                var vector = ConformanceVector(
                    file: file, tcId: try test["tcId"].int(), comment: try test["comment"].string(), result: try result(test["result"]),
                    flags: try test["flags"].strings(), family: family,
                    check: .signature(key: key, algorithm: algorithm, message: try test["msg"].hex(), signature: try test["sig"].hex()))
                if smallExponent {
                    if vector.result == .invalid { vector.pinned = ExpectedRejection(.invalidKey, "public exponent") } else { vector.deviation = .rsaPublicExponentBelow65537 }
                }
                library.vectors.append(vector)
            }
        }
    }

    /// The JWS algorithm a group exercises, or why the group does not apply to JWS.
    private static func jwsAlgorithm(_ group: JSONNode, family: VectorFamily) throws -> Result<Algorithm, SkipReason> {
        let sha = group["sha"].exists ? try group["sha"].string() : ""
        switch family {
        case .rsaPKCS1:
            let byHash: [String: Algorithm] = ["SHA-256": .rs256, "SHA-384": .rs384, "SHA-512": .rs512]
            return byHash[sha].map { .success($0) } ?? .failure(SkipReason("RSA PKCS#1 with \(sha) has no JWS algorithm"))
        case .rsaPSS:
            let byHash: [String: Algorithm] = ["SHA-256": .ps256, "SHA-384": .ps384, "SHA-512": .ps512]
            guard let algorithm = byHash[sha], let hash = algorithm.hash else { return .failure(SkipReason("RSA-PSS with \(sha) has no JWS algorithm")) }
            // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash.
            guard try group["mgf"].string() == "MGF1", try group["mgfSha"].string() == sha, try group["sLen"].int() == hash.byteCount else {
                return .failure(SkipReason("RSA-PSS parameters other than MGF1 with the same hash and a salt of the hash length"))
            }
            return .success(algorithm)
        case .ecdsa:
            let byCurve: [String: (Algorithm, String)] = [
                "secp256r1": (.es256, "SHA-256"), "secp384r1": (.es384, "SHA-384"), "secp521r1": (.es512, "SHA-512"), "secp256k1": (.es256k, "SHA-256"),
            ]
            let curve = try group["publicKey"]["curve"].string()
            guard let (algorithm, hash) = byCurve[curve], hash == sha else { return .failure(SkipReason("ECDSA on \(curve) with \(sha) has no JWS algorithm")) }
            return .success(algorithm)
        case .eddsa:
            return .success(.eddsa)
        default:
            return .failure(SkipReason("not a signature family"))
        }
    }

    struct SkipReason: Error { let text: String; init(_ text: String) { self.text = text } }

    static func exponentIsBelow65537(_ exponent: [UInt8]) -> Bool {
        let significant = Array(exponent.drop { $0 == 0 })
        return significant.count < 3 || (significant.count == 3 && (significant[0], significant[1], significant[2]) < (1, 0, 1))
    }

    // MARK: HMAC

    private static func loadMACs(_ file: String, into library: inout VectorLibrary) throws {
        let (root, groups) = try document(file, into: &library)
        let byName: [String: Algorithm] = ["HMACSHA256": .hs256, "HMACSHA384": .hs384, "HMACSHA512": .hs512]
        let name = try root["algorithm"].string()
        guard let algorithm = byName[name], let hash = algorithm.hash else { throw VectorLoadingError("unexpected algorithm \(name)") }
        for group in groups {
            let tests = try group["tests"].array()
            // JWS never truncates a MAC (RFC 7518 §3.2): only full-length tags apply.
            guard try group["tagSize"].int() == hash.byteCount * 8 else {
                library.skip(tests.count, in: file, because: "truncated tags (JWS never truncates an HMAC)")
                continue
            }
            let shortKey = try group["keySize"].int() < hash.byteCount * 8
            for test in tests {
                var vector = ConformanceVector(
                    file: file, tcId: try test["tcId"].int(), comment: try test["comment"].string(), result: try result(test["result"]),
                    flags: try test["flags"].strings(), family: .hmac,
                    check: .mac(secret: try test["key"].hex(), algorithm: algorithm, message: try test["msg"].hex(), tag: try test["tag"].hex()))
                if shortKey {
                    if vector.result == .invalid { vector.pinned = ExpectedRejection(.invalidKey, "RFC 7518 §3.2") } else { vector.deviation = .hmacKeyShorterThanHash }
                }
                library.vectors.append(vector)
            }
        }
    }
}
