import LayabAuth

/// Where LayabAuth and joserfc legitimately differ. A case marked with one of these agrees when each library
/// gives the outcome stated here; every one is listed in docs/conformance.md, "Differential testing against joserfc".
enum PolicyDifference: String, CaseIterable, Sendable, Hashable {
    case base64Padding = "base64url padding"
    case duplicateMembers = "duplicate member names"
    case nonUTF8JSON = "JSON not in UTF-8"
    case nonStandardNumbers = "NaN, Infinity, overflowing numbers"
    case loneSurrogate = "lone surrogate escapes"
    case nestingDepth = "nesting deeper than 64"
    case numericDateRange = "NumericDate range"
    case booleanNumericDate = "booleans as NumericDate"
    case expiryBoundary = "exp boundary"
    case criticalHeader = "crit"
    case unknownHeaderMember = "unregistered header member"
    case headerValueFormat = "header value formats"
    case headerSize = "header size"
    case tokenSize = "token size"
    case kidlessKeySelection = "kidless key selection"
    case keyWithoutKid = "a key without kid for a token with kid"
    case edwardsAlias = "EdDSA and Ed25519/Ed448 as one algorithm"
    case minimumRSASize = "RSA minimum size"
    case rsaPublicExponent = "RSA public exponent"
    case minimumHMACSize = "HMAC minimum size"

    /// The codes LayabAuth refuses with, or nil when LayabAuth accepts.
    var layabAuthRefusal: Set<LayabAuthError.Code>? {
        switch self {
        case .base64Padding, .duplicateMembers, .nonUTF8JSON, .nonStandardNumbers, .loneSurrogate, .nestingDepth: [.malformed]
        case .numericDateRange, .booleanNumericDate: [.invalidClaim]
        case .expiryBoundary: [.expired]
        case .tokenSize: [.tokenTooLarge]
        case .criticalHeader: [.unsupportedCriticalHeader, .malformed]
        case .unknownHeaderMember, .headerValueFormat, .headerSize, .kidlessKeySelection, .keyWithoutKid, .edwardsAlias: nil
        // The key is skipped when the set is imported, so no key is left for the token.
        case .minimumRSASize, .rsaPublicExponent, .minimumHMACSize: [.keyNotFound]
        }
    }

    /// joserfc's outcome: it accepts exactly where LayabAuth refuses, and the other way round.
    var joserfcAccepts: Bool { layabAuthRefusal != nil }

    /// Whether the two outcomes are the ones this difference documents.
    func holds(layabAuth: LibraryVerdict, joserfc: LibraryVerdict) -> Bool {
        guard joserfc.accepted == joserfcAccepts else { return false }
        guard let refusal = layabAuthRefusal else { return layabAuth.accepted }
        return !layabAuth.accepted && layabAuth.code.map(refusal.contains) == true
    }

    /// "LayabAuth rejects with malformed, joserfc accepts".
    var outcomes: String {
        let layabAuth = layabAuthRefusal.map { "rejects with \($0.map(\.rawValue).sorted().joined(separator: " or "))" } ?? "accepts"
        return "LayabAuth \(layabAuth), joserfc \(joserfcAccepts ? "accepts" : "rejects")"
    }

    /// One line for the summary: who accepts and why LayabAuth does what it does.
    var rationale: String {
        switch self {
        case .base64Padding: "RFC 7515 §2 base64url has no padding; joserfc's decoder accepts '=' (even '====')"
        case .duplicateMembers: "RFC 7515 §5.2 lets a parser refuse duplicates; Python's json keeps the last, so two readers can disagree on alg/kid/exp"
        case .nonUTF8JSON: "RFC 7515 §7.1 and RFC 8259 §8.1: UTF-8 without a BOM; Python's json.loads guesses UTF-16/32 and skips a BOM"
        case .nonStandardNumbers: "RFC 8259 has no NaN or Infinity; Python's json reads them and turns 1e400 into inf"
        case .loneSurrogate: "an unpaired \\uD800 is not a Unicode scalar (RFC 8259 §8.2); Python keeps it"
        case .nestingDepth: "LayabAuth caps JSON nesting at 64 levels; Python recurses up to ~1000"
        case .numericDateRange: "LayabAuth refuses dates beyond ±10^11 s (year 5138); joserfc takes any number"
        case .booleanNumericDate: "RFC 7519 §2 NumericDate is a number; Python's bool is an int, so joserfc reads false as 0"
        case .expiryBoundary: "RFC 7519 §4.1.4: the token must be refused on or after exp (+ leeway); joserfc accepts at exactly exp + leeway"
        case .criticalHeader: "LayabAuth implements no JWS extension and refuses every crit (and an empty crit as malformed); joserfc accepts crit naming registered members"
        case .unknownHeaderMember: "RFC 7515 §4: unknown header parameters are ignored; joserfc refuses them by default (strict_check_header)"
        case .headerValueFormat: "LayabAuth never uses x5u/jku and ignores their form; joserfc refuses an x5u that is not an http(s) URL"
        case .tokenSize: "LayabAuth refuses tokens over 16 KiB before decoding (maximumTokenSize); joserfc allows payload segments up to 128,000 bytes"
        case .headerSize: "joserfc refuses header segments over 512 bytes; LayabAuth bounds the whole token (16 KiB)"
        case .kidlessKeySelection: "without kid, LayabAuth uses the one key that fits alg; joserfc needs a set of exactly one key"
        case .keyWithoutKid: "when no key carries the token's kid, LayabAuth lets keys without a kid stand in (one that fits); joserfc matches kid exactly"
        case .edwardsAlias: "RFC 9864: a key marked EdDSA verifies Ed25519/Ed448 tokens of its curve and back; joserfc holds the key's alg to the exact name"
        case .minimumRSASize: "RFC 7518 §3.3: RSA keys of at least 2048 bits; joserfc warns and accepts"
        case .rsaPublicExponent: "FIPS 186-5: 2^16 < e < 2^256; joserfc accepts e = 3"
        case .minimumHMACSize: "RFC 7518 §3.2: an HMAC key at least as long as the hash; joserfc warns below 112 bits and accepts"
        }
    }
}
