/// The SSH wire encoding (RFC 4251 §5) of a public key blob: length-prefixed strings and mpints.
struct SSHWireReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    /// A `string`: a 32-bit big-endian length, then that many bytes, all of which must be there.
    mutating func string(_ name: String) throws(LayabAuthError) -> [UInt8] {
        guard remaining >= 4 else {
            throw OpenSSHPublicKey.invalid("the blob ends at byte \(offset) where the length of \(name) should be (\(remaining) of 4 bytes left)")
        }
        let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        offset += 4
        guard length <= remaining else {
            throw OpenSSHPublicKey.invalid("\(name) claims \(length) bytes, only \(remaining) are left in the blob")
        }
        defer { offset += length }
        return Array(bytes[offset..<offset + length])
    }

    /// A positive `mpint` (two's complement, big-endian, minimal), returned without its sign byte.
    mutating func positiveInteger(_ name: String) throws(LayabAuthError) -> [UInt8] {
        let value = try string("the RSA \(name)")
        guard let first = value.first else { throw OpenSSHPublicKey.invalid("the RSA \(name) is zero") }
        if first & 0x80 != 0 { throw OpenSSHPublicKey.invalid("the RSA \(name) is negative (RFC 4251 §5 mpint)") }
        guard first == 0 else { return value }
        // The zero byte is there only to keep a high bit from reading as a sign.
        guard value.count > 1, value[1] & 0x80 != 0 else {
            throw OpenSSHPublicKey.invalid("the RSA \(name) has an unnecessary leading zero byte (RFC 4251 §5: an mpint is minimal)")
        }
        return Array(value.dropFirst())
    }
}
