import Foundation
import LayabAuth
import LayabAuthTesting
import TestSupport
import Testing

/// `layabauth verify` takes the token out of what people paste, as the inspector does (they share
/// TokenInput), and removes only what a line wrap adds.
@Suite("Token extraction through verify", .fewAtATime)
struct TokenExtractionTests {
    struct Form: Sendable, CustomTestStringConvertible {
        let name: String
        let text: @Sendable (String) -> String
        var testDescription: String { name }
    }

    static let forms: [Form] = [
        Form(name: "a curl command") { "curl -sS https://api.example/orders \\\n  -H 'Accept: application/json' -H 'Authorization: Bearer \($0)'\n" },
        Form(name: "an HTTP request") { "GET /orders HTTP/1.1\r\nHost: api.example\r\nAuthorization: Bearer \($0)\r\nAccept: */*\r\n\r\n" },
        Form(name: "a token endpoint response") { #"{"token_type":"Bearer","access_token":"\#($0)","expires_in":3600,"refresh_token":"opaque-refresh"}"# },
        Form(name: "a URL fragment") { "https://app.example/callback#state=xyz&access_token=\($0)&token_type=Bearer&expires_in=3600" },
        Form(name: "a form body") { "grant_type=urn:ietf:params:oauth:grant-type:token-exchange&subject_token_type=x&access_token=\($0)" },
        // No colon, no space: bare by its bytes but for the parameter.
        Form(name: "a form body without a colon") { "token_type=Bearer&access_token=\($0)&expires_in=3600" },
    ]

    @Test("the token is found in what people paste", arguments: forms)
    func extracted(form: Form) async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keys = try directory.write("keys.json", issuer.jwks)
        let token = try issuer.token(["sub": "extracted"])
        let file = try directory.write("pasted.txt", form.text(token))
        let result = try await layabauth(["verify", "@" + file, "--key", keys])
        #expect(result.status == 0, "\(result)")
        #expect(result.output.contains("VALID"), "\(result)")
        #expect(result.output.contains(", \(token.utf8.count) bytes\n"), "the token itself, not more: \(result)")
        // It says where it took the token from: what it verified is not the text it was given.
        #expect(result.errorOutput.contains("took the "), "\(result)")
        #expect(result.errorOutput.contains(form.name.split(separator: " ").prefix(2).joined(separator: " ")), "\(result)")
    }

    @Test("text with spaces is not made a token by removing them, and is refused as malformed")
    func notAToken() async throws {
        let directory = try TemporaryDirectory()
        let keys = try directory.write("keys.json", try TestIssuer().jwks)
        let result = try await layabauth(["verify", "hello world this is not a token", "--key", keys, "--json"])
        #expect(result.status == 1, "\(result)")
        #expect(result.output.contains("\"malformed\""), "\(result)")
        #expect(!result.output.contains("helloworld"), "\(result)")
        #expect(!result.errorOutput.contains("removed"), "\(result)")
    }

    @Test("a wrapped token loses its line breaks and the indentation after them, and says how much")
    func wrapped() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keys = try directory.write("keys.json", issuer.jwks)
        let token = try issuer.token()
        let cut = token.index(token.startIndex, offsetBy: 50)
        let file = try directory.write("wrapped.txt", "Bearer " + token[..<cut] + "  \r\n\t  " + token[cut...] + "\n")
        let result = try await layabauth(["verify", "@" + file, "--key", keys])
        #expect(result.status == 0, "\(result)")
        #expect(result.errorOutput.contains("removed 7 whitespace characters (a line break inside the token)"), "\(result)")
    }
}
