internal import COpenSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds an `OSSL_PARAM` array and owns every C string and buffer it points to.
///
/// OpenSSL's `OSSL_PARAM_BLD` does not copy what it is given: it keeps the pointers to key names for good
/// (`OSSL_PARAM.key` points at them) and the pointers to values until `OSSL_PARAM_BLD_to_param`. A Swift
/// `String` or array passed as a C pointer only lives for the duration of one call, so pushing
/// `OSSL_PKEY_PARAM_RSA_N` (a macro Swift imports as a `String`) left a dangling key name behind, and
/// OpenSSL refused every RSA and EC key imported from a JWK. This builder copies key names and values into
/// memory it frees in `deinit`, after the parameters are no longer used.
final class OpenSSLParameterBuilder {
    private let builder: OpaquePointer
    private var strings: [UnsafeMutablePointer<CChar>] = []
    private var buffers: [(pointer: UnsafeMutableRawPointer, count: Int)] = []
    private var bigNumbers: [OpaquePointer] = []
    private var failed = false

    init() throws {
        guard let builder = OSSL_PARAM_BLD_new() else { throw OpenSSLError.drain("OSSL_PARAM_BLD_new") }
        self.builder = builder
    }

    deinit {
        OSSL_PARAM_BLD_free(builder)
        // Values may be private key material: cleared before they are released.
        bigNumbers.forEach { BN_clear_free($0) }
        for buffer in buffers {
            OPENSSL_cleanse(buffer.pointer, buffer.count)
            free(buffer.pointer)
        }
        strings.forEach { free($0) }
    }

    /// A copy of `text` as a C string that lives as long as the builder.
    private func owned(_ text: String) -> UnsafeMutablePointer<CChar>? {
        guard let copy = strdup(text) else { return nil }
        strings.append(copy)
        return copy
    }

    /// An unsigned integer from big-endian bytes.
    func push(_ key: String, bigEndian bytes: [UInt8]) {
        guard let name = owned(key),
              let bn = bytes.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32($0.count), nil) }) else {
            failed = true
            return
        }
        bigNumbers.append(bn)
        if OSSL_PARAM_BLD_push_BN(builder, name, bn) != 1 { failed = true }
    }

    func push(_ key: String, utf8 value: String) {
        guard let name = owned(key), let copy = owned(value) else {
            failed = true
            return
        }
        if OSSL_PARAM_BLD_push_utf8_string(builder, name, copy, 0) != 1 { failed = true }
    }

    func push(_ key: String, octets: [UInt8]) {
        guard let name = owned(key), let pointer = malloc(max(octets.count, 1)) else {
            failed = true
            return
        }
        buffers.append((pointer, max(octets.count, 1)))
        octets.withUnsafeBytes { source in
            if let base = source.baseAddress { pointer.copyMemory(from: base, byteCount: source.count) }
        }
        if OSSL_PARAM_BLD_push_octet_string(builder, name, pointer, octets.count) != 1 { failed = true }
    }

    /// Runs `body` with the parameter array, freed afterwards. The key names stay valid for the whole call
    /// because this builder, which owns them, is alive for it.
    func withParameters<T>(_ body: (UnsafeMutablePointer<OSSL_PARAM>) throws -> T) throws -> T {
        guard !failed else { throw OpenSSLError.drain("building OpenSSL parameters") }
        guard let parameters = OSSL_PARAM_BLD_to_param(builder) else { throw OpenSSLError.drain("OSSL_PARAM_BLD_to_param") }
        defer { OSSL_PARAM_free(parameters) }
        return try body(parameters)
    }
}
