internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG.
enum OpenSSLRandom {
    static func fill(_ bytes: inout [UInt8]) throws {
        let count = bytes.count
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard ok == 1 else { throw OpenSSLError.drain("RAND_bytes") }
    }
}
