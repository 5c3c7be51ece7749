internal import COpenSSL

/// Message digests fetched from the default provider once per process: an implicit fetch on every
/// verification would cost more than the hashing itself.
///
/// `@unchecked Sendable`: `EVP_MD` objects are immutable, reference counted and documented as shareable.
final class OpenSSLDigest: @unchecked Sendable {
    let pointer: OpaquePointer
    let name: String
    let hash: HashFunction

    private init?(name: String, hash: HashFunction) {
        guard let md = EVP_MD_fetch(nil, name, nil) else { return nil }
        self.pointer = md
        self.name = name
        self.hash = hash
    }

    deinit { EVP_MD_free(pointer) }

    static let sha256 = OpenSSLDigest(name: "SHA256", hash: .sha256)
    static let sha384 = OpenSSLDigest(name: "SHA384", hash: .sha384)
    static let sha512 = OpenSSLDigest(name: "SHA512", hash: .sha512)

    static func of(_ hash: HashFunction) -> OpenSSLDigest? {
        switch hash {
        case .sha256: sha256
        case .sha384: sha384
        case .sha512: sha512
        }
    }

    /// One-shot digest of `data`.
    func digest(_ data: UnsafeRawBufferPointer) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_Digest(data.baseAddress, data.count, &output, &length, pointer, nil) == 1 else {
            OpenSSLError.clear()
            return nil
        }
        return Array(output.prefix(Int(length)))
    }
}

/// Padding choices for RSA signatures.
enum RSAPadding { case pkcs1, pss }

extension OpenSSLKey {
    /// Verifies `signature` over `message`. A wrong signature returns false; only a failure to set up
    /// the operation throws. The set-up contexts are kept in ``verifyContexts`` for the next verification.
    func verify(signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, digest: OpenSSLDigest?, padding: RSAPadding?) throws -> Bool {
        let mode = VerifyMode(digest: digest?.hash, padding: padding)
        let context = try verifyContexts.take(mode) ?? OpenSSLVerifyContext(key: pointer, mode: mode)
        defer { verifyContexts.give(context, mode: mode) }
        return try context.verify(signature: signature, message: message)
    }

    /// Signs `message`; ECDSA signatures come back in OpenSSL's DER form.
    func sign(message: UnsafeRawBufferPointer, digest: OpenSSLDigest?, padding: RSAPadding?) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError.drain("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        guard EVP_DigestSignInit(context, &keyContext, digest?.pointer, nil, pointer) == 1 else {
            throw OpenSSLError.drain("EVP_DigestSignInit")
        }
        if padding == .pss {
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) == 1 else {
                throw OpenSSLError.drain("configuring RSA-PSS")
            }
        }
        let input = message.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var length = 0
        guard EVP_DigestSign(context, nil, &length, input, message.count) == 1 else { throw OpenSSLError.drain("EVP_DigestSign") }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, input, message.count) == 1 else { throw OpenSSLError.drain("EVP_DigestSign") }
        return Array(signature.prefix(length))
    }
}

/// Conversions between JWS's fixed-width r‖s and the DER `ECDSA-Sig-Value` OpenSSL speaks.
enum ECDSASignatureEncoding {
    /// DER from r‖s, written directly (no allocation in OpenSSL, no BIGNUMs).
    static func der(fromRaw raw: UnsafeRawBufferPointer) -> [UInt8] {
        withDER(fromRaw: raw) { Array($0) }
    }

    /// Runs `body` over the DER encoding of r‖s, written into a stack buffer: at most 2 × (66 + 3) + 3 bytes
    /// for P-521.
    static func withDER<T>(fromRaw raw: UnsafeRawBufferPointer, _ use: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let half = raw.count / 2
        let r = UnsafeRawBufferPointer(rebasing: raw[0..<half])
        let s = UnsafeRawBufferPointer(rebasing: raw[half...])
        func integerLength(_ value: UnsafeRawBufferPointer) -> (skip: Int, pad: Bool, length: Int) {
            var skip = 0
            while skip < value.count - 1, value[skip] == 0 { skip += 1 }
            let pad = value[skip] & 0x80 != 0
            return (skip, pad, value.count - skip + (pad ? 1 : 0))
        }
        let ri = integerLength(r), si = integerLength(s)
        let body = 2 + ri.length + 2 + si.length
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: body + 3) { out in
            var o = 0
            func append(_ byte: UInt8) {
                out[o] = byte
                o += 1
            }
            append(0x30)
            if body >= 0x80 { append(0x81) }
            append(UInt8(body))
            func integer(_ value: UnsafeRawBufferPointer, _ info: (skip: Int, pad: Bool, length: Int)) {
                append(0x02)
                append(UInt8(info.length))
                if info.pad { append(0) }
                for byte in value[info.skip...] { append(byte) }
            }
            integer(r, ri)
            integer(s, si)
            return try use(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: out[0..<o])))
        }
    }

    /// r‖s, each left-padded to `width` bytes, from OpenSSL's DER.
    static func raw(fromDER der: [UInt8], width: Int) throws -> [UInt8] {
        try der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let signature = d2i_ECDSA_SIG(nil, &cursor, buffer.count) else { throw OpenSSLError.drain("decoding the ECDSA signature") }
            defer { ECDSA_SIG_free(signature) }
            var r: OpaquePointer?
            var s: OpaquePointer?
            ECDSA_SIG_get0(signature, &r, &s)
            guard let r, let s else { throw OpenSSLError(operation: "decoding the ECDSA signature", reasons: ["missing r or s"]) }
            return bigNumberBytes(r, width: width) + bigNumberBytes(s, width: width)
        }
    }
}
