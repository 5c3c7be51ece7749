import Foundation

extension VerificationKey {
    /// Imports a public JWK (RFC 7517, RFC 7518 §6, RFC 8037).
    ///
    /// Private members are ignored; the key is validated (EC points on their curve, RSA size and exponent,
    /// HMAC length), an `alg` must name a JWS algorithm LayabAuth implements that fits the key, and when
    /// `x5c` is present the certificate's key must equal the JWK's.
    /// - Throws: ``LayabAuthError`` with code `invalid_key` saying what is wrong with the key.
    public init(jwk: JSONObject, origin: Origin = .configured, policy: KeyPolicy = .default) throws(LayabAuthError) {
        let reader = JWKReader(jwk: jwk)
        let kid = try reader.optionalString("kid")
        let algorithm = try reader.optionalString("alg")
        let use = try reader.optionalString("use")
        let keyOperations = try reader.optionalStringArray("key_ops")
        guard let ktyValue = jwk["kty"] else { throw reader.invalid("\"kty\" is missing") }
        guard let kty = ktyValue.stringValue else { throw reader.invalid("\"kty\" is \(ktyValue.typeName), not a string") }
        if let algorithm, Algorithm.isNone(algorithm) { throw reader.invalid("the key's alg is \"\(algorithm)\"") }
        // RFC 7517 §4.4: alg names the one algorithm the key is for; a key for anything else cannot verify a JWS.
        if let algorithm, Algorithm.named(algorithm) == nil { throw reader.invalid(Self.unknownAlgorithm(algorithm)) }

        let certificate = try reader.certificateChain()
        var metadata: [(String, JSONValue)] = []
        if let kid { metadata.append(("kid", .string(kid))) }
        if let algorithm { metadata.append(("alg", .string(algorithm))) }
        if let use { metadata.append(("use", .string(use))) }
        if let keyOperations { metadata.append(("key_ops", .array(keyOperations.map(JSONValue.string)))) }
        if let x5c = jwk["x5c"] { metadata.append(("x5c", x5c)) }

        switch kty {
        case "RSA":
            var notes: [String] = []
            let modulus = try reader.unsignedInteger("n", notes: &notes)
            let exponent = try reader.unsignedInteger("e", notes: &notes)
            let key: OpenSSLKey
            do { key = try OpenSSLKey.rsaPublic(modulus: modulus, exponent: exponent) } catch {
                throw reader.invalid("OpenSSL refused the RSA key: \(error)")
            }
            try Self.checkRSA(key, modulus: modulus, exponent: exponent, policy: policy, reader: reader)
            if let certificate { try reader.requireSameKey(certificate.key, key) }
            let members: [(String, JSONValue)] = [("kty", "RSA"), ("n", .string(Base64URL.encode(modulus))), ("e", .string(Base64URL.encode(exponent)))]
            self.init(kid: kid, keyType: .rsa, algorithm: algorithm, use: use, keyOperations: keyOperations, curve: nil, bits: key.bits,
                      thumbprint: Self.thumbprint(members), publicJWK: JSONObject(members + metadata), certificate: certificate?.info,
                      origin: origin, notes: notes, backing: .asymmetric(key))
        case "EC":
            let curve = try reader.curve(allowed: [.p256, .p384, .p521, .secp256k1])
            let published = (x: try reader.bytes("x"), y: try reader.bytes("y"))
            let size = curve.coordinateByteCount
            let wrongLength = "\(curve.rawValue) coordinates must be \(size) bytes (RFC 7518 §6.2.1.2), found x \(published.x.count) and y \(published.y.count)"
            guard published.x.count <= size, published.y.count <= size else { throw reader.invalid(wrongLength + "; a longer coordinate is never read") }
            var notes: [String] = []
            let x = reader.leftPadded(published.x, "x", to: size, rule: "RFC 7518 §6.2.1.2", notes: &notes)
            let y = reader.leftPadded(published.y, "y", to: size, rule: "RFC 7518 §6.2.1.3", notes: &notes)
            let key: OpenSSLKey
            do { key = try OpenSSLKey.ecPublic(curve: curve, x: x, y: y) } catch {
                // A padded point must still be on the curve: dropped zeros are forgiven, other bytes are not.
                let padded = notes.isEmpty ? "" : wrongLength + "; left-padded with zeros, "
                throw reader.invalid("\(padded)the point is not on \(curve.rawValue): \(error)")
            }
            if let certificate { try reader.requireSameKey(certificate.key, key) }
            let members: [(String, JSONValue)] = [("crv", .string(curve.rawValue)), ("kty", "EC"), ("x", .string(Base64URL.encode(x))), ("y", .string(Base64URL.encode(y)))]
            self.init(kid: kid, keyType: .ec, algorithm: algorithm, use: use, keyOperations: keyOperations, curve: curve, bits: key.bits,
                      thumbprint: Self.thumbprint(members), publicJWK: JSONObject(members + metadata), certificate: certificate?.info,
                      origin: origin, notes: notes, backing: .asymmetric(key))
        case "OKP":
            let curve = try reader.curve(allowed: [.ed25519, .ed448])
            let x = try reader.bytes("x")
            guard x.count == curve.coordinateByteCount else {
                throw reader.invalid("an \(curve.rawValue) public key has \(curve.coordinateByteCount) bytes, found \(x.count)")
            }
            let key: OpenSSLKey
            do { key = try OpenSSLKey.edwardsPublic(curve: curve, raw: x) } catch { throw reader.invalid("OpenSSL refused the \(curve.rawValue) key: \(error)") }
            if let certificate { try reader.requireSameKey(certificate.key, key) }
            let members: [(String, JSONValue)] = [("crv", .string(curve.rawValue)), ("kty", "OKP"), ("x", .string(Base64URL.encode(x)))]
            self.init(kid: kid, keyType: .okp, algorithm: algorithm, use: use, keyOperations: keyOperations, curve: curve, bits: key.bits,
                      thumbprint: Self.thumbprint(members), publicJWK: JSONObject(members + metadata), certificate: certificate?.info,
                      origin: origin, backing: .asymmetric(key))
        case "oct":
            let secret = try reader.bytes("k")
            try self.init(hmacSecret: secret, kid: kid, algorithm: algorithm, use: use, keyOperations: keyOperations, origin: origin, metadata: metadata)
        default:
            throw reader.invalid("unsupported key type \"\(kty)\" (expected RSA, EC, OKP or oct)")
        }
        try checkDeclaredAlgorithm()
    }

