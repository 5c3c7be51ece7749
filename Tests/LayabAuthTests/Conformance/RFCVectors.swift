import Foundation
import LayabAuth

/// RFC 7515 Appendix A (compact JWS and their keys) and the RFC 7517 key set examples, in `rfc7515/`.
enum RFC7515Vectors {
    /// A.1-A.3 are JWTs with `exp: 1300819380` (2011-03-22): the suite checks them a minute before.
    /// A.4 signs the text "Payload", so it is checked as a JWS.
    static let expiry = 1_300_819_380.0
    static let appendixA = [(1, "A.1 HS256 JWT"), (2, "A.2 RS256 JWT"), (3, "A.3 ES256 JWT"), (4, "A.4 ES512 JWS over the text \"Payload\"")]

    static func load(into library: inout VectorLibrary) {
        for (number, comment) in appendixA {
            let file = "rfc7515/rfc7515_A.\(number).jwsc"
            library.reading(file) { library in
                let keys = try JSONNode(TestVectorFolder.json("rfc7515/rfc7515_A.\(number).jwk")).jsonText(removing: JSONNode.privateKeyMembers)
                let token = try TestVectorFolder.text(file)
                library.vectors.append(ConformanceVector(
                    file: file, tcId: number, comment: comment, result: .valid, flags: [], family: .rfc7515,
                    check: number == 4 ? .jws(token: token, keys: keys) : .jwt(token: token, keys: keys, now: expiry - 60)))
                library.declared[file] = 1
            }
        }
        let unsecured = "rfc7515/rfc7515_A.5.jwsc"
        library.reading(unsecured) { library in
            // Any key will do: an unsecured token must be refused before a key is looked at.
            let keys = try JSONNode(TestVectorFolder.json("rfc7515/rfc7515_A.1.jwk")).jsonText()
            var vector = ConformanceVector(
                file: unsecured, tcId: 5, comment: "A.5 alg none (unsecured JWS)", result: .invalid, flags: [], family: .rfc7515,
                check: .jwt(token: try TestVectorFolder.text(unsecured), keys: keys, now: expiry - 60))
            vector.pinned = ExpectedRejection(.unsupportedAlgorithm, "\"none\"")
            library.vectors.append(vector)
            library.declared[unsecured] = 1
        }
        loadKeyDocuments(into: &library)
    }

    private static func loadKeyDocuments(into library: inout VectorLibrary) {
        let rsaKid = "2011-04-29", hmacKid = "HMACkeyusedinJWSspecAppendixA.1example"
        let cases: [(file: String, origin: VerificationKey.Origin, loaded: [String], skipped: [String], comment: String)] = [
            ("rfc7515/rfc7517_A.1.jwkset", .remote, [rsaKid], ["use is \"enc\""], "public keys: the encryption key is skipped"),
            ("rfc7515/rfc7517_A.2.jwkset", .configured, [rsaKid], ["use is \"enc\""], "private keys: only the public members are kept"),
            ("rfc7515/rfc7517_A.3.jwkset", .configured, [hmacKid], ["A128KW"], "symmetric keys: the key-wrapping key is refused"),
            ("rfc7515/rfc7517_A.3.jwkset", .remote, [], ["symmetric (oct)", "symmetric (oct)"], "symmetric keys are never trusted from a remote set"),
            ("rfc7515/rfc7517_B.jwk", .remote, ["1b94c"], [], "x5c certificate whose key equals the JWK's"),
            ("rfc7515/rfc7515_A.1.jwk", .configured, ["-"], [], "the HS256 secret of A.1"),
            ("rfc7515/rfc7515_A.2.jwk", .configured, ["-"], [], "the RS256 key of A.2"),
            ("rfc7515/rfc7515_A.3.jwk", .configured, ["-"], [], "the ES256 key of A.3"),
            ("rfc7515/rfc7515_A.4.jwk", .configured, ["-"], [], "the ES512 key of A.4"),
        ]
        for entry in cases {
            library.reading(entry.file) { library in
                library.keyDocuments.append(KeyDocumentCase(file: entry.file, text: try TestVectorFolder.text(entry.file), origin: entry.origin,
                                                            loaded: entry.loaded, skipped: entry.skipped, comment: entry.comment))
            }
        }
    }
}

