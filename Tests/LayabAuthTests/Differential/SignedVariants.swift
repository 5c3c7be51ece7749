import LayabAuth

/// What a minter is asked to sign.
enum SigningRequest: Sendable {
    /// The library's ordinary API: a header object and the payload text; the library writes the segments.
    case compact(header: JSONObject, payload: String)
    /// Exact segments (`BASE64URL(header).BASE64URL(payload)`, possibly padded) signed with `algorithm`.
    case raw(algorithm: Algorithm, signingInput: String)
    /// HS256 keyed with the profile's public key in PEM: the algorithm-confusion forgery (RFC 8725 §2.1).
    case confusion(signingInput: String)
}

/// A token whose signature is right for what it says: the header or claims vary, and the minter signs them.
struct SignedVariant: Sendable {
    let kind: MutationKind
    let label: String
    let request: SigningRequest
    let keys: KeyStyle
    let expectation: Expectation
}

/// The signed variants of one profile. The first is always the valid token made through each library's own API.
enum SignedVariants {
    /// The verifiers' clock: 2027-01-15T08:00:00Z.
    static let now: Int64 = 1_800_000_000
    static let leeway: Int64 = 30

    static let baselineClaims = #"{"sub":"alice","iat":\#(now - 10),"exp":\#(now + 600)}"#

    /// RFC 8037's example Ed25519 public key, embedded as a header `jwk` that no verifier may use.
    static let embeddedJWK = #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#

    static func make(for profile: DifferentialProfile) -> [SignedVariant] {
        let alg = profile.algorithm.rawValue, kid = profile.kid
        let baseline = SignedVariant(
            kind: profile.keyPolicy == nil ? .valid : .keyPolicy, label: "signed through the library's API",
            request: .compact(header: JSONObject([("alg", .string(alg)), ("typ", "JWT"), ("kid", .string(kid))]), payload: baselineClaims),
            keys: .bound, expectation: profile.keyPolicy.map(Expectation.policy) ?? .both(.accepted))
        if profile.keyPolicy != nil { return [baseline] }
        return [baseline] + headers(profile) + kids(profile) + algorithms(profile) + keySelection(profile) + claims(profile) + payloads(profile)
    }

    // MARK: Building blocks

    /// A variant signed over exact header and payload bytes.
    static func raw(_ kind: MutationKind, _ label: String, header: [UInt8], payload: [UInt8] = Array(baselineClaims.utf8),
                    algorithm: Algorithm, keys: KeyStyle = .bound, _ expectation: Expectation) -> SignedVariant
    {
        SignedVariant(kind: kind, label: label, request: .raw(algorithm: algorithm, signingInput: Base64URL.encode(header) + "." + Base64URL.encode(payload)),
                      keys: keys, expectation: expectation)
    }

    static func standardHeader(_ profile: DifferentialProfile) -> String {
        #"{"alg":"\#(profile.algorithm.rawValue)","typ":"JWT","kid":"\#(profile.kid)"}"#
    }

    /// `text` with spaces added until its base64url form needs padding, then padded with '='.
    static func paddedSegment(_ text: String) -> String {
        var bytes = Array(text.utf8)
        while bytes.count % 3 == 0 { bytes.insert(0x20, at: bytes.count - 1) }
        let segment = Base64URL.encode(bytes)
        return segment + String(repeating: "=", count: (4 - segment.utf8.count % 4) % 4)
    }

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        text.utf16.flatMap { unit in bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    }

    // MARK: Headers

