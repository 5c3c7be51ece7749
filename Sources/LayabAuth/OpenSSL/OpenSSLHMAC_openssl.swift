internal import COpenSSL

/// An HMAC key bound to one digest, initialised once. Verification reuses keyed contexts: each is
/// re-initialised with the key it already holds (`EVP_MAC_init` without a key), which costs two
/// allocations where duplicating the template costs eleven.
///
/// `@unchecked Sendable`: the template context is only read (`EVP_MAC_CTX_dup`) after `init`, which
/// OpenSSL permits from several threads at once; the reusable contexts sit in a ``ContextPool``.
final class OpenSSLHMACKey: @unchecked Sendable {
    private let template: OpaquePointer
    let hash: HashFunction
    /// Keyed contexts ready for reuse, when `reusesContexts`, on the shelf of `hash` (the only mode).
    private let idle = ContextPool<HashFunction, MACContext>()
    /// Whether this OpenSSL restarts a context without a key (checked once per key).
    private let reusesContexts: Bool

    /// The single owner of a keyed `EVP_MAC_CTX`, used by one verification at a time.
    /// `@unchecked Sendable`: moved between threads only through a ``ContextPool``, never shared.
    private final class MACContext: @unchecked Sendable {
        let pointer: OpaquePointer

        init(_ pointer: OpaquePointer) { self.pointer = pointer }

        deinit { EVP_MAC_CTX_free(pointer) }
    }

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
        self.reusesContexts = Self.resetsWithoutKey(context, hash: hash)
    }

    deinit { EVP_MAC_CTX_free(template) }

    /// Whether `EVP_MAC_init(context, NULL, 0, NULL)` restarts HMAC with the key it holds, as OpenSSL 3
    /// documents: checked once per key against a fresh duplicate, so a library that behaves otherwise
    /// only loses the speed-up, never correctness.
    private static func resetsWithoutKey(_ template: OpaquePointer, hash: HashFunction) -> Bool {
        guard let context = EVP_MAC_CTX_dup(template) else { OpenSSLError.clear(); return false }
        defer { EVP_MAC_CTX_free(context) }
        let message: [UInt8] = Array("LayabAuth HMAC reset check".utf8)
        func mac(_ context: OpaquePointer) -> [UInt8]? {
            var output = [UInt8](repeating: 0, count: hash.byteCount)
            var length = 0
            guard EVP_MAC_update(context, message, message.count) == 1, EVP_MAC_final(context, &output, &length, output.count) == 1 else { return nil }
            return output
        }
        guard let first = mac(context), EVP_MAC_init(context, nil, 0, nil) == 1, let second = mac(context),
              let fresh = EVP_MAC_CTX_dup(template) else { OpenSSLError.clear(); return false }
        defer { EVP_MAC_CTX_free(fresh) }
        return first == second && mac(fresh) == first
    }

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
        guard reusesContexts else {
            let expected = try authenticationCode(message)
            guard tag.count == expected.count else { return false }
            return expected.withUnsafeBytes { CRYPTO_memcmp($0.baseAddress, tag.baseAddress, tag.count) } == 0
        }
        let owner: MACContext
        if let reused = idle.take(hash) {
            // A context that fails to restart is dropped, which frees it.
            guard EVP_MAC_init(reused.pointer, nil, 0, nil) == 1 else { throw OpenSSLError.drain("EVP_MAC_init") }
            owner = reused
        } else {
            guard let fresh = EVP_MAC_CTX_dup(template) else { throw OpenSSLError.drain("EVP_MAC_CTX_dup") }
            owner = MACContext(fresh)
        }
        defer { idle.give(owner, mode: hash) }
        let context = owner.pointer
        // EVP_MAX_MD_SIZE is 64 bytes: eight words on the stack hold any HMAC output.
        var output: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &output) { output in
            let bytes = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
            var length = 0
            guard EVP_MAC_update(context, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1,
                  EVP_MAC_final(context, bytes, &length, hash.byteCount) == 1 else {
                throw OpenSSLError.drain("HMAC")
            }
            guard tag.count == length else { return false }
            return CRYPTO_memcmp(output.baseAddress, tag.baseAddress, length) == 0
        }
    }
}
