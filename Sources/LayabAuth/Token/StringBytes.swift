#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Whether both strings hold the same UTF-8 bytes: the equality of JSON member names (RFC 8259 §8.3),
    /// StringOrURI values (RFC 7519 §2) and scope tokens (RFC 6749 §3.3). Swift's `==` also equates
    /// canonically equivalent spellings ("é" and "e" + U+0301, the Kelvin sign and "K"), which a token must
    /// not be able to exploit; it is also slower when the strings differ, the usual case of a lookup.
    @inline(__always)
    func hasSameUTF8(as other: String) -> Bool {
        // The lengths settle most differences. Native and small strings (all of JOSE's registered names)
        // lend their bytes in place or from the stack, without copying or reference counting.
        let count = utf8.count
        if count != other.utf8.count { return false }
        let same = utf8.withContiguousStorageIfAvailable { x in
            other.utf8.withContiguousStorageIfAvailable { y in
                guard let p = x.baseAddress, let q = y.baseAddress else { return true }
                return memcmp(p, q, count) == 0
            }
        }
        return (same ?? nil) ?? utf8.elementsEqual(other.utf8)
    }
}