    static func headers(_ profile: DifferentialProfile) -> [SignedVariant] {
        let alg = profile.algorithm.rawValue, kid = profile.kid, a = profile.algorithm
        let standard = standardHeader(profile)
        func header(_ label: String, _ text: String, _ expectation: Expectation) -> SignedVariant {
            raw(.reencodedHeader, label, header: Array(text.utf8), algorithm: a, expectation)
        }
        func header(_ label: String, bytes: [UInt8], _ expectation: Expectation) -> SignedVariant {
            raw(.reencodedHeader, label, header: bytes, algorithm: a, expectation)
        }
        let first = String(alg.unicodeScalars.first?.value ?? 0, radix: 16, uppercase: true)
        let escapedAlg = "\\u" + String(repeating: "0", count: 4 - first.count) + first + String(alg.dropFirst())
        let paddedHeader = paddedSegment(standard)
        return [
            header("members in reverse order", #"{"kid":"\#(kid)","typ":"JWT","alg":"\#(alg)"}"#, .both(.accepted)),
            header("whitespace between the members", "{ \"alg\" : \"\(alg)\" ,\n\t\"typ\" : \"JWT\" ,\r\n \"kid\":\"\(kid)\" }", .both(.accepted)),
            header("whitespace around the object", "\n \(standard) \t", .both(.accepted)),
            header("\\u escapes in a name and in alg", #"{"\u0061lg":"\#(escapedAlg)","typ":"at\u002Bjwt","kid":"\#(kid)"}"#, .both(.accepted)),
            header("alg alone (no typ, no kid)", #"{"alg":"\#(alg)"}"#, .both(.accepted)),
            header("typ at+jwt (RFC 9068)", #"{"alg":"\#(alg)","typ":"at+jwt","kid":"\#(kid)"}"#, .both(.accepted)),
            header("embedded jwk of another key (never used)", #"{"alg":"\#(alg)","kid":"\#(kid)","jwk":\#(embeddedJWK)}"#, .both(.accepted)),
            header("jku pointing elsewhere (never fetched)", #"{"alg":"\#(alg)","kid":"\#(kid)","jku":"https://attacker.example/jwks.json"}"#, .both(.accepted)),
            header("kid given twice", #"{"alg":"\#(alg)","kid":"k-other","kid":"\#(kid)"}"#, .policy(.duplicateMembers)),
            header("alg given twice, none first", #"{"alg":"none","alg":"\#(alg)","kid":"\#(kid)"}"#, .policy(.duplicateMembers)),
            header("UTF-8 byte order mark", bytes: [0xEF, 0xBB, 0xBF] + Array(standard.utf8), .policy(.nonUTF8JSON)),
            header("UTF-16LE", bytes: utf16(standard, bigEndian: false), .policy(.nonUTF8JSON)),
            header("UTF-16BE", bytes: utf16(standard, bigEndian: true), .policy(.nonUTF8JSON)),
            header("crit lists kid", #"{"alg":"\#(alg)","kid":"\#(kid)","crit":["kid"]}"#, .policy(.criticalHeader)),
            header("crit empty", #"{"alg":"\#(alg)","kid":"\#(kid)","crit":[]}"#, .policy(.criticalHeader)),
            header("b64 true, critical", #"{"alg":"\#(alg)","kid":"\#(kid)","b64":true,"crit":["b64"]}"#, .policy(.criticalHeader)),
            header("crit lists an extension that is present", #"{"alg":"\#(alg)","kid":"\#(kid)","exp":\#(now),"crit":["exp"]}"#, .both(.rejected)),
            header("crit lists a member that is absent", #"{"alg":"\#(alg)","kid":"\#(kid)","crit":["x-missing"]}"#, .both(.rejected)),
            header("b64 false without crit", #"{"alg":"\#(alg)","kid":"\#(kid)","b64":false}"#, .both(.rejected)),
            header("unregistered member", #"{"alg":"\#(alg)","kid":"\#(kid)","x-request-id":"42"}"#, .policy(.unknownHeaderMember)),
            header("x5u that is not a URL", #"{"alg":"\#(alg)","kid":"\#(kid)","x5u":"not a url"}"#, .policy(.headerValueFormat)),
            header("typ of 600 characters (segment over 512)", #"{"alg":"\#(alg)","typ":"\#(String(repeating: "x", count: 600))","kid":"\#(kid)"}"#, .policy(.headerSize)),
            header("lone surrogate in typ", #"{"alg":"\#(alg)","typ":"\ud800","kid":"\#(kid)"}"#, .policy(.loneSurrogate)),
            SignedVariant(kind: .reencodedHeader, label: "header segment padded with '='",
                          request: .raw(algorithm: a, signingInput: paddedHeader + "." + Base64URL.encode(Array(baselineClaims.utf8))),
                          keys: .bound, expectation: .policy(.base64Padding)),
            header("kid is a number", #"{"alg":"\#(alg)","kid":7}"#, .both(.rejected)),
            header("typ is a number", #"{"alg":"\#(alg)","typ":1,"kid":"\#(kid)"}"#, .both(.rejected)),
            header("alg in lower case", #"{"alg":"\#(alg.lowercased())","kid":"\#(kid)"}"#, .both(.rejected)),
            header("alg null", #"{"alg":null,"kid":"\#(kid)"}"#, .both(.rejected)),
            header("no alg", #"{"typ":"JWT","kid":"\#(kid)"}"#, .both(.rejected)),
            header("an array, not an object", #"["alg","\#(alg)"]"#, .both(.rejected)),
            header("data after the object", standard + "x", .both(.rejected)),
            header("invalid UTF-8 in typ", bytes: Array(#"{"alg":"\#(alg)","typ":""#.utf8) + [0xFF, 0xFE] + Array(#"","kid":"\#(kid)"}"#.utf8), .both(.rejected)),
            header("raw control character in typ", #"{"alg":"\#(alg)","typ":"J\#u{01}WT","kid":"\#(kid)"}"#, .both(.rejected)),
        ]
    }

    static func kids(_ profile: DifferentialProfile) -> [SignedVariant] {
        let alg = profile.algorithm.rawValue, kid = profile.kid
        func kidHeader(_ label: String, _ value: String) -> SignedVariant {
            raw(.kidChanged, label, header: Array(#"{"alg":"\#(alg)","typ":"JWT","kid":"\#(value)"}"#.utf8), algorithm: profile.algorithm, .both(.rejected))
        }
        return [
            kidHeader("kid not in the key set", kid + "-unknown"),
            kidHeader("kid in upper case", kid.uppercased()),
            kidHeader("kid with a trailing space", kid + " "),
            kidHeader("kid empty", ""),
            raw(.kidChanged, "kid written with a \\u escape", header: Array(#"{"alg":"\#(alg)","typ":"JWT","kid":"\u006B\#(kid.dropFirst())"}"#.utf8),
                algorithm: profile.algorithm, .both(.accepted)),
        ]
    }

    static func algorithms(_ profile: DifferentialProfile) -> [SignedVariant] {
        var variants: [SignedVariant] = []
        let kid = profile.kid
        if let alternative = profile.alternative {
            let header = Array(#"{"alg":"\#(alternative.rawValue)","typ":"JWT","kid":"\#(kid)"}"#.utf8)
            let bound: Expectation = profile.algorithm.family == .eddsa ? .policy(.edwardsAlias) : .both(.rejected)
            variants.append(raw(.algChanged, "re-signed as \(alternative), key bound to \(profile.algorithm)", header: header,
                                algorithm: alternative, keys: .bound, bound))
            variants.append(raw(.algChanged, "re-signed as \(alternative), key without alg", header: header,
                                algorithm: alternative, keys: .unbound, .both(.accepted)))
        }
        if profile.isAsymmetric {
            let input = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT","kid":"\#(kid)"}"#.utf8)) + "." + Base64URL.encode(Array(baselineClaims.utf8))
            for keys in [KeyStyle.bound, .unbound] {
                variants.append(SignedVariant(kind: .algConfusion, label: keys == .bound ? "key bound to \(profile.algorithm)" : "key without alg",
                                              request: .confusion(signingInput: input), keys: keys, expectation: .both(.rejected)))
            }
        }
        return variants
    }

    static func keySelection(_ profile: DifferentialProfile) -> [SignedVariant] {
        let alg = profile.algorithm.rawValue
        return [
            raw(.keySelection, "no kid, one key of a set of two fits", header: Array(#"{"alg":"\#(alg)","typ":"JWT"}"#.utf8),
                algorithm: profile.algorithm, keys: .withSecondKey, .policy(.kidlessKeySelection)),
            raw(.keySelection, "kid, set of two keys", header: Array(standardHeader(profile).utf8), algorithm: profile.algorithm,
                keys: .withSecondKey, .both(.accepted)),
            raw(.keySelection, "no kid, a set of one key", header: Array(#"{"alg":"\#(alg)"}"#.utf8), algorithm: profile.algorithm,
                keys: .unbound, .both(.accepted)),
            raw(.keySelection, "kid in the token, the only key has none", header: Array(standardHeader(profile).utf8), algorithm: profile.algorithm,
                keys: .withoutKid, .policy(.keyWithoutKid)),
            raw(.keySelection, "the key says use: enc", header: Array(standardHeader(profile).utf8), algorithm: profile.algorithm,
                keys: .forEncryption, .both(.rejected)),
            raw(.keySelection, "the key's key_ops are [sign]", header: Array(standardHeader(profile).utf8), algorithm: profile.algorithm,
                keys: .operations(["sign"]), .both(.rejected)),
            raw(.keySelection, "the key's key_ops are [verify]", header: Array(standardHeader(profile).utf8), algorithm: profile.algorithm,
                keys: .operations(["verify"]), .both(.accepted)),
        ]
    }

    // MARK: Claims and payloads

    static func claims(_ profile: DifferentialProfile) -> [SignedVariant] {
        let header = Array(standardHeader(profile).utf8)
        func claim(_ label: String, _ text: String, _ expectation: Expectation) -> SignedVariant {
            raw(.claims, label, header: header, payload: Array(text.utf8), algorithm: profile.algorithm, expectation)
        }
        let n = now, l = leeway
        return [
            claim("exp missing (both require it)", #"{"sub":"alice","iat":\#(n - 10)}"#, .both(.rejected)),
            claim("exp an hour ago", #"{"sub":"alice","exp":\#(n - 3600)}"#, .both(.rejected)),
            claim("exp = now - leeway - 1", #"{"sub":"alice","exp":\#(n - l - 1)}"#, .both(.rejected)),
            claim("exp = now - leeway", #"{"sub":"alice","exp":\#(n - l)}"#, .policy(.expiryBoundary)),
            claim("exp = now - leeway + 1", #"{"sub":"alice","exp":\#(n - l + 1)}"#, .both(.accepted)),
            claim("exp with a fraction", #"{"sub":"alice","exp":\#(n + 60).5}"#, .both(.accepted)),
            claim("exp in exponent form", #"{"sub":"alice","exp":1.8000006e9}"#, .both(.accepted)),
            claim("exp just below 10^11", #"{"sub":"alice","exp":99999999999}"#, .both(.accepted)),
            claim("exp = 10^12", #"{"sub":"alice","exp":1000000000000}"#, .policy(.numericDateRange)),
            claim("exp = 10^30", #"{"sub":"alice","exp":1000000000000000000000000000000}"#, .policy(.numericDateRange)),
            claim("exp negative", #"{"sub":"alice","exp":-1}"#, .both(.rejected)),
            claim("exp a string", #"{"sub":"alice","exp":"\#(n + 600)"}"#, .both(.rejected)),
            claim("exp true", #"{"sub":"alice","exp":true}"#, .both(.rejected)),
            claim("exp null", #"{"sub":"alice","exp":null}"#, .both(.rejected)),
            claim("exp an array", #"{"sub":"alice","exp":[\#(n + 600)]}"#, .both(.rejected)),
            claim("exp Infinity", #"{"sub":"alice","exp":Infinity}"#, .policy(.nonStandardNumbers)),
            claim("exp NaN", #"{"sub":"alice","exp":NaN}"#, .policy(.nonStandardNumbers)),
            claim("exp 1e400", #"{"sub":"alice","exp":1e400}"#, .policy(.nonStandardNumbers)),
            claim("exp given twice, expired first", #"{"exp":\#(n - 3600),"sub":"alice","exp":\#(n + 600)}"#, .policy(.duplicateMembers)),
            claim("exp given twice, expired last", #"{"exp":\#(n + 600),"sub":"alice","exp":\#(n - 3600)}"#, .both(.rejected)),
            claim("nbf = now + leeway + 1", #"{"sub":"alice","nbf":\#(n + l + 1),"exp":\#(n + 600)}"#, .both(.rejected)),
            claim("nbf = now + leeway", #"{"sub":"alice","nbf":\#(n + l),"exp":\#(n + 600)}"#, .both(.accepted)),
            claim("nbf false", #"{"sub":"alice","nbf":false,"exp":\#(n + 600)}"#, .policy(.booleanNumericDate)),
            claim("nbf a string", #"{"sub":"alice","nbf":"0","exp":\#(n + 600)}"#, .both(.rejected)),
            claim("iat = now + leeway + 1", #"{"sub":"alice","iat":\#(n + l + 1),"exp":\#(n + 600)}"#, .both(.rejected)),
            claim("iat = now + leeway", #"{"sub":"alice","iat":\#(n + l),"exp":\#(n + 600)}"#, .both(.accepted)),
            claim("exp written as \\u0065xp", #"{"sub":"alice","\u0065xp":\#(n + 600)}"#, .both(.accepted)),
            claim("non-ASCII subject", #"{"sub":"Zoë 東京 🎫","exp":\#(n + 600)}"#, .both(.accepted)),
            claim("iss, aud, scope and nested objects", #"{"iss":"https://issuer.example","aud":["api","other"],"scope":"read write","cnf":{"jkt":"abc"},"exp":\#(n + 600)}"#, .both(.accepted)),
            claim("lone surrogate in sub", #"{"sub":"\udc00","exp":\#(n + 600)}"#, .policy(.loneSurrogate)),
            claim("payload of 20 KB (token over 16 KiB)", #"{"sub":"alice","pad":"\#(String(repeating: "x", count: 20_000))","exp":\#(n + 600)}"#,
                  .policy(.tokenSize)),
            claim("claim nested 100 levels deep", #"{"ext":\#(String(repeating: "[", count: 100))\#(String(repeating: "]", count: 100)),"exp":\#(n + 600)}"#, .policy(.nestingDepth)),
        ]
    }

    static func payloads(_ profile: DifferentialProfile) -> [SignedVariant] {
        let header = Array(standardHeader(profile).utf8)
        func payload(_ label: String, _ bytes: [UInt8], _ expectation: Expectation) -> SignedVariant {
            raw(.payloadEncoding, label, header: header, payload: bytes, algorithm: profile.algorithm, expectation)
        }
        let claims = baselineClaims
        return [
            payload("pretty-printed", Array("{\n  \"sub\": \"alice\",\n  \"exp\": \(now + 600)\n}\n".utf8), .both(.accepted)),
            payload("UTF-8 byte order mark", [0xEF, 0xBB, 0xBF] + Array(claims.utf8), .policy(.nonUTF8JSON)),
            payload("UTF-16LE", utf16(claims, bigEndian: false), .policy(.nonUTF8JSON)),
            payload("a JSON array", Array("[\(now + 600)]".utf8), .both(.rejected)),
            payload("a JSON string", Array(#""alice""#.utf8), .both(.rejected)),
            payload("null", Array("null".utf8), .both(.rejected)),
            payload("not JSON", Array("hello".utf8), .both(.rejected)),
            payload("empty", [], .both(.rejected)),
            payload("data after the object", Array((claims + "x").utf8), .both(.rejected)),
            payload("invalid UTF-8 in sub", Array(#"{"sub":""#.utf8) + [0xC3, 0x28] + Array(#"","exp":\#(now + 600)}"#.utf8), .both(.rejected)),
            payload("raw control character in sub", Array("{\"sub\":\"a\u{7}b\",\"exp\":\(now + 600)}".utf8), .both(.rejected)),
            SignedVariant(kind: .payloadEncoding, label: "payload segment padded with '='",
                          request: .raw(algorithm: profile.algorithm, signingInput: Base64URL.encode(header) + "." + paddedSegment(claims)),
                          keys: .bound, expectation: .policy(.base64Padding)),
        ]
    }
}
