internal import COpenSSL

/// How a key verifies: the digest and, for RSA, the padding. One key may serve several (an RSA key
/// without `alg` verifies RS256 and PS256).
struct VerifyMode: Hashable {
    let digest: HashFunction?
    let padding: RSAPadding?
}

/// One verification context, set up once and used by one thread at a time.
///
/// `@unchecked Sendable`: a context passes between threads only through a ``ContextPool``, which hands it
/// to one caller at a time; it is never used by two threads at once.
///
/// OpenSSL 3 spends more on setting up a verification (`EVP_DigestVerifyInit` fetches the signature and
/// digest implementations, allocates and configures contexts) than on an RSA public-key operation's
/// bookkeeping; keeping the set-up contexts saves that cost and about half of OpenSSL's allocations.
///
/// - RSA and ECDSA: a digest context and an `EVP_PKEY_CTX` initialised for `EVP_PKEY_verify` with the
///   signature digest and padding; the message is hashed, then the digest verified. This is exactly what
///   `EVP_DigestVerify` does inside.
/// - EdDSA (a mode without a digest), which has no pre-hashed form in OpenSSL 3.0: a digest-verify context
///   copied from the context's template, initialised once when the context is set up
///   (`EVP_MD_CTX_copy_ex`), then one-shot `EVP_DigestVerify`.
final class OpenSSLVerifyContext: @unchecked Sendable {
    private let digestContext: OpaquePointer
    private let keyContext: OpaquePointer?
    private let digest: OpenSSLDigest?
    private let template: OpenSSLDigestVerifyTemplate?

    /// Sets up a context for `key` in `mode`.
    init(key: OpaquePointer, mode: VerifyMode) throws {
        guard let digestContext = EVP_MD_CTX_new() else { throw OpenSSLError.drain("EVP_MD_CTX_new") }
        guard let hash = mode.digest else {
            do { self.template = try OpenSSLDigestVerifyTemplate(key: key) } catch {
                EVP_MD_CTX_free(digestContext)
                throw error
            }
            self.digestContext = digestContext
            self.keyContext = nil
            self.digest = nil
            return
        }
        guard let digest = OpenSSLDigest.of(hash) else {
            EVP_MD_CTX_free(digestContext)
            throw OpenSSLError(operation: "setting up a verification", reasons: ["no digest"])
        }
        guard let keyContext = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else {
            EVP_MD_CTX_free(digestContext)
            throw OpenSSLError.drain("EVP_PKEY_CTX_new_from_pkey")
        }
        self.digestContext = digestContext
        self.keyContext = keyContext
        self.digest = digest
        self.template = nil
        guard EVP_PKEY_verify_init(keyContext) == 1,
              EVP_PKEY_CTX_set_signature_md(keyContext, digest.pointer) == 1 else {
            throw OpenSSLError.drain("EVP_PKEY_verify_init")
        }
        if mode.padding == .pss {
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) == 1 else {
                throw OpenSSLError.drain("configuring RSA-PSS")
            }
        }
    }

    deinit {
        EVP_MD_CTX_free(digestContext)
        if let keyContext { EVP_PKEY_CTX_free(keyContext) }
    }

    /// Verifies `signature` over `message`; false for a wrong signature, throws when OpenSSL fails to run.
    func verify(signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) throws -> Bool {
        let signatureBytes = signature.baseAddress?.assumingMemoryBound(to: UInt8.self)
        if let template {
            guard EVP_MD_CTX_copy_ex(digestContext, template.context) == 1 else { throw OpenSSLError.drain("EVP_MD_CTX_copy_ex") }
            let result = EVP_DigestVerify(digestContext, signatureBytes, signature.count,
                                          message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
            if result != 1 { OpenSSLError.clear() }
            return result == 1
        }
        guard let keyContext, let digest else { return false }
        // EVP_MAX_MD_SIZE is 64 bytes: a tuple of eight words lives on the stack.
        var hash: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &hash) { hash in
            let output = hash.baseAddress?.assumingMemoryBound(to: UInt8.self)
            var length: UInt32 = 0
            guard EVP_DigestInit_ex2(digestContext, digest.pointer, nil) == 1,
                  EVP_DigestUpdate(digestContext, message.baseAddress, message.count) == 1,
                  EVP_DigestFinal_ex(digestContext, output, &length) == 1 else {
                throw OpenSSLError.drain("hashing the signing input")
            }
            let result = EVP_PKEY_verify(keyContext, signatureBytes, signature.count, output, Int(length))
            if result != 1 { OpenSSLError.clear() }
            return result == 1
        }
    }
}

/// A digest-verify context initialised once, which per-operation contexts copy (EdDSA).
///
/// Owned by one ``OpenSSLVerifyContext``: after `init` it is only read, as the source of `EVP_MD_CTX_copy_ex`.
final class OpenSSLDigestVerifyTemplate {
    let context: OpaquePointer

    init(key: OpaquePointer) throws {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError.drain("EVP_MD_CTX_new") }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else {
            EVP_MD_CTX_free(context)
            throw OpenSSLError.drain("EVP_DigestVerifyInit")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }
}