/// The JOSE cookbook (RFC 7520) JWS examples, RFC 8037's Ed25519 example and the RFC 7797 examples.
enum JOSECookbookVectors {
    static let signatureFiles = [
        "jose-cookbook/jws/4_1.rsa_v15_signature.json", "jose-cookbook/jws/4_2.rsa-pss_signature.json",
        "jose-cookbook/jws/4_3.ecdsa_signature.json", "jose-cookbook/jws/4_4.hmac-sha2_integrity_protection.json",
        "jose-cookbook/jws/4_5.signature_with_detached_content.json", "jose-cookbook/jws/4_6.protecting_specific_header_fields.json",
        "jose-cookbook/jws/4_7.protecting_content_only.json", "jose-cookbook/jws/4_8.multiple_signatures.json",
        "jose-cookbook/curve25519/jws.json",
        "jose-cookbook/rfc7797/hmac-sha2_b64_false.json", "jose-cookbook/rfc7797/4.2.hmac-sha2_b64_false.json",
    ]

    static func load(into library: inout VectorLibrary) {
        for file in signatureFiles { library.reading(file) { try loadExample(file, into: &$0) } }
        let bilbo = "bilbo.baggins@hobbiton.example", hmacKid = "018c0ae5-4d9b-471b-bfd6-eef314bc7037"
        let keys: [(String, VerificationKey.Origin, [String], [String], String)] = [
            ("jose-cookbook/jwk/3_1.ec_public_key.json", .remote, [bilbo], [], "P-521 public key"),
            ("jose-cookbook/jwk/3_2.ec_private_key.json", .configured, [bilbo], [], "P-521 private key: the public members are kept"),
            ("jose-cookbook/jwk/3_3.rsa_public_key.json", .remote, [bilbo], [], "RSA public key"),
            ("jose-cookbook/jwk/3_4.rsa_private_key.json", .configured, [bilbo], [], "RSA private key: the public members are kept"),
            ("jose-cookbook/jwk/3_5.symmetric_key_mac_computation.json", .configured, [hmacKid], [], "HS256 secret"),
            ("jose-cookbook/jwk/3_5.symmetric_key_mac_computation.json", .remote, [], ["symmetric (oct)"], "HS256 secret from a remote set"),
            ("jose-cookbook/jwk/3_6.symmetric_key_encryption.json", .configured, [], ["use is \"enc\""], "A256GCM encryption key"),
        ]
        for (file, origin, loaded, skipped, comment) in keys {
            library.reading(file) { library in
                library.keyDocuments.append(KeyDocumentCase(file: file, text: try TestVectorFolder.text(file), origin: origin,
                                                            loaded: loaded, skipped: skipped, comment: comment))
            }
        }
    }

    /// `output.compact` checked with the public part of `input.key`; JSON-only examples are checked to be refused.
    private static func loadExample(_ file: String, into library: inout VectorLibrary) throws {
        let example = JSONNode(try TestVectorFolder.json(file))
        let title = try example["title"].string()
        let keyNode = example["input"]["key"]
        // Example 4.8 signs with three keys: they form a key set.
        let keys = keyNode.value is [Any] ? try JSONNode(["keys": keyNode.value as Any]).jsonText(removing: JSONNode.privateKeyMembers)
            : try keyNode.jsonText(removing: JSONNode.privateKeyMembers)
        var vectors: [ConformanceVector] = []
        func add(_ comment: String, _ result: VectorResult, _ token: String, deviation: Deviation? = nil) {
            var vector = ConformanceVector(file: file, tcId: vectors.count + 1, comment: comment, result: result, flags: [],
                                           family: .joseCookbook, check: .jws(token: token, keys: keys))
            vector.deviation = deviation
            vectors.append(vector)
        }
        let unencoded = example["signing"]["protected"]["b64"].value as? Bool == false
        if example["output"]["compact"].exists {
            let compact = try example["output"]["compact"].string()
            let segments = compact.split(separator: ".", omittingEmptySubsequences: false)
            if unencoded {
                add("\(title): compact", .valid, compact, deviation: .unencodedPayloadUnsupported)
            } else if segments.count == 3, segments[1].isEmpty {
                add("\(title): compact as transmitted", .valid, compact, deviation: .detachedContentAsTransmitted)
                let payload = Base64URL.encode(Array(try example["input"]["payload"].string().utf8))
                add("\(title): compact with the content re-attached (RFC 7515 Appendix F)", .valid, "\(segments[0]).\(payload).\(segments[2])")
            } else {
                add("\(title): compact", .valid, compact)
            }
        } else {
            let json = example["output"]["json_flat"].exists ? example["output"]["json_flat"] : example["output"]["json"]
            add("\(title): JSON serialization (no compact form exists)", .valid, try json.jsonText(), deviation: .jsonSerializationUnsupported)
        }
        library.vectors += vectors
        library.declared[file] = vectors.count
    }
}
