import Foundation
import LayabAuth
import TestSupport
import Testing

/// Issue 14, "hints a person debugging a 401 needs", through the real binary: `layabauth verify` and its
/// `--json` output say the same near misses as the inspector (one list, ``VerificationReport/hints``).
@Suite("verify hints at near misses (issue 14)")
struct ClaimHintCommandTests {
    @Test("an issuer with a trailing slash, an audience in other case, a scope the token nearly grants: each check fails, each hint is shown")
    func nearMisses() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("key.pem", try #require(issuer.key.verificationKey.pem))
        let token = try issuer.token(["iss": "https://issuer.test/", "aud": "Orders-API", "scope": "api:res07:read"])
        let arguments = ["--key", keyFile, "--issuer", "https://issuer.test", "--audience", "orders-api", "--scope", "api:res07:write"]

        let json = try await layabauth(["verify", "--json", token] + arguments)
        #expect(json.status == 1, "\(json)")
        let object = jsonObject(json.output)
        #expect(object.errorCodes == ["issuer_mismatch", "audience_mismatch", "insufficient_scope"], "\(object)")
        let hints = object["hints"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(hints.count == 3, "\(hints)")
        #expect(hints.first?.hasPrefix("iss \"https://issuer.test/\" differs from the accepted issuer \"https://issuer.test\" only by a trailing slash") == true,
                "\(hints)")
        #expect(hints.dropFirst().first?.hasPrefix("aud \"Orders-API\" differs from the accepted audience \"orders-api\" only by letter case") == true,
                "\(hints)")
        #expect(hints.last?.hasPrefix("the required scope \"api:res07:write\" is missing, but the token grants \"api:res07:read\"") == true, "\(hints)")

        let text = try await layabauth(["verify", token] + arguments)
        #expect(text.status == 1, "\(text)")
        for hint in hints { #expect(text.output.contains("hint  \(hint)"), "\(text)") }
    }

    @Test("an ID token sent to an API: the hint says what it is, whether or not it passes")
    func idToken() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("key.pem", try #require(issuer.key.verificationKey.pem))
        let token = try issuer.token(["aud": "web-client", "azp": "web-client", "nonce": "n-0S6_WzA2Mj", "scope": .null])
        let result = try await layabauth(["verify", "--json", token, "--key", keyFile, "--audience", "orders-api"])
        #expect(result.status == 1, "\(result)")
        let object = jsonObject(result.output)
        let hint = try #require(object["hints"]?.arrayValue?.first?.stringValue, "\(object)")
        #expect(hint.hasPrefix("this looks like an OpenID Connect ID token, not an access token: it carries \"nonce\""), "\(hint)")
        #expect(hint.contains("its aud \"web-client\" is the client it was issued to (azp)"), "\(hint)")
    }
}
