import Foundation
import LayabAuth

/// Wycheproof's whole-token files: `json_web_signature_test.json`, `json_web_key_test.json` and
/// `json_web_crypto_test.json` (JWS and JWE vectors side by side).
enum JOSEVectors {
    /// A vector whose outcome the suite states precisely. `comment` guards against a renumbered file.
    struct Annotation {
        let comment: String
        var pinned: ExpectedRejection? = nil
        var deviation: Deviation? = nil
    }

    static let jsonWebSignatureAnnotations: [Int: Annotation] = {
        var table: [Int: Annotation] = [
            16: Annotation(comment: "rejectsNoneAlgorithmAndMissingSignature", pinned: ExpectedRejection(.unsupportedAlgorithm, "\"none\"")),
            17: Annotation(comment: "rejectsValidJsonSerialization", pinned: ExpectedRejection(.malformed, "JSON serialization")),
            31: Annotation(comment: "rejectsSymmetryConfusionAttacks_aesKeyFromEcVerificationKeyBytes",
                           pinned: ExpectedRejection(.invalidKey, "cannot verify this token")),
            32: Annotation(comment: "rejectsAttackerProvidedEmbeddedJwk", pinned: ExpectedRejection(.badSignature)),
            346: Annotation(comment: "Figure20", deviation: .keyAlgorithmDiffersFromHeader),
            347: Annotation(comment: "Figure27", deviation: .keyAlgorithmNotJWS),
            350: Annotation(comment: "Figure20", deviation: .keyAlgorithmDiffersFromHeader),
            351: Annotation(comment: "Figure27", deviation: .keyAlgorithmNotJWS),
            353: Annotation(comment: "rejectWrongUse", pinned: ExpectedRejection(.keyNotFound, "use is \"enc\"")),
            354: Annotation(comment: "rejectWrongUse", pinned: ExpectedRejection(.keyNotFound, "use is \"enc\"")),
            355: Annotation(comment: "rejectWrongKeyOps", pinned: ExpectedRejection(.invalidKey, "key_ops")),
            356: Annotation(comment: "rejectWrongKeyOps", pinned: ExpectedRejection(.invalidKey, "key_ops")),
            367: Annotation(comment: "invalidBase64Padding", deviation: .vectorIdenticalToValidVector),
            370: Annotation(comment: "invalidBase64PaddingInPayload", deviation: .vectorIdenticalToValidVector),
            372: Annotation(comment: "InvalidCharacterInsertedInHeader", deviation: .base64CharacterOutsideAlphabet),
            373: Annotation(comment: "InvalidCharacterInsertedInPayload", deviation: .base64CharacterOutsideAlphabet),
        ]
        for tcId in 341...344 { table[tcId] = Annotation(comment: "algIsNone", pinned: ExpectedRejection(.unsupportedAlgorithm, "never accepted")) }
        // The base64 group: every malformed encoding is refused while decoding, before any key is used.
        let base64: [Int: String] = [
            360: "rejectsSpacesInMac", 361: "rejectsInvalidCharacterInsertedInMac", 362: "rejectsInvalidCharacterInsertedInMac",
            363: "rejects0ReplacedbyInvalidCharacter", 364: "rejectsInvalidCharacters", 365: "spacesInHeader",
            366: "invalidCharactersInHeader", 368: "spacesInPayload", 369: "invalidCharactersInPayload",
            371: "InvalidCharacterInPayload", 374: "ModifiedUnusedBitsInPayload", 375: "MacOfIncorrectlyEncodedMessage",
        ]
        for (tcId, comment) in base64 { table[tcId] = Annotation(comment: comment, pinned: ExpectedRejection(.malformed, "base64url")) }
        // ES256 special cases: wrong length, r or s out of range, or a well-formed mismatch.
        for tcId in 379...401 { table[tcId] = Annotation(comment: "", pinned: ExpectedRejection(.badSignature)) }
        return table
    }()

    static let jsonWebKeyAnnotations: [Int: Annotation] = [
        1: Annotation(comment: "rejectsValid", pinned: ExpectedRejection(.keyNotFound, "mixes")),
        3: Annotation(comment: "rejectsModifiedSignature", pinned: ExpectedRejection(.badSignature)),
        4: Annotation(comment: "rejectsDuplicateKid", pinned: ExpectedRejection(.keyNotFound, "kid \"kid-aes-sign\" is shared")),
        6: Annotation(comment: "rejectsWrongUse", pinned: ExpectedRejection(.keyNotFound, "use is \"enc\"")),
        7: Annotation(comment: "rejectsKeyWithRocaVulnerability", pinned: ExpectedRejection(.keyNotFound, "ROCA")),
        8: Annotation(comment: "rejects1024bitRsaKey", pinned: ExpectedRejection(.keyNotFound, "at least 2048")),
        9: Annotation(comment: "rejectsPublicExponent1", pinned: ExpectedRejection(.keyNotFound, "public exponent")),
        10: Annotation(comment: "key_too_short", pinned: ExpectedRejection(.keyNotFound, "RFC 7518 §3.2")),
        11: Annotation(comment: "key_too_short", pinned: ExpectedRejection(.keyNotFound, "RFC 7518 §3.2")),
        12: Annotation(comment: "key_too_short", pinned: ExpectedRejection(.keyNotFound, "RFC 7518 §3.2")),
        16: Annotation(comment: "empty_key", pinned: ExpectedRejection(.keyNotFound, "\"k\" is empty")),
        17: Annotation(comment: "empty_key", pinned: ExpectedRejection(.keyNotFound, "\"k\" is empty")),
        18: Annotation(comment: "empty_key", pinned: ExpectedRejection(.keyNotFound, "\"k\" is empty")),
        19: Annotation(comment: "mismatchedAlgAndCurve", pinned: ExpectedRejection(.keyNotFound, "ES521")),
        20: Annotation(comment: "mismatchedAlgAndCurve", pinned: ExpectedRejection(.keyNotFound, "ES224")),
        21: Annotation(comment: "rejectsModifiedKey", pinned: ExpectedRejection(.keyNotFound, "use is \"enc\"")),
        22: Annotation(comment: "rejectsModifiedKey", pinned: ExpectedRejection(.keyNotFound, "not on P-256")),
        23: Annotation(comment: "rejectsModifiedKey", pinned: ExpectedRejection(.keyNotFound, "coordinates must be 48 bytes")),
        24: Annotation(comment: "rejectsModifiedKey", pinned: ExpectedRejection(.keyNotFound, "\"n\" is missing")),
        25: Annotation(comment: "rejectsAesKey", pinned: ExpectedRejection(.keyNotFound, "A256GCM")),
        26: Annotation(comment: "rejectsAesKey", pinned: ExpectedRejection(.keyNotFound, "A256KW")),
    ]