    /// Parses and imports one JWK given as JSON text.
    public init(jwkJSON text: String, origin: Origin = .configured, policy: KeyPolicy = .default) throws(LayabAuthError) {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { throw LayabAuthError(.invalidKey, "the JWK is not valid JSON: \(error)") }
        guard let object = value.objectValue else { throw LayabAuthError(.invalidKey, "a JWK must be a JSON object, found \(value.typeName)") }
        try self.init(jwk: object, origin: origin, policy: policy)
    }

    /// An HMAC secret the application configured.
    /// - Throws: `invalid_key` when the secret is shorter than the smallest hash it could be used with,
    ///   or than the hash of `algorithm` when given (RFC 7518 §3.2).
    public init(hmacSecret secret: [UInt8], kid: String? = nil, algorithm: Algorithm? = nil) throws(LayabAuthError) {
        var metadata: [(String, JSONValue)] = []
        if let kid { metadata.append(("kid", .string(kid))) }
        if let algorithm { metadata.append(("alg", .string(algorithm.rawValue))) }
        try self.init(hmacSecret: secret, kid: kid, algorithm: algorithm?.rawValue, use: nil, keyOperations: nil, origin: .configured, metadata: metadata)
        try checkDeclaredAlgorithm()
    }

    private init(hmacSecret secret: [UInt8], kid: String?, algorithm: String?, use: String?, keyOperations: [String]?, origin: Origin,
                 metadata: [(String, JSONValue)]) throws(LayabAuthError)
    {
        let minimum = algorithm.flatMap { Algorithm.named($0)?.hash?.byteCount } ?? 32
        guard secret.count >= minimum else {
            let reason = "the HMAC secret has \(secret.count) bytes, at least \(minimum) are required (RFC 7518 §3.2)"
            throw LayabAuthError(.invalidKey, kid.map { "key \"\($0)\": \(reason)" } ?? reason)
        }
        func make(_ hash: HashFunction) throws(LayabAuthError) -> OpenSSLHMACKey? {
            guard secret.count >= hash.byteCount else { return nil }
            do { return try OpenSSLHMACKey(secret: secret, hash: hash) } catch { throw LayabAuthError(.invalidKey, "HMAC key setup failed: \(error)") }
        }
        let members: [(String, JSONValue)] = [("k", .string(Base64URL.encode(secret))), ("kty", "oct")]
        // The public JWK of a secret carries only metadata: the secret itself is never shown.
        self.init(kid: kid, keyType: .oct, algorithm: algorithm, use: use, keyOperations: keyOperations, curve: nil, bits: secret.count * 8,
                  thumbprint: Self.thumbprint(members), publicJWK: JSONObject([("kty", "oct")] + metadata), certificate: nil, origin: origin,
                  backing: .hmac(secretLength: secret.count, sha256: try make(.sha256), sha384: try make(.sha384), sha512: try make(.sha512)))
    }

