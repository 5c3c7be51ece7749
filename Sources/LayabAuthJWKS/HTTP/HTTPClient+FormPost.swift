import Foundation
import LayabAuth

extension HTTPClient {
    /// POSTs `form` as `application/x-www-form-urlencoded`, with the options and limits of key retrieval:
    /// TLS verification, timeouts, the body size cap and the redirect rules (a POST follows only 307 and 308).
    /// Cancelling the calling task aborts the transfer.
    /// - Parameters:
    ///   - form: the fields in order; a name may repeat (RFC 8707 `resource`).
    ///   - headers: extra request headers, e.g. `Authorization`.
    /// - Returns: the answer, whatever its status.
    /// - Throws: `jwks_unavailable` when no answer came, with the precise cause (refused, timed out, TLS, too large).
    package static func post(_ url: String, form: [(name: String, value: String)], headers: [String] = [],
                             options: HTTPOptions) async throws(LayabAuthError) -> HTTPResponse
    {
        let body = Array(FormEncoding.encode(form).utf8)
        var response = try await run(url, headers: ["Content-Type: application/x-www-form-urlencoded"] + headers, body: body, options: options)
        response.sentSecrets = secrets(form: form, headers: headers)
        return response
    }

    /// The form fields that carry credentials or tokens (RFC 6749, 7523, 7662, 8628), and the credential of an
    /// `Authorization` header: what an answer must not quote back into an error message or a log.
    static let secretFields: Set<String> = ["token", "client_secret", "client_assertion", "refresh_token", "code", "device_code",
                                            "password", "code_verifier", "subject_token", "actor_token", "assertion"]

    static func secrets(form: [(name: String, value: String)], headers: [String]) -> [String] {
        let fields = form.filter { secretFields.contains($0.name) && !$0.value.isEmpty }.map(\.value)
        let credentials = headers.compactMap { header -> String? in
            guard header.lowercased().hasPrefix("authorization:") else { return nil }
            let value = header.dropFirst("authorization:".count).trimmingCharacters(in: .whitespaces)
            return value.split(separator: " ", maxSplits: 1).last.map(String.init)
        }
        return fields + credentials
    }
}

/// `application/x-www-form-urlencoded` as RFC 6749 §2.3.1 and Appendix B use it: every byte but the unreserved
/// characters percent-encoded, so the same encoding serves form fields and the HTTP Basic credentials.
package enum FormEncoding {
    package static func encode(_ form: [(name: String, value: String)]) -> String {
        form.map { escape($0.name) + "=" + escape($0.value) }.joined(separator: "&")
    }

    package static func escape(_ text: String) -> String {
        var escaped = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                escaped += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return escaped
    }

    /// The fields of an encoded form, `+` read as a space; for tests and servers that receive one.
    package static func decode(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let unescape = { (part: Substring) in
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            return (unescape(parts[0]), parts.count > 1 ? unescape(parts[1]) : "")
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
