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

/// A string that is equal to another, and hashes, by its UTF-8 bytes alone.
///
/// Swift's `String` `==`, `Hashable` and `switch` compare canonical equivalence: `"\u{212A}1"` (KELVIN SIGN)
/// equals `"K1"`, and `"cafe\u{301}"` equals `"café"`. A `kid`, an `alg`, an issuer, an audience or a scope must
/// match byte for byte (RFC 7515 §4.1.4, RFC 7519 §7.3: no normalisation), or a token could pick a key, an
/// algorithm or an identity provider by a look-alike. Every security-relevant comparison goes through this type
/// (as a dictionary or set key) or through ``Swift/String/hasSameUTF8(as:)``, which it is built on.
package struct ExactString: Hashable, Sendable, CustomStringConvertible {
    package let string: String

    package init(_ string: String) { self.string = string }

    package var description: String { string }

    package static func == (lhs: ExactString, rhs: ExactString) -> Bool { lhs.string.hasSameUTF8(as: rhs.string) }

    package func hash(into hasher: inout Hasher) {
        let hashed: Void? = string.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil { Array(string.utf8).withUnsafeBytes { hasher.combine(bytes: $0) } }
    }
}
