/// URL percent-decoding (RFC 3986 §2.1) of a proxy's header value. A `+` stays a `+`: proxies escape PEM,
/// whose base64 holds `+`, with form-style escaping nowhere (nginx, AWS ALB, Envoy).
enum PercentDecoding {
    /// `text` with every `%XX` replaced by its byte; the result must be UTF-8.
    /// - Throws: `invalid_request` for a `%` not followed by two hex digits, or bytes that are not UTF-8.
    static func decode(_ text: String) throws(LayabAuthError) -> String {
        let input = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            guard input[i] == UInt8(ascii: "%") else {
                output.append(input[i])
                i += 1
                continue
            }
            guard i + 2 < input.count, let high = hexValue(input[i + 1]), let low = hexValue(input[i + 2]) else {
                throw ClientCertificate.refused("a '%' at offset \(i) is not followed by two hex digits")
            }
            output.append(high << 4 | low)
            i += 3
        }
        guard let decoded = String(validating: output, as: UTF8.self) else {
            throw ClientCertificate.refused("the URL-decoded value is not UTF-8")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
