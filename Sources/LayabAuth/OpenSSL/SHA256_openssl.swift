internal import COpenSSL

/// SHA-256 of bytes, for keys that must not hold the text they stand for (the introspection cache's).
package enum SHA256 {
    /// The 32 bytes of a digest, held inline as four words in memory order (no heap allocation).
    package typealias Words = (UInt64, UInt64, UInt64, UInt64)

    /// The 32-byte digest of `bytes`; nil only when OpenSSL cannot compute it.
    package static func digest(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        Array(bytes).withUnsafeBytes { OpenSSLDigest.sha256?.digest($0) }
    }

    /// The digest of `text`'s UTF-8, written straight into a fixed 32-byte buffer: hashed in place when the
    /// string's storage is contiguous (a native string), copied once otherwise. Its bytes are those of
    /// ``digest(_:)``, in the same order. Nil only when OpenSSL cannot compute it.
    package static func words(of text: String) -> Words? {
        if let words = text.utf8.withContiguousStorageIfAvailable({ words(of: UnsafeRawBufferPointer($0)) }) { return words }
        return Array(text.utf8).withUnsafeBytes { words(of: $0) }
    }

    /// The digest of `bytes` into a fixed 32-byte buffer: OpenSSL's one-shot `EVP_Digest` with the SHA-256
    /// fetched once per process.
    package static func words(of bytes: UnsafeRawBufferPointer) -> Words? {
        guard let sha256 = OpenSSLDigest.sha256 else { return nil }
        var words: Words = (0, 0, 0, 0)
        let succeeded = withUnsafeMutableBytes(of: &words) { output -> Bool in
            var length: UInt32 = 0
            guard let address = output.baseAddress?.assumingMemoryBound(to: UInt8.self),
                  EVP_Digest(bytes.baseAddress, bytes.count, address, &length, sha256.pointer, nil) == 1 else { return false }
            return length == 32
        }
        guard succeeded else {
            OpenSSLError.clear()
            return nil
        }
        return words
    }
}
