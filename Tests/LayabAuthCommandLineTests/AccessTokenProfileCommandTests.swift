import Foundation
import LayabAuth
import TestSupport
import Testing

/// Issue 16 §1 through the real binary: `--require-typ`, `--access-token-profile`, and the RFC 9068 line
/// `layabauth verify` shows for every token.
@Suite("verify: required typ and the RFC 9068 access-token profile")
struct AccessTokenProfileCommandTests {
    /// What RFC 9068 §2.2 requires beyond the test issuer's iss, sub, aud, iat and exp.
    static let profileClaims: JSONObject = ["aud": "orders-api", "client_id": "app-1", "jti": "id-1"]
    static let idTokenClaims: JSONObject = ["aud": "web-client", "azp": "web-client", "nonce": "n-0S6_WzA2Mj", "scope": .null]

    @Test("without options every token is verified as before, and the RFC 9068 line says why it is not an access token")
    func conformanceShownAlways() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("key.pem", try #require(issuer.key.verificationKey.pem))
        let token = try issuer.token()

        let text = try await layabauth(["verify", token, "--key", keyFile])
        #expect(text.status == 0, "\(text)")
        #expect(text.outputLines.contains(#"RFC 9068 access token: no (typ is "JWT", not "at+jwt"; no client_id; no jti)"#), "\(text)")
        #expect(!text.output.contains("typ       "), "no typ check unless one is required: \(text)")

        let json = try await layabauth(["verify", "--json", token, "--key", keyFile])
        let profile = try #require(jsonObject(json.output)["accessTokenProfile"]?.objectValue, "\(json)")
        #expect(profile["satisfied"] == JSONValue.bool(false))
        #expect(profile["reasons"]?.arrayValue?.compactMap { $0.stringValue } == [#"typ is "JWT", not "at+jwt""#, "no client_id", "no jti"])

        let good = try await layabauth(["verify", "--json", try issuer.token(Self.profileClaims, extraHeader: ["typ": "application/at+jwt"]), "--key", keyFile])
        #expect(jsonObject(good.output)["accessTokenProfile"] == JSONValue.object(["satisfied": true, "reasons": []]), "\(good)")
    }

    @Test("decode shows the RFC 9068 line too")
    func decode() async throws {
        let issuer = try TestIssuer()
        let result = try await layabauth(["decode", try issuer.token(Self.profileClaims, extraHeader: ["typ": "at+jwt"])])
        #expect(result.status == 0, "\(result)")
        #expect(result.outputLines.contains("RFC 9068 access token: yes"), "\(result)")
        let idToken = try await layabauth(["decode", try issuer.token(Self.idTokenClaims)])
        #expect(idToken.outputLines.contains(#"RFC 9068 access token: no (typ is "JWT", not "at+jwt"; no client_id; no jti)"#), "\(idToken)")
    }

    @Test("--access-token-profile accepts an at+jwt access token and refuses an ID token, naming it")
    func profile() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("key.pem", try #require(issuer.key.verificationKey.pem))
        let arguments = ["--key", keyFile, "--access-token-profile", "--audience", "orders-api"]

        let accessToken = try issuer.token(Self.profileClaims, extraHeader: ["typ": "at+jwt"])
        let accepted = try await layabauth(["verify", accessToken] + arguments)
        #expect(accepted.status == 0, "\(accepted)")
        #expect(accepted.outputLines.contains("RFC 9068 access token: yes"), "\(accepted)")
        #expect(accepted.output.contains(#"ok    typ       "at+jwt""#), "\(accepted)")
        #expect(accepted.output.contains("ok    client_id present"), "\(accepted)")

        let idToken = try issuer.token(Self.idTokenClaims)
        let refused = try await layabauth(["verify", "--json", idToken] + arguments)
        #expect(refused.status == 1, "\(refused)")
        let object = jsonObject(refused.output)
        #expect(object.errorCodes.first == "wrong_token_type", "\(object)")
        let message = object["errors"]?.arrayValue?.first?["message"]?.stringValue
        #expect(message == #"the token's typ is "JWT", expected "at+jwt": this looks like an OpenID Connect ID token, which is not an access token (RFC 9068 §2.1)"#)
        #expect(object.errorCodes.contains("missing_claim"), "the profile's claims are required too: \(object)")
    }

    @Test("--require-typ is repeatable and compares as a media type; a token without typ is refused")
    func requireType() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("key.pem", try #require(issuer.key.verificationKey.pem))
        let arguments = ["--key", keyFile, "--require-typ", "application/secevent+jwt", "--require-typ", "AT+JWT"]

        for typ in ["at+jwt", "application/at+JWT", "secevent+jwt"] {
            let result = try await layabauth(["verify", try issuer.token(extraHeader: ["typ": JSONValue.string(typ)])] + arguments)
            #expect(result.status == 0, "\(typ): \(result)")
        }
        let wrong = try await layabauth(["verify", try issuer.token()] + arguments)
        #expect(wrong.status == 1, "\(wrong)")
        #expect(wrong.output.contains(#"FAIL  typ       wrong_token_type: the token's typ is "JWT", expected "application/secevent+jwt" or "AT+JWT""#), "\(wrong)")

        let key = issuer.key
        let untyped = try key.sign(header: ["alg": .string(key.algorithm.rawValue), "kid": key.kid.map(JSONValue.string) ?? .null],
                                   payload: Array(#"{"sub":"alice","exp":4102444800}"#.utf8))
        let missing = try await layabauth(["verify", "--json", untyped] + arguments)
        #expect(missing.status == 1, "\(missing)")
        #expect(jsonObject(missing.output).errorCodes == ["wrong_token_type"], "\(missing)")

        let both = try await layabauth(["verify", untyped, "--key", keyFile, "--require-typ", "JWT", "--access-token-profile"])
        #expect(both.status == 2, "\(both)")
        #expect(both.errorOutput.contains("--access-token-profile requires typ at+jwt: leave out --require-typ"), "\(both)")
    }
}
