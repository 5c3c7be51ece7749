internal import COpenSSL

extension OpenSSLKey {
    /// The salt length with which an RSA-PSS `signature` verifies over `message`, or nil when it verifies with
    /// none. For the debugging tools only: JWS requires a salt as long as the hash (RFC 7518 §3.5), and
    /// verification never asks this question.
    func pssSaltLength(signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, digest: OpenSSLDigest) -> Int? {
        guard verifiesPSS(signature: signature, message: message, digest: digest, saltLength: RSA_PSS_SALTLEN_AUTO) else { return nil }
        // EMSA-PSS (RFC 8017 §9.1.1): emLen = ⌈(modBits − 1) / 8⌉ bytes hold the hash, the salt and two more bytes.
        let longest = (bits + 6) / 8 - digest.hash.byteCount - 2
        guard longest >= 0 else { return nil }
        return (0...longest).first { verifiesPSS(signature: signature, message: message, digest: digest, saltLength: Int32($0)) }
    }

    /// One RSA-PSS verification with the salt length given (or one of OpenSSL's `RSA_PSS_SALTLEN_*` values);
    /// a fresh context each time, as the pooled ones are fixed to the hash length.
    private func verifiesPSS(signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, digest: OpenSSLDigest, saltLength: Int32) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        guard EVP_DigestVerifyInit(context, &keyContext, digest.pointer, nil, pointer) == 1,
              EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
              EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, saltLength) == 1 else {
            OpenSSLError.clear()
            return false
        }
        let result = EVP_DigestVerify(context, signature.baseAddress?.assumingMemoryBound(to: UInt8.self), signature.count,
                                      message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
        if result != 1 { OpenSSLError.clear() }
        return result == 1
    }
}
