import LayabAuth
import Testing

/// What the vector's source says about it. For `acceptable`, either verdict conforms.
enum VectorResult: String, Sendable, CaseIterable {
    case valid, invalid, acceptable
}

/// One parameterised test runs each family.
enum VectorFamily: String, Sendable, CaseIterable {
    case rsaPKCS1, rsaPSS, ecdsa, eddsa, hmac
    case jsonWebSignature, jsonWebKey, jsonWebCrypto
    case rfc7515, joseCookbook
}

/// How a key for the raw primitive is given.
enum KeyEncoding: Sendable {
    /// JWK text.
    case jwk(String)
    /// DER SubjectPublicKeyInfo (for Wycheproof groups that carry no JWK).
    case subjectPublicKeyInfo([UInt8])
}

/// How a vector is checked, always through LayabAuth's public API.
enum VectorCheck: Sendable {
    /// `VerificationKey.verifySignature(_:over:algorithm:)`: raw JWS signature shapes (r‖s for ECDSA).
    case signature(key: KeyEncoding, algorithm: Algorithm, message: [UInt8], signature: [UInt8])
    /// An HMAC tag under `VerificationKey(hmacSecret:algorithm:)`, a secret the application configured.
    case mac(secret: [UInt8], algorithm: Algorithm, message: [UInt8], tag: [UInt8])
    /// `Verifier.verifySignature(_:)` (the payload may be anything) with a JWK or JWK Set the application
    /// configured, every algorithm allowed.
    case jws(token: String, keys: String)
    /// `Verifier.verify(_:)`: signature and claims, with the clock fixed at `now`.
    case jwt(token: String, keys: String, now: Double)
}

/// A rejection the suite insists on: the error code, and words that the error message or the reason a key
/// was skipped contains (so that a vector about a bad key is refused because of the key).
struct ExpectedRejection: Sendable, CustomStringConvertible {
    let code: LayabAuthError.Code
    let containing: String?

    init(_ code: LayabAuthError.Code, _ containing: String? = nil) {
        self.code = code
        self.containing = containing
    }

    var description: String { containing.map { "\(code.rawValue) mentioning \"\($0)\"" } ?? code.rawValue }
}

/// One vector from a shared file, named in failures by file, tcId and comment.
struct ConformanceVector: Sendable, CustomTestStringConvertible {
    /// Path inside the test vector folder.
    let file: String
    /// Wycheproof's tcId; for RFC and cookbook examples, the position in the file set.
    let tcId: Int
    let comment: String
    let result: VectorResult
    let flags: [String]
    let family: VectorFamily
    let check: VectorCheck
    /// Set when LayabAuth deliberately disagrees with `result` (listed in docs/conformance.md).
    var deviation: Deviation? = nil
    /// Set when the reason of a rejection matters, e.g. the key must be refused rather than the signature.
    var pinned: ExpectedRejection? = nil

    var testDescription: String {
        let flagText = flags.isEmpty ? "" : " " + flags.joined(separator: ",")
        return "\(file) tcId \(tcId) [\(result.rawValue)\(flagText)] \(comment)"
    }
}

/// What LayabAuth did with a vector.
struct Outcome: Sendable, CustomStringConvertible {
    let accepted: Bool
    /// The error, when LayabAuth refused by throwing (nil when a signature simply did not match).
    let error: LayabAuthError?
    /// Why keys of the key set were skipped while loading it.
    let skippedKeys: [String]

    static let accepted = Outcome(accepted: true, error: nil, skippedKeys: [])
    static func rejected(_ error: LayabAuthError?, skippedKeys: [String] = []) -> Outcome {
        Outcome(accepted: false, error: error, skippedKeys: skippedKeys)
    }

    /// "accepted", "rejected (signature mismatch)" or "rejected (code: message)".
    var description: String {
        if accepted { return "accepted" }
        var text = error.map { "rejected (\($0.code.rawValue): \($0.message))" } ?? "rejected (signature mismatch)"
        if !skippedKeys.isEmpty { text += "; skipped keys: " + skippedKeys.joined(separator: " | ") }
        return text
    }

    /// Whether this is the rejection `expected` describes.
    func matches(_ expected: ExpectedRejection) -> Bool {
        guard !accepted, let error, error.code == expected.code else { return false }
        guard let words = expected.containing else { return true }
        return error.message.contains(words) || skippedKeys.contains { $0.contains(words) }
    }
}