    /// Refuses a declared `alg` the key cannot serve (an EC P-256 key marked ES384, an RSA key marked ES256,
    /// a secret marked RS256): such a key could never verify a token, and the mistake is best seen at import.
    func checkDeclaredAlgorithm() throws(LayabAuthError) {
        guard let declared = algorithm else { return }
        let reason: String
        if let named = Algorithm.named(declared) {
            guard let mismatch = keyTypeMismatch(with: named) else { return }
            reason = "the key's alg is \(declared), but \(mismatch)"
        } else {
            reason = Self.unknownAlgorithm(declared)
        }
        throw LayabAuthError(.invalidKey, kid.map { "key \"\($0)\": \(reason)" } ?? reason)
    }

    static func unknownAlgorithm(_ name: String) -> String {
        "the key's alg \"\(name)\" is not a JWS signature algorithm LayabAuth implements (\(Algorithm.allCases.map(\.rawValue).joined(separator: ", ")))"
    }

    /// RSA keys: minimum size, a public exponent FIPS 186-5 allows, and no ROCA structure.
    static func checkRSA(_ key: OpenSSLKey, modulus: [UInt8], exponent: [UInt8], policy: KeyPolicy, reader: JWKReader) throws(LayabAuthError) {
        if key.bits < policy.minimumRSABits {
            throw reader.invalid("the RSA key has \(key.bits) bits, at least \(policy.minimumRSABits) are required")
        }
        if let problem = RSAPublicKeyRules.exponentProblem(exponent) { throw reader.invalid(problem) }
        if RSAPublicKeyRules.hasROCAFingerprint(modulus) {
            throw reader.invalid("the RSA modulus has the ROCA structure of Infineon RSALib keys (CVE-2017-15361): it can be factored")
        }
    }

    /// RFC 7638: SHA-256 over the required members, sorted, without whitespace.
    static func thumbprint(_ members: [(String, JSONValue)]) -> String {
        let canonical = JSONValue.object(JSONObject(members.sorted { $0.0 < $1.0 })).jsonText
        let digest = Array(canonical.utf8).withUnsafeBytes { OpenSSLDigest.sha256?.digest($0) } ?? []
        return Base64URL.encode(digest)
    }
}

/// Reads and type-checks the members of one JWK, producing precise `invalid_key` errors.
struct JWKReader {
    let jwk: JSONObject

    func invalid(_ reason: String) -> LayabAuthError {
        let kid = jwk["kid"]?.stringValue
        return LayabAuthError(.invalidKey, kid.map { "key \"\($0)\": \(reason)" } ?? reason)
    }

    func optionalString(_ name: String) throws(LayabAuthError) -> String? {
        guard let value = jwk[name] else { return nil }
        guard let string = value.stringValue else { throw invalid("\"\(name)\" is \(value.typeName), not a string") }
        return string
    }

    func optionalStringArray(_ name: String) throws(LayabAuthError) -> [String]? {
        guard let value = jwk[name] else { return nil }
        guard let array = value.arrayValue else { throw invalid("\"\(name)\" is \(value.typeName), not an array") }
        var strings: [String] = []
        for element in array {
            guard let string = element.stringValue else { throw invalid("\"\(name)\" holds \(element.typeName), not only strings") }
            strings.append(string)
        }
        return strings
    }

