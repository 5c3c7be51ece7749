internal import COpenSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds an `OSSL_PARAM` array. `OSSL_PARAM_BLD` keeps pointers to names, strings and buffers until
/// `OSSL_PARAM_BLD_to_param`, so this owner copies each of them into memory it frees only afterwards
/// (a Swift string's temporary C pointer would dangle).
final class OpenSSLParameterBuilder {
    private let builder: OpaquePointer
    private var retained: [UnsafeMutableRawPointer] = []
    private var bigNumbers: [OpaquePointer] = []

    init() throws {
        guard let builder = OSSL_PARAM_BLD_new() else { throw OpenSSLError.drain("OSSL_PARAM_BLD_new") }
        self.builder = builder
    }

    deinit {
        OSSL_PARAM_BLD_free(builder)
        bigNumbers.forEach { BN_clear_free($0) }
        retained.forEach { free($0) }
    }

    private func cString(_ text: String) throws -> UnsafeMutablePointer<CChar> {
        guard let copy = strdup(text) else { throw OpenSSLError(operation: "building key parameters", reasons: ["out of memory"]) }
        retained.append(UnsafeMutableRawPointer(copy))
        return copy
    }

    func push(_ name: String, bigNumber bytes: [UInt8]) throws {
        guard let bn = bytes.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32($0.count), nil) }) else { throw OpenSSLError.drain("BN_bin2bn") }
        bigNumbers.append(bn)
        guard OSSL_PARAM_BLD_push_BN(builder, try cString(name), bn) == 1 else { throw OpenSSLError.drain("OSSL_PARAM_BLD_push_BN(\(name))") }
    }

    func push(_ name: String, utf8 value: String) throws {
        guard OSSL_PARAM_BLD_push_utf8_string(builder, try cString(name), try cString(value), 0) == 1 else {
            throw OpenSSLError.drain("OSSL_PARAM_BLD_push_utf8_string(\(name))")
        }
    }

    func push(_ name: String, octets: [UInt8]) throws {
        guard let copy = malloc(max(octets.count, 1)) else { throw OpenSSLError(operation: "building key parameters", reasons: ["out of memory"]) }
        retained.append(copy)
        octets.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(copy), byteCount: octets.count) }
        guard OSSL_PARAM_BLD_push_octet_string(builder, try cString(name), copy, octets.count) == 1 else {
            throw OpenSSLError.drain("OSSL_PARAM_BLD_push_octet_string(\(name))")
        }
    }

    /// The parameter array; the caller frees it with `OSSL_PARAM_free`.
    func build() throws -> UnsafeMutablePointer<OSSL_PARAM> {
        guard let params = OSSL_PARAM_BLD_to_param(builder) else { throw OpenSSLError.drain("OSSL_PARAM_BLD_to_param") }
        return params
    }
}
