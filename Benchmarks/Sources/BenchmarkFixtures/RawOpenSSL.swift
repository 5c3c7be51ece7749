internal import CBenchOpenSSL
import LayabAuth

/// The primitive under a token verification, called as OpenSSL documents it, with the key imported and the
/// digest fetched once beforehand: the limit a JWT library on OpenSSL can approach.
///
/// Per operation: `EVP_MD_CTX_new`, `EVP_DigestVerifyInit` (plus the RSA-PSS padding parameters), one-shot
/// `EVP_DigestVerify` over the same signing input and signature bytes the token carries, `EVP_MD_CTX_free`.
/// ECDSA signatures are converted to DER once, outside the loop. HMAC: a keyed `EVP_MAC_CTX` duplicated
/// per operation, `EVP_MAC_update`, `EVP_MAC_final`, `CRYPTO_memcmp`.
///
/// `@unchecked Sendable`: the key, digest and template are only read after `init`, as OpenSSL allows.
public final class RawVerifier: @unchecked Sendable {
    public let name: String
    private let key: OpaquePointer?
    private let digest: OpaquePointer?
    private let pss: Bool
    private let signature: [UInt8]
    private let message: [UInt8]
    private let macTemplate: OpaquePointer?
    private let macLength: Int

    public init(_ fixture: AlgorithmFixture) {
        name = fixture.name
        message = fixture.signingInput
        pss = fixture.algorithm.family == .rsaPSS
        digest = fetchDigest(fixture.algorithm.hash)
        if let secret = fixture.secret {
            key = nil
            signature = fixture.signature
            macTemplate = keyedHMACSHA256(secret)
            macLength = 32
        } else {
            guard let pem = fixture.verificationKey.pem else { fatalError("no PEM for \(fixture.name)") }
            key = Array(pem.utf8).withUnsafeBytes { bytes in
                let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count))
                defer { BIO_free(bio) }
                return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
            }
            precondition(key != nil, "PEM_read_bio_PUBKEY")
            signature = fixture.algorithm.family == .ecdsa ? Self.der(fromRaw: fixture.signature) : fixture.signature
            macTemplate = nil
            macLength = 0
        }
        precondition(verify(), "the raw \(name) verification refuses the fixture")
    }

    deinit {
        EVP_PKEY_free(key)
        EVP_MD_free(digest)
        EVP_MAC_CTX_free(macTemplate)
    }

    /// One verification; true when the signature matches.
    public func verify() -> Bool {
        if let macTemplate { return verifyMAC(macTemplate) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        guard EVP_DigestVerifyInit(context, &keyContext, digest, nil, key) == 1 else { return false }
        if pss {
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) == 1 else { return false }
        }
        return signature.withUnsafeBufferPointer { signature in
            message.withUnsafeBufferPointer { message in
                EVP_DigestVerify(context, signature.baseAddress, signature.count, message.baseAddress, message.count) == 1
            }
        }
    }

    private func verifyMAC(_ template: OpaquePointer) -> Bool {
        guard let context = EVP_MAC_CTX_dup(template) else { return false }
        defer { EVP_MAC_CTX_free(context) }
        var output = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &output) { output in
            var length = 0
            guard message.withUnsafeBufferPointer({ EVP_MAC_update(context, $0.baseAddress, $0.count) }) == 1,
                  EVP_MAC_final(context, output.baseAddress?.assumingMemoryBound(to: UInt8.self), &length, output.count) == 1,
                  length == macLength else { return false }
            return signature.withUnsafeBytes { CRYPTO_memcmp($0.baseAddress, output.baseAddress, length) } == 0
        }
    }

    /// DER `ECDSA-Sig-Value` from JWS r‖s, through OpenSSL's own encoder.
    static func der(fromRaw raw: [UInt8]) -> [UInt8] {
        let half = raw.count / 2
        let r = raw[..<half].withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        let s = raw[half...].withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        let sig = ECDSA_SIG_new()
        defer { ECDSA_SIG_free(sig) }
        ECDSA_SIG_set0(sig, r, s)
        var out: UnsafeMutablePointer<UInt8>?
        let length = i2d_ECDSA_SIG(sig, &out)
        precondition(length > 0, "i2d_ECDSA_SIG")
        defer { CRYPTO_free(out, #fileID, #line) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }
}

/// The same primitive with every context set up once and reused, single-threaded: the floor under any
/// library on OpenSSL 3.0, and the technique LayabAuth's context pools use.
///
/// RSA and ECDSA: `EVP_DigestInit_ex2`/`Update`/`Final` on one digest context, then `EVP_PKEY_verify` on
/// one `EVP_PKEY_CTX` initialised with the digest (and PSS padding). EdDSA: `EVP_MD_CTX_copy_ex` from a
/// context initialised once, then `EVP_DigestVerify`. HMAC: one keyed context restarted with
/// `EVP_MAC_init(ctx, NULL, 0, NULL)`.
///
/// `@unchecked Sendable`: used by one benchmark on one thread.
public final class RawReusedVerifier: @unchecked Sendable {
    public let name: String
    private let digest: OpaquePointer?
    private let digestContext: OpaquePointer?
    private let keyContext: OpaquePointer?
    private let template: OpaquePointer?
    private let macContext: OpaquePointer?
    private let signature: [UInt8]
    private let message: [UInt8]
    private let key: OpaquePointer?

    public init(_ fixture: AlgorithmFixture) {
        name = fixture.name
        message = fixture.signingInput
        digest = fetchDigest(fixture.algorithm.hash)
        if let secret = fixture.secret {
            key = nil
            digestContext = nil
            keyContext = nil
            template = nil
            signature = fixture.signature
            macContext = keyedHMACSHA256(secret)
        } else {
            guard let pem = fixture.verificationKey.pem else { fatalError("no PEM for \(fixture.name)") }
            let key = Array(pem.utf8).withUnsafeBytes { bytes in
                let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count))
                defer { BIO_free(bio) }
                return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
            }
            self.key = key
            macContext = nil
            signature = fixture.algorithm.family == .ecdsa ? RawVerifier.der(fromRaw: fixture.signature) : fixture.signature
            digestContext = EVP_MD_CTX_new()
            if fixture.algorithm.family == .eddsa {
                keyContext = nil
                let template = EVP_MD_CTX_new()
                precondition(EVP_DigestVerifyInit(template, nil, nil, nil, key) == 1, "EVP_DigestVerifyInit")
                self.template = template
            } else {
                template = nil
                let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil)
                precondition(EVP_PKEY_verify_init(context) == 1 && EVP_PKEY_CTX_set_signature_md(context, digest) == 1, "EVP_PKEY_verify_init")
                if fixture.algorithm.family == .rsaPSS {
                    precondition(EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PSS_PADDING) == 1
                        && EVP_PKEY_CTX_set_rsa_pss_saltlen(context, RSA_PSS_SALTLEN_DIGEST) == 1, "PSS")
                }
                keyContext = context
            }
        }
        precondition(verify(), "the reused-context \(name) verification refuses the fixture")
    }

    deinit {
        EVP_PKEY_free(key)
        EVP_MD_free(digest)
        EVP_MD_CTX_free(digestContext)
        EVP_MD_CTX_free(template)
        EVP_PKEY_CTX_free(keyContext)
        EVP_MAC_CTX_free(macContext)
    }

    public func verify() -> Bool {
        var output = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &output) { output in
            let bytes = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return signature.withUnsafeBufferPointer { signature in
                message.withUnsafeBufferPointer { message in
                    if let macContext {
                        var length = 0
                        guard EVP_MAC_init(macContext, nil, 0, nil) == 1, EVP_MAC_update(macContext, message.baseAddress, message.count) == 1,
                              EVP_MAC_final(macContext, bytes, &length, 64) == 1, length == signature.count else { return false }
                        return CRYPTO_memcmp(bytes, signature.baseAddress, length) == 0
                    }
                    if let template {
                        guard EVP_MD_CTX_copy_ex(digestContext, template) == 1 else { return false }
                        return EVP_DigestVerify(digestContext, signature.baseAddress, signature.count, message.baseAddress, message.count) == 1
                    }
                    var length: UInt32 = 0
                    guard EVP_DigestInit_ex2(digestContext, digest, nil) == 1, EVP_DigestUpdate(digestContext, message.baseAddress, message.count) == 1,
                          EVP_DigestFinal_ex(digestContext, bytes, &length) == 1 else { return false }
                    return EVP_PKEY_verify(keyContext, signature.baseAddress, signature.count, bytes, Int(length)) == 1
                }
            }
        }
    }
}

/// An HMAC-SHA256 context keyed with `secret`, as OpenSSL documents it (`EVP_MAC_init` with the digest name).
func keyedHMACSHA256(_ secret: [UInt8]) -> OpaquePointer? {
    let mac = EVP_MAC_fetch(nil, "HMAC", nil)
    let context = EVP_MAC_CTX_new(mac)
    EVP_MAC_free(mac)
    let status = "SHA256".withCString { name in
        [OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, UnsafeMutablePointer(mutating: name), 0), OSSL_PARAM_construct_end()]
            .withUnsafeBufferPointer { params in
                secret.withUnsafeBufferPointer { EVP_MAC_init(context, $0.baseAddress, $0.count, params.baseAddress) }
            }
    }
    precondition(status == 1, "EVP_MAC_init")
    return context
}

/// The algorithm's digest, fetched once (nil for EdDSA, which hashes inside the signature).
func fetchDigest(_ hash: HashFunction?) -> OpaquePointer? {
    switch hash {
    case .sha256?: EVP_MD_fetch(nil, "SHA256", nil)
    case .sha384?: EVP_MD_fetch(nil, "SHA384", nil)
    case .sha512?: EVP_MD_fetch(nil, "SHA512", nil)
    case nil: nil
    }
}
