/// The `htu` comparison of RFC 9449 §4.3: an HTTP(S) URI without its query and fragment, normalised as RFC 3986
/// §6.2.2 and §6.2.3 say (scheme and host in lower case, the scheme's default port dropped, an empty path as
/// "/", percent-encodings in upper case and unreserved characters decoded, dot segments removed).
enum DPoPTargetURI {
    /// The normalised form of `uri`, or nil when it is not an absolute `http` or `https` URI.
    static func normalised(_ uri: String) -> String? {
        var text = Substring(uri)
        if let end = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<end] }
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let scheme = text[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = text[text.index(after: colon)...]
        guard rest.hasPrefix("//") else { return nil }
        rest = rest.dropFirst(2)
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let path = rest[authorityEnd...]
        if authority.contains("@") { return nil }
        var port: Substring = ""
        let hostEnd: Substring.Index
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostEnd = authority.index(after: close)
        } else {
            hostEnd = authority.firstIndex(of: ":") ?? authority.endIndex
        }
        if hostEnd < authority.endIndex {
            guard authority[hostEnd] == ":" else { return nil }
            port = authority[authority.index(after: hostEnd)...]
            authority = authority[..<hostEnd]
        }
        guard !authority.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard let host = percentNormalised(authority)?.lowercased() else { return nil }
        var portText = ""
        if !port.isEmpty {
            let digits = port.drop { $0 == "0" }
            let defaultPort = scheme == "https" ? "443" : "80"
            guard digits.count <= 5 else { return nil }
            if digits != defaultPort { portText = ":" + (digits.isEmpty ? "0" : digits) }
        }
        guard let normalisedPath = percentNormalised(path) else { return nil }
        return scheme + "://" + host + portText + removingDotSegments(normalisedPath.isEmpty ? "/" : normalisedPath)
    }

    /// Percent-encodings in upper case, unreserved characters (RFC 3986 §2.3) decoded; nil for a '%' not
    /// followed by two hex digits, or for bytes outside printable ASCII.
    static func percentNormalised(_ text: Substring) -> String? {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            guard byte > 0x20, byte < 0x7F else { return nil }
            if byte == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) else { return nil }
                let decoded = high << 4 | low
                if isUnreserved(decoded) {
                    out.append(decoded)
                } else {
                    out.append(contentsOf: [UInt8(ascii: "%"), upperHex(high), upperHex(low)])
                }
                i += 3
            } else {
                out.append(byte)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 3986 §5.2.4.
    static func removingDotSegments(_ path: String) -> String {
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, segment) in segments.enumerated() {
            let last = index == segments.count - 1
            switch segment {
            case ".":
                if last { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if last { output.append("") }
            default:
                output.append(segment)
            }
        }
        return "/" + output.joined(separator: "/")
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func upperHex(_ value: UInt8) -> UInt8 { value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10 }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