    static let jsonWebCryptoAnnotations: [Int: Annotation] = [
        16: Annotation(comment: "rejectsNoneAlgorithmAndMissingSignature", pinned: ExpectedRejection(.unsupportedAlgorithm, "\"none\"")),
        17: Annotation(comment: "rejectsValidJsonSerialization", pinned: ExpectedRejection(.malformed, "JSON serialization")),
        31: Annotation(comment: "rejectsSymmetryConfusionAttacks_aesKeyFromEcVerificationKeyBytes",
                       pinned: ExpectedRejection(.invalidKey, "cannot verify this token")),
        32: Annotation(comment: "rejectsAttackerProvidedEmbeddedJwk", pinned: ExpectedRejection(.badSignature)),
        46: Annotation(comment: "rejectsKeyWithRocaVulnerability", pinned: ExpectedRejection(.keyNotFound, "ROCA")),
        47: Annotation(comment: "rejectsValid", pinned: ExpectedRejection(.keyNotFound, "mixes")),
        49: Annotation(comment: "rejectsModifiedSignature", pinned: ExpectedRejection(.badSignature)),
        50: Annotation(comment: "acceptsValid", deviation: .encryptedTokenUnsupported),
        67: Annotation(comment: "acceptsValid", deviation: .encryptedTokenUnsupported),
    ]

    static func loadJSONWebSignature(_ file: String, into library: inout VectorLibrary) throws {
        try loadTokens(file, family: .jsonWebSignature, annotations: jsonWebSignatureAnnotations, into: &library)
        // tcIds 367 and 370 are documented as byte-identical to tcId 357; should that change, so must the deviation.
        let tokens = Dictionary(library.vectors.filter { $0.file == file }.compactMap { vector -> (Int, String)? in
            if case let .jws(token, _) = vector.check { (vector.tcId, token) } else { nil }
        }, uniquingKeysWith: { first, _ in first })
        for tcId in [367, 370] where tokens[tcId] != tokens[357] {
            library.problems.append("\(file): tcId \(tcId) no longer equals tcId 357; revisit the vectorIdenticalToValidVector deviation")
        }
    }

    static func loadJSONWebKey(_ file: String, into library: inout VectorLibrary) throws {
        try loadTokens(file, family: .jsonWebKey, annotations: jsonWebKeyAnnotations, into: &library)
    }

    static func loadJSONWebCrypto(_ file: String, into library: inout VectorLibrary) throws {
        try loadTokens(file, family: .jsonWebCrypto, annotations: jsonWebCryptoAnnotations, into: &library)
    }

    /// Each test's `jws` (or `jwe`) checked with the group's `public` key document, or `private` without its private members.
    private static func loadTokens(_ file: String, family: VectorFamily, annotations: [Int: Annotation], into library: inout VectorLibrary) throws {
        let (_, groups) = try WycheproofVectors.document(file, into: &library)
        for group in groups {
            let keyNode = group["public"].exists ? group["public"] : group["private"]
            let keys = try keyNode.jsonText(removing: JSONNode.privateKeyMembers)
            for test in try group["tests"].array() {
                let isEncrypted = test["jwe"].exists
                let tokenNode = isEncrypted ? test["jwe"] : test["jws"]
                let token = try (tokenNode.value as? String) ?? tokenNode.jsonText()
                var vector = ConformanceVector(
                    file: file, tcId: try test["tcId"].int(), comment: try test["comment"].string(), result: try WycheproofVectors.result(test["result"]),
                    flags: try test["flags"].strings(), family: family, check: .jws(token: token, keys: keys))
                if isEncrypted, vector.result == .invalid {
                    // LayabAuth never decrypts: it must say why it refuses, by the shape of the token.
                    vector.pinned = token.hasPrefix("{") ? ExpectedRejection(.malformed, "JSON serialization")
                        : token.filter { $0 == "." }.count == 4 ? ExpectedRejection(.encryptedTokenUnsupported) : ExpectedRejection(.malformed)
                }
                if let annotation = annotations[vector.tcId] {
                    if !annotation.comment.isEmpty, annotation.comment != vector.comment {
                        library.problems.append("\(file): tcId \(vector.tcId) is \"\(vector.comment)\", the suite expects \"\(annotation.comment)\"")
                    }
                    vector.pinned = annotation.pinned ?? vector.pinned
                    vector.deviation = annotation.deviation
                }
                library.vectors.append(vector)
            }
        }
    }
}
