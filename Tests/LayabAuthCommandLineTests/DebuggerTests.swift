import Foundation
import LayabAuth
import LayabAuthTesting
import TestSupport
import Testing

/// Issue 13, "a debugger that explains instead of refusing to look": real tokens and keys of the kind people
/// bring to `layabauth verify`, through the real binary.
@Suite("verify explains real-world tokens (issue 13)")
struct DebuggerTests {
    /// jwt.io's sample token (HS256 with the secret `your-256-bit-secret`, 19 bytes), as its page shows it.
    static let jwtIOToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
        + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"

    @Test("weak_key: jwt.io's token with its 19-byte secret is checked, matches, and is refused (exit 1, not 2)")
    func jwtIOSecret() async throws {
        let directory = try TemporaryDirectory()
        let secret = try directory.write("secret.txt", "your-256-bit-secret\n")
        let text = try await layabauth(["verify", Self.jwtIOToken, "--secret-file", secret])
        #expect(text.status == 1, "\(text)")
        #expect(text.output.contains("signature INVALID  weak_key: the HS256 signature matches this 19-byte secret; refused: RFC 7518 §3.2 requires at least 32 bytes"),
                "\(text)")
        let json = try await layabauth(["verify", Self.jwtIOToken, "--secret-file", secret, "--json"])
        #expect(json.status == 1, "\(json)")
        let object = jsonObject(json.output)
        #expect(object.errorCodes.first == "weak_key", "\(object)")
        #expect(object["errors"]?.arrayValue?.first?["message"]?.stringValue?.contains("matches this 19-byte secret") == true)
    }

    @Test("weak_key: a wrong signature with a weak secret is bad_signature, with the weakness as a hint")
    func weakSecretWrongSignature() async throws {
        let directory = try TemporaryDirectory()
        let secret = try directory.write("secret.txt", "not-the-jwt-io-secret")
        let result = try await layabauth(["verify", Self.jwtIOToken, "--secret-file", secret, "--json"])
        #expect(result.status == 1, "\(result)")
        let object = jsonObject(result.output)
        #expect(object.errorCodes.first == "bad_signature", "\(object)")
        #expect(object["hints"] == ["this 21-byte secret is refused anyway: RFC 7518 §3.2 requires at least 32 bytes for HS256"], "\(object)")
    }

    @Test("weak_key: an RSA key of 1024 bits in a PEM or JWK Set file no longer makes the file unusable")
    func weakRSAKeyFile() async throws {
        let directory = try TemporaryDirectory()
        let old = try await RSAKeys.shared.key(kid: "old", bits: 1024)
        let new = try await RSAKeys.shared.key(kid: "new")
        let token = try TestIssuer(key: old, name: "https://issuer.test").token()
        let pem = try directory.write("old.pem", try #require(old.verificationKey.pem))
        let result = try await layabauth(["verify", token, "--key", pem])
        #expect(result.status == 1, "\(result)")
        #expect(result.output.contains("weak_key: the RS256 signature matches the 1024-bit RSA key; refused: RFC 7518 §3.3 requires at least 2048 bits"), "\(result)")
        // An old key set: the 1024-bit key beside a current one. The current one still verifies its tokens.
        let set = try directory.write("keys.json", KeySet(keys: [old.verificationKey, new.verificationKey]).publicJWKS.jsonText)
        let json = try await layabauth(["verify", token, "--key", set, "--json"])
        #expect(json.status == 1, "\(json)")
        #expect(jsonObject(json.output).errorCodes == ["weak_key"], "\(json)")
        #expect(jsonObject(json.output)["errors"]?.arrayValue?.first?["message"]?.stringValue?.contains("RSA key \"old\"") == true, "\(json)")
        let current = try await layabauth(["verify", try TestIssuer(key: new, name: "https://issuer.test").token(), "--key", set])
        #expect(current.status == 0, "\(current)")
    }

    @Test("a token without kid against a key set where several keys fit: key_not_found, and which key would verify it")
    func kidlessToken() async throws {
        let directory = try TemporaryDirectory()
        let signers = try ["a", "b", "c"].map { try SigningKey.generate(.es256, kid: $0) }
        let set = try directory.write("keys.json", KeySet(keys: signers.map(\.verificationKey)).publicJWKS.jsonText)
        let claims: JSONObject = ["sub": "alice", "exp": .integer(Int64(Date().timeIntervalSince1970) + 600)]
        let token = try signers[2].sign(header: ["alg": "ES256"], payload: Array(JSONValue.object(claims).jsonText.utf8))
        let result = try await layabauth(["verify", token, "--key", set, "--json"])
        #expect(result.status == 1, "\(result)")
        let object = jsonObject(result.output)
        #expect(object.errorCodes == ["key_not_found"], "\(object)")
        let hint = try #require(object["hints"]?.arrayValue?.first?.stringValue, "\(object)")
        #expect(hint.contains("key \"c\""), "\(hint)")
        #expect(hint.contains(signers[2].verificationKey.thumbprint), "\(hint)")
        #expect(hint.contains("the issuer must put \"kid\": \"c\" in the token's header"), "\(hint)")
        let text = try await layabauth(["verify", token, "--key", set])
        #expect(text.output.contains("hint  key \"c\""), "\(text)")
    }

    @Test("RSA-PSS signed with salt length 0 or max: bad_signature, and the salt length that verifies",
          arguments: [("0", 0), ("max", 222)])
    func pssSaltLength(saltLength: String, bytes: Int) async throws {
        let directory = try TemporaryDirectory()
        let rsa = try await RSAKeys.shared.key(kid: "pss")
        let signer = try SigningKey(pem: try #require(rsa.privateKeyPEM), algorithm: .ps256, kid: "pss")
        let claims: JSONObject = ["sub": "alice", "exp": .integer(Int64(Date().timeIntervalSince1970) + 600)]
        let input = Base64URL.encode(Array(#"{"alg":"PS256","kid":"pss"}"#.utf8)) + "." + Base64URL.encode(Array(JSONValue.object(claims).jsonText.utf8))
        try directory.write("input", input)
        try directory.write("key.pem", try #require(signer.privateKeyPEM))
        try OpenSSLCommand.run(["dgst", "-sha256", "-sign", "key.pem", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:\(saltLength)",
                                "-out", "signature", "input"], in: directory.url)
        let token = input + "." + Base64URL.encode(Array(try Data(contentsOf: directory.url.appendingPathComponent("signature"))))
        let set = try directory.write("keys.json", KeySet(keys: [signer.verificationKey]).publicJWKS.jsonText)
        let result = try await layabauth(["verify", token, "--key", set, "--json"])
        #expect(result.status == 1, "\(result)")
        let object = jsonObject(result.output)
        #expect(object.errorCodes == ["bad_signature"], "\(object)")
        #expect(object["hints"]?.arrayValue?.first?.stringValue?.contains("when the salt is \(bytes) bytes long") == true, "\(object)")
    }

    @Test("an alg differing from a registered name only in case: unsupported_algorithm, and the registered spelling",
          arguments: [("hs256", "HS256"), ("ED25519", "Ed25519")])
    func caseVariantAlgorithm(alg: String, registered: String) async throws {
        let directory = try TemporaryDirectory()
        let secret = try directory.write("secret.txt", String(repeating: "s", count: 32))
        let header = Base64URL.encode(Array(#"{"alg":"\#(alg)"}"#.utf8))
        let token = header + "." + Base64URL.encode(Array(#"{"sub":"alice"}"#.utf8)) + "." + Base64URL.encode(Array(repeating: 1, count: 32))
        let result = try await layabauth(["verify", token, "--secret-file", secret])
        #expect(result.status == 1, "\(result)")
        #expect(result.output.contains("unsupported_algorithm"), "\(result)")
        #expect(result.output.contains("hint  alg \"\(alg)\" differs from the registered name \"\(registered)\" only in case"), "\(result)")
        // The option says it too, and stays a usage error.
        let option = try await layabauth(["verify", token, "--secret-file", secret, "--algorithm", alg])
        #expect(option.status == 2, "\(option)")
        #expect(option.errorOutput.contains("the registered spelling is \(registered)"), "\(option)")
    }

    @Test("whitespace removed from inside a pasted token is said on standard error, with how much; nothing for a clean token")
    func removedWhitespace() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keys = try directory.write("keys.json", issuer.jwks)
        let token = try issuer.token()
        let cut = token.index(token.startIndex, offsetBy: 40)
        let wrapped = try directory.write("wrapped.txt", token[..<cut] + "\n  " + token[cut...] + "\n")
        let result = try await layabauth(["verify", "@" + wrapped, "--key", keys])
        #expect(result.status == 0, "\(result)")
        #expect(result.errorOutput.contains("removed 3 whitespace characters (a line break inside the token); a server would refuse the token as sent"), "\(result)")
        let clean = try await layabauth(["verify", "Authorization: Bearer \(token)\n", "--key", keys, "--json"])
        #expect(clean.status == 0, "\(clean)")
        #expect(clean.errorOutput.isEmpty, "\(clean)")
        // A space inside a line is not what a line wrap adds: it stays, and the token is refused as sent.
        let batch = try await layabauth(["verify", "-", "--key", keys], input: "\(token)\n\(token[..<cut]) \(token[cut...])\n")
        #expect(batch.status == 1, "\(batch)")
        #expect(batch.output.contains("line 2: REJECTED malformed"), "\(batch)")
        #expect(!batch.errorOutput.contains("removed"), "\(batch)")
        #expect(!batch.errorOutput.contains("line 1"), "\(batch)")
    }
}
