/// The DER inside the first `CERTIFICATE` block of PEM text (RFC 7468 §5), read strictly: the matching END
/// line, standard base64 with its padding, whitespace only between the base64 characters.
enum PEMCertificateBlock {
    static let begin = "-----BEGIN CERTIFICATE-----"
    static let end = "-----END CERTIFICATE-----"

    /// The decoded body of the first `CERTIFICATE` block of `text`.
    /// - Throws: `invalid_request` naming what is wrong: no such block (with the label found instead, if
    ///   any), no END line, or a body that is not base64.
    static func firstCertificateDER(in text: String) throws(LayabAuthError) -> [UInt8] {
        guard let beginRange = text.range(of: begin) else {
            if let label = firstLabel(in: text) {
                throw ClientCertificate.refused("the PEM holds a \(label) block, not a CERTIFICATE")
            }
            throw ClientCertificate.refused("no PEM CERTIFICATE block (-----BEGIN CERTIFICATE-----) found")
        }
        let rest = text[beginRange.upperBound...]
        guard let endRange = rest.range(of: "-----END ") else {
            throw ClientCertificate.refused("the PEM CERTIFICATE block has no END line")
        }
        guard rest[endRange.lowerBound...].hasPrefix(end) else {
            throw ClientCertificate.refused("the PEM CERTIFICATE block ends with another label than CERTIFICATE")
        }
        return try StandardBase64.decode(rest[..<endRange.lowerBound], what: "the PEM CERTIFICATE block")
    }

    /// The label of the first `-----BEGIN <label>-----` line, for the message that names the wrong armour.
    private static func firstLabel(in text: String) -> String? {
        guard let start = text.range(of: "-----BEGIN ") else { return nil }
        let after = text[start.upperBound...]
        guard let stop = after.range(of: "-----") else { return nil }
        let label = after[..<stop.lowerBound]
        guard label.count <= 40, label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " ") }) else { return nil }
        return String(label)
    }
}
