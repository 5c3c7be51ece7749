/// Standard base64 (RFC 4648 §4) as PEM bodies and proxy headers carry certificates: padding required to a
/// multiple of four, whitespace between characters ignored, anything else refused. Decoded by the strict
/// ``Base64URL`` decoder after mapping the two alphabets, so that both share one canonical-encoding rule.
enum StandardBase64 {
    /// The bytes of `text`.
    /// - Parameter what: names the input in the error ("the PEM CERTIFICATE block").
    /// - Throws: `invalid_request` saying what is wrong with the base64.
    static func decode(_ text: Substring, what: String) throws(LayabAuthError) -> [UInt8] {
        var mapped: [UInt8] = []
        mapped.reserveCapacity(text.utf8.count)
        var padding = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                continue
            case UInt8(ascii: "="):
                padding += 1
            case _ where padding > 0:
                throw ClientCertificate.refused("\(what) has base64 after its padding")
            case UInt8(ascii: "+"): mapped.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): mapped.append(UInt8(ascii: "_"))
            case UInt8(ascii: "-"), UInt8(ascii: "_"):
                throw ClientCertificate.refused("\(what) is not standard base64 (character '\(Character(Unicode.Scalar(byte)))')")
            default: mapped.append(byte)
            }
        }
        guard !mapped.isEmpty else { throw ClientCertificate.refused("\(what) is empty") }
        guard padding <= 2, (mapped.count + padding) % 4 == 0 else {
            throw ClientCertificate.refused("\(what) is not padded base64 (\(mapped.count) characters, \(padding) '=')")
        }
        do { return try mapped.withUnsafeBufferPointer { buffer throws(Base64URL.DecodingError) in try Base64URL.decode(buffer) } } catch {
            throw ClientCertificate.refused("\(what) is not base64: \(error)")
        }
    }
}
