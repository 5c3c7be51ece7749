internal import COpenSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The single Swift owner of an OpenSSL `EVP_PKEY`.
///
/// `@unchecked Sendable`: the key is never modified after construction, and OpenSSL 3 documents
/// `EVP_PKEY` objects as safe to use from several threads at once for read-only operations
/// (signing, verification, parameter export).
final class OpenSSLKey: @unchecked Sendable {
    let pointer: OpaquePointer
    /// Verification contexts set up for this key, reused across verifications (thread-safe on its own).
    let verifyContexts = ContextPool<VerifyMode, OpenSSLVerifyContext>()

    private init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }

    enum Kind: Equatable {
        case rsa, rsaPSS, ec, ed25519, ed448, other(Int32)
    }

    var kind: Kind {
        switch EVP_PKEY_get_base_id(pointer) {
        case EVP_PKEY_RSA: .rsa
        case EVP_PKEY_RSA_PSS: .rsaPSS
        case EVP_PKEY_EC: .ec
        case EVP_PKEY_ED25519: .ed25519
        case EVP_PKEY_ED448: .ed448
        case let id: .other(id)
        }
    }

    var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    // MARK: Import from components

    static func rsaPublic(modulus: [UInt8], exponent: [UInt8]) throws -> OpenSSLKey {
        let parameters = try OpenSSLParameterBuilder()
        parameters.push(OSSL_PKEY_PARAM_RSA_N, bigEndian: modulus)
        parameters.push(OSSL_PKEY_PARAM_RSA_E, bigEndian: exponent)
        return try fromData(type: "RSA", selection: layab_EVP_PKEY_PUBLIC_KEY(), parameters)
    }

    struct RSAPrivateComponents {
        var n, e, d: [UInt8]
        var p, q, dp, dq, qi: [UInt8]?
    }

    static func rsaPrivate(_ c: RSAPrivateComponents) throws -> OpenSSLKey {
        let parameters = try OpenSSLParameterBuilder()
        parameters.push(OSSL_PKEY_PARAM_RSA_N, bigEndian: c.n)
        parameters.push(OSSL_PKEY_PARAM_RSA_E, bigEndian: c.e)
        parameters.push(OSSL_PKEY_PARAM_RSA_D, bigEndian: c.d)
        if let p = c.p, let q = c.q, let dp = c.dp, let dq = c.dq, let qi = c.qi {
            parameters.push("rsa-factor1", bigEndian: p)
            parameters.push("rsa-factor2", bigEndian: q)
            parameters.push("rsa-exponent1", bigEndian: dp)
            parameters.push("rsa-exponent2", bigEndian: dq)
            parameters.push("rsa-coefficient1", bigEndian: qi)
        }
        return try fromData(type: "RSA", selection: layab_EVP_PKEY_KEYPAIR(), parameters)
    }

    /// An EC public key from affine coordinates. OpenSSL refuses points that are not on the curve.
    static func ecPublic(curve: Curve, x: [UInt8], y: [UInt8], privateScalar: [UInt8]? = nil) throws -> OpenSSLKey {
        let parameters = try OpenSSLParameterBuilder()
        parameters.push(OSSL_PKEY_PARAM_GROUP_NAME, utf8: curve.openSSLName)
        parameters.push(OSSL_PKEY_PARAM_PUB_KEY, octets: [0x04] + x + y)
        if let privateScalar { parameters.push(OSSL_PKEY_PARAM_PRIV_KEY, bigEndian: privateScalar) }
        let selection = privateScalar == nil ? layab_EVP_PKEY_PUBLIC_KEY() : layab_EVP_PKEY_KEYPAIR()
        let key = try fromData(type: "EC", selection: selection, parameters)
        try key.checkPublic()
        return key
    }

    static func edwardsPublic(curve: Curve, raw: [UInt8]) throws -> OpenSSLKey {
        let type = curve == .ed448 ? EVP_PKEY_ED448 : EVP_PKEY_ED25519
        guard let pointer = raw.withUnsafeBufferPointer({ EVP_PKEY_new_raw_public_key(type, nil, $0.baseAddress, $0.count) }) else {
            throw OpenSSLError.drain("EVP_PKEY_new_raw_public_key")
        }
        return OpenSSLKey(taking: pointer)
    }

    static func edwardsPrivate(curve: Curve, raw: [UInt8]) throws -> OpenSSLKey {
        let type = curve == .ed448 ? EVP_PKEY_ED448 : EVP_PKEY_ED25519
        guard let pointer = raw.withUnsafeBufferPointer({ EVP_PKEY_new_raw_private_key(type, nil, $0.baseAddress, $0.count) }) else {
            throw OpenSSLError.drain("EVP_PKEY_new_raw_private_key")
        }
        return OpenSSLKey(taking: pointer)
    }

    private static func fromData(type: String, selection: Int32, _ parameters: OpenSSLParameterBuilder) throws -> OpenSSLKey {
        try parameters.withParameters { params in
            // The context keeps the pointer to its key type name: the C string must outlive the context.
            try type.withCString { typeName in
                guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else { throw OpenSSLError.drain("EVP_PKEY_CTX_new_from_name") }
                defer { EVP_PKEY_CTX_free(context) }
                var pointer: OpaquePointer?
                guard EVP_PKEY_fromdata_init(context) == 1, EVP_PKEY_fromdata(context, &pointer, selection, params) == 1, let pointer else {
                    throw OpenSSLError.drain("importing the \(type) key")
                }
                return OpenSSLKey(taking: pointer)
            }
        }
    }

    /// Full public-key validation (for EC: on the curve, not the point at infinity, correct order).
    func checkPublic() throws {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else { throw OpenSSLError.drain("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_public_check(context) == 1 else { throw OpenSSLError.drain("public key check") }
    }

    // MARK: Import from encodings

    /// A SubjectPublicKeyInfo in DER.
    static func fromSubjectPublicKeyInfo(der: [UInt8]) throws -> OpenSSLKey {
        try der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let pointer = d2i_PUBKEY(nil, &cursor, buffer.count) else { throw OpenSSLError.drain("decoding the public key (DER)") }
            let key = OpenSSLKey(taking: pointer)
            guard cursor == buffer.baseAddress.map({ $0 + buffer.count }) else {
                throw OpenSSLError(operation: "decoding the public key (DER)", reasons: ["trailing data"])
            }
            return key
        }
    }

    enum PEMContent {
        case publicKey(OpenSSLKey)
        case privateKey(OpenSSLKey)
        case certificate(OpenSSLCertificate)
    }

    /// The first PEM object in `text`: a public key, a private key or an X.509 certificate.
    static func fromPEM(_ text: String) throws -> PEMContent {
        let bytes = Array(text.utf8)
        func withBIO<T>(_ body: (OpaquePointer) -> T?) throws -> T? {
            try bytes.withUnsafeBytes { raw in
                guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { throw OpenSSLError.drain("BIO_new_mem_buf") }
                defer { BIO_free(bio) }
                return body(bio)
            }
        }
        if text.contains("-----BEGIN CERTIFICATE-----") {
            guard let x509 = try withBIO({ PEM_read_bio_X509($0, nil, nil, nil) }) else { throw OpenSSLError.drain("reading the PEM certificate") }
            return .certificate(OpenSSLCertificate(taking: x509))
        }
        if text.contains("PRIVATE KEY-----") {
            guard let key = try withBIO({ PEM_read_bio_PrivateKey($0, nil, nil, nil) }) else { throw OpenSSLError.drain("reading the PEM private key") }
            return .privateKey(OpenSSLKey(taking: key))
        }
        if text.contains("-----BEGIN PUBLIC KEY-----") {
            guard let key = try withBIO({ PEM_read_bio_PUBKEY($0, nil, nil, nil) }) else { throw OpenSSLError.drain("reading the PEM public key") }
            return .publicKey(OpenSSLKey(taking: key))
        }
        throw OpenSSLError(operation: "reading PEM", reasons: ["no PUBLIC KEY, PRIVATE KEY or CERTIFICATE block found"])
    }

    static func adopting(_ pointer: OpaquePointer) -> OpenSSLKey { OpenSSLKey(taking: pointer) }

    // MARK: Generation

    static func generateRSA(bits: Int) throws -> OpenSSLKey {
        try generate(type: "RSA") { EVP_PKEY_CTX_set_rsa_keygen_bits($0, Int32(bits)) == 1 }
    }

    static func generateEC(curve: Curve) throws -> OpenSSLKey {
        try generate(type: "EC") { EVP_PKEY_CTX_set_group_name($0, curve.openSSLName) == 1 }
    }

    static func generateEdwards(curve: Curve) throws -> OpenSSLKey {
        try generate(type: curve == .ed448 ? "ED448" : "ED25519") { _ in true }
    }

    private static func generate(type: String, configure: (OpaquePointer) -> Bool) throws -> OpenSSLKey {
        // The context keeps the pointer to its key type name: the C string must outlive the context.
        try type.withCString { typeName in
            guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else { throw OpenSSLError.drain("EVP_PKEY_CTX_new_from_name") }
            defer { EVP_PKEY_CTX_free(context) }
            var pointer: OpaquePointer?
            guard EVP_PKEY_keygen_init(context) == 1, configure(context), EVP_PKEY_generate(context, &pointer) == 1, let pointer else {
                throw OpenSSLError.drain("generating a \(type) key")
            }
            return OpenSSLKey(taking: pointer)
        }
    }

    // MARK: Export

    func bigNumberParameter(_ name: String, width: Int? = nil) -> [UInt8]? {
        var bn: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pointer, name, &bn) == 1, let bn else {
            OpenSSLError.clear()
            return nil
        }
        defer { BN_clear_free(bn) }
        return bigNumberBytes(bn, width: width)
    }

    var rsaModulus: [UInt8]? { bigNumberParameter(OSSL_PKEY_PARAM_RSA_N) }
    var rsaExponent: [UInt8]? { bigNumberParameter(OSSL_PKEY_PARAM_RSA_E) }

    var curve: Curve? {
        switch kind {
        case .ed25519: return .ed25519
        case .ed448: return .ed448
        case .ec:
            var buffer = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_utf8_string_param(pointer, OSSL_PKEY_PARAM_GROUP_NAME, &buffer, buffer.count, &length) == 1 else {
                OpenSSLError.clear()
                return nil
            }
            let name = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return Curve.allCases.first { $0.openSSLName == name || (name == "P-256" && $0 == .p256) }
        default: return nil
        }
    }

    /// The affine coordinates of an EC public key, each padded to the curve's size.
    func ecCoordinates(curve: Curve) -> (x: [UInt8], y: [UInt8])? {
        guard let x = bigNumberParameter(OSSL_PKEY_PARAM_EC_PUB_X, width: curve.coordinateByteCount),
              let y = bigNumberParameter(OSSL_PKEY_PARAM_EC_PUB_Y, width: curve.coordinateByteCount) else { return nil }
        return (x, y)
    }

    var rawPublicKey: [UInt8]? { rawKey(EVP_PKEY_get_raw_public_key) }

    var rawPrivateKey: [UInt8]? { rawKey(EVP_PKEY_get_raw_private_key) }

    /// A raw key (EdDSA, X25519) from one of OpenSSL's two-call getters: the length first, then the bytes.
    private func rawKey(_ get: (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?) -> Int32) -> [UInt8]? {
        var length = 0
        guard get(pointer, nil, &length) == 1 else { OpenSSLError.clear(); return nil }
        var bytes = [UInt8](repeating: 0, count: length)
        guard get(pointer, &bytes, &length) == 1 else { OpenSSLError.clear(); return nil }
        return Array(bytes.prefix(length))
    }

    /// SubjectPublicKeyInfo, DER.
    var subjectPublicKeyInfoDER: [UInt8]? {
        var out: UnsafeMutablePointer<UInt8>?
        let length = i2d_PUBKEY(pointer, &out)
        guard length > 0, let out else { OpenSSLError.clear(); return nil }
        defer { CRYPTO_free(out, #fileID, #line) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }

    /// The public key as PEM ("-----BEGIN PUBLIC KEY-----").
    var publicKeyPEM: String? { pem { PEM_write_bio_PUBKEY($0, pointer) } }

    /// The private key as PKCS#8 PEM.
    var privateKeyPEM: String? { pem { PEM_write_bio_PrivateKey($0, pointer, nil, nil, 0, nil, nil) } }

    var hasPrivateKey: Bool {
        switch kind {
        case .ed25519, .ed448: return rawPrivateKey != nil
        case .rsa, .rsaPSS: return bigNumberParameter(OSSL_PKEY_PARAM_RSA_D) != nil
        case .ec: return bigNumberParameter(OSSL_PKEY_PARAM_PRIV_KEY) != nil
        case .other: return false
        }
    }

    /// Whether two keys hold the same public key.
    func samePublicKey(as other: OpenSSLKey) -> Bool {
        let result = EVP_PKEY_eq(pointer, other.pointer) == 1
        OpenSSLError.clear()
        return result
    }

    private func pem(_ write: (OpaquePointer) -> Int32) -> String? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { OpenSSLError.clear(); return nil }
        return readBIO(bio)
    }
}

/// Reads the whole content of a memory BIO as UTF-8.
func readBIO(_ bio: OpaquePointer) -> String {
    var data: UnsafeMutablePointer<CChar>?
    let length = layab_BIO_get_mem_data(bio, &data)
    guard length > 0, let data else { return "" }
    return data.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
}
