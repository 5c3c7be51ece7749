import LayabAuth
import Testing

/// Which library minted a token.
enum Minter: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case joserfc
    case layabAuth = "LayabAuth"

    var description: String { rawValue }
}

/// How a case was derived from a valid token: the rows of the counts in docs/conformance.md.
enum MutationKind: String, CaseIterable, Sendable, Hashable {
    case valid = "valid"
    case bitFlipHeader = "bit flip in the header"
    case bitFlipPayload = "bit flip in the payload"
    case bitFlipSignature = "bit flip in the signature"
    case characterSubstitution = "character substituted"
    case swappedSegments = "swapped segments"
    case truncation = "truncation"
    case signatureLength = "signature length"
    case malleability = "signature malleability"
    case padding = "padding added"
    case segmentCount = "segment count"
    case whitespace = "whitespace in the token"
    case alphabet = "base64 alphabet"
    case algNone = "alg none"
    case reencodedHeader = "re-encoded header"
    case kidChanged = "kid changed"
    case algChanged = "alg changed"
    case algConfusion = "alg confusion (HS256 keyed with the public key)"
    case keySelection = "key selection"
    case claims = "claims"
    case payloadEncoding = "payload encoding"
    case keyPolicy = "key policy"
}

enum Verdict: String, Sendable, Hashable {
    case accepted, rejected
}

/// What a case must come to.
enum Expectation: Sendable, Hashable {
    /// Both libraries must reach this verdict.
    case both(Verdict)
    /// A documented difference: each library must behave as ``PolicyDifference`` says.
    case policy(PolicyDifference)
}

/// Which JWK Set a case is verified against.
enum KeyStyle: Sendable, Hashable {
    /// The minter's public key with `alg` (the profile's algorithm) and `use: sig`, as identity providers publish it.
    case bound
    /// The same key without `alg`: only the allowed algorithms and the key type limit what it verifies.
    case unbound
    /// The bound key and a second key of another type (or an HMAC secret bound to another algorithm).
    case withSecondKey
    /// The bound key without its `kid`.
    case withoutKid
    /// The bound key with `use` replaced by `enc`.
    case forEncryption
    /// The bound key with these `key_ops` (RFC 7517 §4.3).
    case operations([String])
}

/// One token for both libraries to judge.
struct DifferentialCase: Sendable {
    let profile: String
    let minter: Minter
    let kind: MutationKind
    let label: String
    let token: String
    let jwks: JSONValue
    let expectation: Expectation

    var name: String { "\(profile) · minted by \(minter) · \(kind.rawValue) · \(label)" }
}

/// One library's verdict on a case.
struct LibraryVerdict: Sendable, CustomStringConvertible {
    let accepted: Bool
    /// LayabAuth's error code, when it refused.
    let code: LayabAuthError.Code?
    let detail: String

    var description: String { accepted ? "accepted" : "rejected (\(detail))" }
}

/// A case with both verdicts.
struct JudgedCase: Sendable {
    let testCase: DifferentialCase
    let layabAuth: LibraryVerdict
    let joserfc: LibraryVerdict

    /// The verdicts agree, or differ exactly as the documented policy says.
    var agrees: Bool {
        switch testCase.expectation {
        case .both: layabAuth.accepted == joserfc.accepted
        case let .policy(policy): policy.holds(layabAuth: layabAuth, joserfc: joserfc)
        }
    }

    /// Both libraries reached the verdict the mutation calls for (two libraries agreeing to accept a forgery is
    /// no comfort).
    var asIntended: Bool {
        switch testCase.expectation {
        case let .both(verdict): agrees && layabAuth.accepted == (verdict == .accepted)
        case .policy: agrees
        }
    }

    /// What went wrong, with the case name and both verdicts; nil when nothing did.
    var problem: String? {
        if asIntended { return nil }
        let expected: String = switch testCase.expectation {
        case let .both(verdict): "both \(verdict.rawValue)"
        case let .policy(policy): "policy \"\(policy.rawValue)\": \(policy.outcomes)"
        }
        let same = layabAuth.accepted == joserfc.accepted
        let headline = switch testCase.expectation {
        case .both: same ? "BOTH WRONG (the same verdict, not the one the mutation calls for)" : "DISAGREEMENT"
        case .policy: same ? "POLICY NO LONGER HOLDS (both \(layabAuth.accepted ? "accept" : "reject"))" : "DISAGREEMENT (not the documented one)"
        }
        return """
            \(headline) in \(testCase.name)
              expected: \(expected)
              LayabAuth: \(layabAuth)
              joserfc:   \(joserfc)
              token: \(testCase.token.prefix(400))
            """
    }
}
