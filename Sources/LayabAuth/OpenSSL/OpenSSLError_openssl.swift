internal import COpenSSL

/// The one place where OpenSSL's thread-local error queue becomes a Swift error.
struct OpenSSLError: Error, CustomStringConvertible {
    let operation: String
    let reasons: [String]

    var description: String {
        reasons.isEmpty ? "\(operation) failed" : "\(operation) failed: \(reasons.joined(separator: "; "))"
    }

    /// Drains the error queue into an error naming the failed operation.
    static func drain(_ operation: String) -> OpenSSLError {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if reasons.count < 4, let reason = ERR_reason_error_string(code) {
                reasons.append(String(cString: reason))
            }
        }
        return OpenSSLError(operation: operation, reasons: reasons)
    }

    /// Forgets queued errors after an expected failure (a bad signature), so the queue never grows.
    static func clear() { ERR_clear_error() }
}

/// Big-endian bytes of a BIGNUM, left-padded with zeros to `width` when given.
func bigNumberBytes(_ bn: OpaquePointer, width: Int? = nil) -> [UInt8] {
    let length = Int((BN_num_bits(bn) + 7) / 8)
    let size = max(width ?? length, length)
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        initialized = Int(BN_bn2binpad(bn, buffer.baseAddress, Int32(size)))
        if initialized < 0 { initialized = 0 }
    }
}
