/// Envoy's `x-forwarded-client-cert` header: elements separated by `,`, each `key=value` pairs separated by
/// `;`; a value holding `,`, `;` or `=` is double-quoted, a `"` inside it escaped as `\"`. The first element
/// is the one Envoy added for the connection it terminated when it appends (`APPEND_FORWARD` puts earlier
/// proxies' elements first, so the operator must configure `SANITIZE_SET` for the header to be trusted).
enum EnvoyXFCC {
    /// The raw (still URL-encoded) `Cert` value of the first element.
    /// - Throws: `invalid_request` when the first element has no `Cert`, or a quote is not closed.
    static func firstCert(_ header: String) throws(LayabAuthError) -> String {
        var key = ""
        var value = ""
        var inValue = false
        var quoted = false
        var escaped = false
        func finishPair() -> String? {
            defer { key = ""; value = ""; inValue = false }
            return key.trimmingSpaces.caseInsensitiveEquals("Cert") ? value : nil
        }
        for character in header {
            if quoted {
                if escaped { value.append(character); escaped = false }
                else if character == "\\" { escaped = true }
                else if character == "\"" { quoted = false }
                else { value.append(character) }
                continue
            }
            switch character {
            case "\"" where inValue && value.isEmpty: quoted = true
            case "=" where !inValue: inValue = true
            case ";":
                if let cert = finishPair() { return cert }
            case ",":
                if let cert = finishPair() { return cert }
                throw ClientCertificate.refused("the first x-forwarded-client-cert element has no Cert")
            default:
                if inValue { value.append(character) } else { key.append(character) }
            }
        }
        guard !quoted else { throw ClientCertificate.refused("a quoted x-forwarded-client-cert value is not closed") }
        if let cert = finishPair() { return cert }
        throw ClientCertificate.refused("the first x-forwarded-client-cert element has no Cert")
    }
}

private extension String {
    var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }
}

private extension Substring {
    func caseInsensitiveEquals(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
