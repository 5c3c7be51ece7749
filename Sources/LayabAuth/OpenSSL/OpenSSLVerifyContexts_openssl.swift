internal import COpenSSL

/// How a key verifies: the digest and, for RSA, the padding. One key may serve several (an RSA key
/// without `alg` verifies RS256 and PS256).
struct VerifyMode: Hashable {
    let digest: HashFunction?
    let padding: RSAPadding?
}

/// One verification context, set up once and used by one thread at a time.
///
/// `@unchecked Sendable`: a context passes between threads only through ``OpenSSLVerifyContextPool``, which
/// hands it to one caller at a time; it is never used by two threads at once.
///
/// OpenSSL 3 spends more on setting up a verification (`EVP_DigestVerifyInit` fetches the signature and
/// digest implementations, allocates and configures contexts) than on an RSA public-key operation's
/// bookkeeping; keeping the set-up contexts saves that cost and about half of OpenSSL's allocations.
///
/// - RSA and ECDSA: a digest context and an `EVP_PKEY_CTX` initialised for `EVP_PKEY_verify` with the
///   signature digest and padding; the message is hashed, then the digest verified. This is exactly what
///   `EVP_DigestVerify` does inside.
/// - EdDSA, which has no pre-hashed form in OpenSSL 3.0: a digest-verify context copied from a template
///   that was initialised once (`EVP_MD_CTX_copy_ex`), then one-shot `EVP_DigestVerify`.
final class OpenSSLVerifyContext: @unchecked Sendable {
    private let digestContext: OpaquePointer
    private let keyContext: OpaquePointer?
    private let digest: OpenSSLDigest?

    /// Sets up a context for `key` in `mode`.
    init(key: OpaquePointer, mode: VerifyMode, template: OpenSSLDigestVerifyTemplate?) throws {
        guard let digestContext = EVP_MD_CTX_new() else { throw OpenSSLError.drain("EVP_MD_CTX_new") }
        if template != nil {
            self.digestContext = digestContext
            self.keyContext = nil
            self.digest = nil
            return
        }
        guard let digest = mode.digest.flatMap(OpenSSLDigest.of) else {
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
    func verify(signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, template: OpenSSLDigestVerifyTemplate?) throws -> Bool {
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
/// `@unchecked Sendable`: after `init` the context is only read, as the source of `EVP_MD_CTX_copy_ex`.
final class OpenSSLDigestVerifyTemplate: @unchecked Sendable {
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

/// Set-up verification contexts of one key, kept for reuse: a thread takes one, verifies, and gives it back.
///
/// `@unchecked Sendable`: every context is owned by exactly one thread between `take` and `give`; the
/// idle ones are only touched under the mutex.
final class OpenSSLVerifyContextPool: @unchecked Sendable {
    /// Idle contexts kept per mode; more are freed on return (a burst of threads does not pin memory).
    static let idleLimit = 64

    /// The idle contexts of one mode. A key is used in one or two modes, so a short array searched
    /// linearly serves better than a dictionary, whose in-place mutation allocates.
    private struct Shelf {
        let mode: VerifyMode
        var contexts: [OpenSSLVerifyContext] = []
        var template: OpenSSLDigestVerifyTemplate?
    }

    private let idle = Locked<[Shelf]>([])

    /// A context for `mode` (and the template it copies, for EdDSA), set up when none is idle.
    func take(key: OpaquePointer, mode: VerifyMode, usesTemplate: Bool) throws -> (OpenSSLVerifyContext, OpenSSLDigestVerifyTemplate?) {
        let (reused, template) = idle.withLock { shelves -> (OpenSSLVerifyContext?, OpenSSLDigestVerifyTemplate?) in
            guard let index = shelves.firstIndex(where: { $0.mode == mode }) else { return (nil, nil) }
            return (shelves[index].contexts.popLast(), shelves[index].template)
        }
        if let reused { return (reused, template) }
        var shared = template
        if usesTemplate, shared == nil {
            let made = try OpenSSLDigestVerifyTemplate(key: key)
            shared = idle.withLock { shelves in
                let index = Self.shelf(for: mode, in: &shelves)
                if let existing = shelves[index].template { return existing }
                shelves[index].template = made
                return made
            }
        }
        return (try OpenSSLVerifyContext(key: key, mode: mode, template: shared), shared)
    }

    func give(_ context: OpenSSLVerifyContext, mode: VerifyMode) {
        idle.withLock { shelves in
            let index = Self.shelf(for: mode, in: &shelves)
            if shelves[index].contexts.count < Self.idleLimit {
                if shelves[index].contexts.isEmpty { shelves[index].contexts.reserveCapacity(8) }
                shelves[index].contexts.append(context)
            }
        }
    }

    private static func shelf(for mode: VerifyMode, in shelves: inout [Shelf]) -> Int {
        if let index = shelves.firstIndex(where: { $0.mode == mode }) { return index }
        shelves.append(Shelf(mode: mode))
        return shelves.count - 1
    }
}