extension ConformanceVector {
    /// The configuration for JWS-level vectors: every algorithm, no claim requirement (payloads are not JSON).
    static let jwsConfiguration = VerifierConfiguration(algorithms: Set(Algorithm.allCases), requiredClaims: [])

    /// Runs the vector through LayabAuth.
    func evaluate() -> Outcome {
        switch check {
        case let .signature(encoding, algorithm, message, signature):
            return Self.verifyPrimitive(encoding, algorithm: algorithm, message: message, signature: signature)
        case let .mac(secret, algorithm, message, tag):
            do {
                let key = try VerificationKey(hmacSecret: secret, algorithm: algorithm)
                return try key.verifySignature(tag, over: message, algorithm: algorithm) ? .accepted : .rejected(nil)
            } catch {
                return .rejected(error)
            }
        case let .jws(token, keys):
            return Self.verifyToken(token, keys: keys) { (verifier: Verifier) throws(LayabAuthError) in _ = try verifier.verifySignature(token) }
        case let .jwt(token, keys, now):
            return Self.verifyToken(token, keys: keys, now: now) { (verifier: Verifier) throws(LayabAuthError) in _ = try verifier.verify(token) }
        }
    }

    /// The raw primitive with the key imported from `encoding`.
    static func verifyPrimitive(_ encoding: KeyEncoding, algorithm: Algorithm, message: [UInt8], signature: [UInt8]) -> Outcome {
        do {
            let key = try importKey(encoding)
            return try key.verifySignature(signature, over: message, algorithm: algorithm) ? .accepted : .rejected(nil)
        } catch {
            return .rejected(error)
        }
    }

    static func importKey(_ encoding: KeyEncoding) throws(LayabAuthError) -> VerificationKey {
        switch encoding {
        case let .jwk(text): try VerificationKey(jwkJSON: text)
        case let .subjectPublicKeyInfo(der): try VerificationKey(subjectPublicKeyInfo: der)
        }
    }

    private static func verifyToken(_ token: String, keys: String, now: Double? = nil,
                                    _ body: (Verifier) throws(LayabAuthError) -> Void) -> Outcome
    {
        let keySet: KeySet
        do { keySet = try KeySet(jwksJSON: keys, origin: .configured) } catch { return .rejected(error) }
        let skipped = keySet.skipped.map(\.description)
        var configuration = jwsConfiguration
        if let now {
            configuration.requiredClaims = ["exp"]
            configuration.clock = { now }
        }
        do {
            try body(try Verifier(keys: keySet, configuration: configuration))
            return Outcome(accepted: true, error: nil, skippedKeys: skipped)
        } catch {
            return .rejected(error, skippedKeys: skipped)
        }
    }
}

/// Records an issue when `outcome` does not conform to what the vector (or its documented deviation) requires.
func expectConformance(_ vector: ConformanceVector, _ outcome: Outcome, sourceLocation: SourceLocation = #_sourceLocation) {
    if let deviation = vector.deviation {
        switch deviation.expected {
        case .accepted:
            #expect(outcome.accepted, "deviation \(deviation.rawValue): LayabAuth accepts this vector, got \(outcome)", sourceLocation: sourceLocation)
        case let .rejected(expected):
            #expect(outcome.matches(expected), "deviation \(deviation.rawValue): expected \(expected), got \(outcome)", sourceLocation: sourceLocation)
        }
        return
    }
    switch vector.result {
    case .valid:
        #expect(outcome.accepted, "a valid vector was refused: \(outcome)", sourceLocation: sourceLocation)
    case .invalid:
        #expect(!outcome.accepted, "an invalid vector was accepted", sourceLocation: sourceLocation)
    case .acceptable:
        break
    }
    if let pinned = vector.pinned {
        #expect(outcome.matches(pinned), "expected \(pinned), got \(outcome)", sourceLocation: sourceLocation)
    }
}

/// Whether `outcome` conforms, for the summary (the same rules as ``expectConformance``).
func conforms(_ vector: ConformanceVector, _ outcome: Outcome) -> Bool {
    if let deviation = vector.deviation {
        switch deviation.expected {
        case .accepted: return outcome.accepted
        case let .rejected(expected): return outcome.matches(expected)
        }
    }
    let verdictConforms = switch vector.result {
    case .valid: outcome.accepted
    case .invalid: !outcome.accepted
    case .acceptable: true
    }
    return verdictConforms && (vector.pinned.map(outcome.matches) ?? true)
}