    func bytes(_ name: String) throws(LayabAuthError) -> [UInt8] {
        guard let value = jwk[name] else {
            // RFC 7517 §4.7 makes x5c a second statement of the key, RFC 7518 §6 makes the key members required:
            // a certificate alone is refused rather than trusted to stand for members that are not there.
            let alone = jwk["x5c"] == nil ? "" : " (the key members are required beside x5c, RFC 7518 §6; the certificate alone is not used)"
            throw invalid("\"\(name)\" is missing\(alone)")
        }
        guard let string = value.stringValue else { throw invalid("\"\(name)\" is \(value.typeName), not a string") }
        do {
            let bytes = try Base64URL.decode(string)
            if bytes.isEmpty { throw invalid("\"\(name)\" is empty") }
            return bytes
        } catch let error as LayabAuthError {
            throw error
        } catch let error as Base64URL.DecodingError {
            if case let .invalidCharacter(offset, byte) = error, let character = Self.standardBase64Only[byte] {
                // Some providers publish standard base64; saying so beats "not in the alphabet".
                throw invalid("\"\(name)\": RFC 7515 §2 base64url: \(character) is not allowed (offset \(offset)); standard base64 is not base64url")
            }
            throw invalid("\"\(name)\" is not base64url: \(error)")
        } catch {
            throw invalid("\"\(name)\" is not base64url: \(error)")
        }
    }

    /// The characters of standard base64 (RFC 4648 §4) that base64url (§5) does not have.
    private static let standardBase64Only: [UInt8: String] = [
        UInt8(ascii: "+"): "'+'", UInt8(ascii: "/"): "'/'", UInt8(ascii: "="): "'=' padding",
    ]

    /// A Base64urlUInt member (RFC 7518 §2): leading zero bytes, which some providers publish, are removed
    /// with a note, so that sizes, checks and the thumbprint see the number itself.
    func unsignedInteger(_ name: String, notes: inout [String]) throws(LayabAuthError) -> [UInt8] {
        let bytes = try bytes(name)
        let significant = Array(bytes.drop { $0 == 0 })
        if significant.isEmpty { throw invalid("\"\(name)\" is zero") }
        let zeros = bytes.count - significant.count
        if zeros > 0 {
            notes.append("\(name) has \(zeros) leading zero byte\(zeros == 1 ? "" : "s"), removed; RFC 7518 §2 (Base64urlUInt) requires the minimum number of octets")
        }
        return significant
    }

    /// An EC coordinate shorter than the curve's size (a leading zero byte dropped, as some providers publish)
    /// left-padded with zeros, with a note; the caller refuses longer ones and still checks the point.
    func leftPadded(_ coordinate: [UInt8], _ name: String, to size: Int, rule: String, notes: inout [String]) -> [UInt8] {
        guard coordinate.count < size else { return coordinate }
        notes.append("\(name) is \(coordinate.count) bytes, left-padded to \(size); \(rule) requires the full length")
        return [UInt8](repeating: 0, count: size - coordinate.count) + coordinate
    }

    func curve(allowed: [Curve]) throws(LayabAuthError) -> Curve {
        guard let name = try optionalString("crv") else { throw invalid("\"crv\" is missing") }
        guard let curve = Curve(rawValue: name), allowed.contains(curve) else {
            throw invalid("unsupported curve \"\(name)\" (expected \(allowed.map(\.rawValue).joined(separator: ", ")))")
        }
        return curve
    }

    struct Certificate {
        let key: OpenSSLKey
        let info: VerificationKey.CertificateInfo
    }

    /// The first certificate of `x5c` (RFC 7517 §4.7: standard base64 DER), or nil when absent.
    func certificateChain() throws(LayabAuthError) -> Certificate? {
        guard let chain = try optionalStringArray("x5c") else { return nil }
        guard let first = chain.first else { throw invalid("\"x5c\" is empty") }
        guard let der = Data(base64Encoded: first) else { throw invalid("\"x5c\"[0] is not standard base64") }
        do {
            let certificate = try OpenSSLCertificate.fromDER(Array(der))
            let validity = certificate.validity
            return Certificate(
                key: try certificate.publicKey(),
                info: .init(subject: certificate.subject, notBefore: validity?.notBefore, notAfter: validity?.notAfter))
        } catch {
            throw invalid("\"x5c\"[0] is not a usable X.509 certificate: \(error)")
        }
    }

    func requireSameKey(_ certificateKey: OpenSSLKey, _ key: OpenSSLKey) throws(LayabAuthError) {
        guard certificateKey.samePublicKey(as: key) else { throw invalid("the key in \"x5c\" differs from the JWK's own key members") }
    }
}
