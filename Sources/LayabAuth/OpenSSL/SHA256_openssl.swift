internal import COpenSSL

/// SHA-256 of bytes, for keys that must not hold the text they stand for (the introspection cache's).
package enum SHA256 {
    /// The 32-byte digest of `bytes`; nil only when OpenSSL cannot compute it.
    package static func digest(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        Array(bytes).withUnsafeBytes { OpenSSLDigest.sha256?.digest($0) }
    }
}
