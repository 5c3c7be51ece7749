internal import COpenSSL

/// An HMAC key bound to one digest, initialised once; each computation duplicates the keyed context,
/// which skips the key schedule and the algorithm fetch.
///
/// `@unchecked Sendable`: the template context is only read (`EVP_MAC_CTX_dup`) after `init`, which
/// OpenSSL permits from several threads at once.
final class OpenSSLHMACKey: @unchecked Sendable {
    private let template: OpaquePointer
    let hash: HashFunction

    // Fetched once and never freed or modified: EVP_MAC objects are shareable across threads.
    private nonisolated(unsafe) static let mac: OpaquePointer? = EVP_MAC_fetch(nil, "HMAC", nil)

    init(secret: [UInt8], hash: HashFunction) throws {
        guard let mac = Self.mac, let context = EVP_MAC_CTX_new(mac) else { throw OpenSSLError.drain("EVP_MAC_CTX_new") }
        let digestName: String = switch hash {
        case .sha256: "SHA256"
        case .sha384: "SHA384"
        case .sha512: "SHA512"
        }
        let ok: Bool
        do {
            let parameters = try OpenSSLParameterBuilder()
            parameters.push(OSSL_MAC_PARAM_DIGEST, utf8: digestName)
            // A zero-length key still needs a valid pointer.
            var byte: UInt8 = 0
            ok = try parameters.withParameters { params in
                secret.isEmpty
                    ? EVP_MAC_init(context, &byte, 0, params) == 1
                    : secret.withUnsafeBufferPointer { EVP_MAC_init(context, $0.baseAddress, $0.count, params) == 1 }
            }
        } catch {
            EVP_MAC_CTX_free(context)
            throw error
        }
        guard ok else {
            EVP_MAC_CTX_free(context)
            throw OpenSSLError.drain("EVP_MAC_init")
        }
        self.template = context
        self.hash = hash
    }

    deinit { EVP_MAC_CTX_free(template) }

    func authenticationCode(_ message: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard let context = EVP_MAC_CTX_dup(template) else { throw OpenSSLError.drain("EVP_MAC_CTX_dup") }
        defer { EVP_MAC_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: hash.byteCount)
        var length = 0
        guard EVP_MAC_update(context, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1,
              EVP_MAC_final(context, &output, &length, output.count) == 1 else {
            throw OpenSSLError.drain("HMAC")
        }
        return output
    }

    /// Compares in constant time with the expected tag.
    func verify(tag: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) throws -> Bool {
        let expected = try authenticationCode(message)
        guard tag.count == expected.count else { return false }
        return expected.withUnsafeBytes { CRYPTO_memcmp($0.baseAddress, tag.baseAddress, tag.count) } == 0
    }
}
