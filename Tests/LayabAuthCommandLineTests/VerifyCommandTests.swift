import Foundation
import LayabAuth
import LayabAuthTesting
import Testing

/// Every place `layabauth verify` takes keys from.
enum KeySourceKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case pemPublicKey = "--key with a PEM public key"
    case pemPrivateKey = "--key with a PEM private key (its public half)"
    case jwk = "--key with a JWK file"
    case jwksKeyFile = "--key with a JWK Set file"
    case jwksPath = "--jwks with a file path"
    case jwksFileURL = "--jwks with a file:// URL"
    case secretFile = "--secret-file with an HS256 secret"
    case http = "--jwks with an http:// URL on 127.0.0.1"
    case discovery = "--issuer alone: OpenID Connect discovery"

    var testDescription: String { rawValue }

    /// A token, the arguments that name its key, and what `key` in the JSON output must say.
    struct Setup {
        let token: String
        let arguments: [String]
        let thumbprint: String
        let keyType: String
        /// Kept alive for the run.
        let server: TestHTTPServer?
    }

    func setUp(in directory: TemporaryDirectory) async throws -> Setup {
        let issuer = TestIssuer(key: try await RSAKeys.shared.key(kid: "rsa-1"), name: "https://issuer.test")
        let key = issuer.key
        let jwks = KeySet(keys: [key.verificationKey]).publicJWKS.jsonText
        func setup(_ arguments: [String], token: String? = nil, server: TestHTTPServer? = nil) throws -> Setup {
            Setup(token: try token ?? issuer.token(), arguments: arguments, thumbprint: key.verificationKey.thumbprint, keyType: "RSA", server: server)
        }
        switch self {
        case .pemPublicKey:
            return try setup(["--key", directory.write("public.pem", try #require(key.verificationKey.pem))])
        case .pemPrivateKey:
            return try setup(["--key", directory.write("private.pem", try #require(key.privateKeyPEM))])
        case .jwk:
            return try setup(["--key", directory.write("key.jwk", JSONValue.object(key.verificationKey.publicJWK).jsonText)])
        case .jwksKeyFile:
            return try setup(["--key", directory.write("keys.json", jwks)])
        case .jwksPath:
            return try setup(["--jwks", directory.write("jwks.json", jwks)])
        case .jwksFileURL:
            return try setup(["--jwks", "file://" + directory.write("jwks.json", jwks)])
        case .secretFile:
            let secret = Array("a shared secret of forty-eight bytes, not less!!".utf8)
            let hmac = try SigningKey(hmacSecret: secret, algorithm: .hs256)
            let token = try hmac.sign(claims: ["sub": "alice", "exp": .integer(Int64(Date().timeIntervalSince1970) + 600)])
            return Setup(token: token, arguments: ["--secret-file", try directory.write("secret.txt", bytes: secret + [0x0A])],
                         thumbprint: hmac.verificationKey.thumbprint, keyType: "oct", server: nil)
        case .http:
            let server = try identityProviderServer(jwks: jwks)
            return try setup(["--jwks", server.url("/jwks.json")], server: server)
        case .discovery:
            let server = try identityProviderServer(jwks: jwks)
            let discovered = TestIssuer(key: key, name: server.baseURL)
            return try setup(["--issuer", server.baseURL], token: discovered.token(), server: server)
        }
    }
}

/// A claim or option that makes a token fail one check, and the code the failure carries.
struct FailingCheck: CustomTestStringConvertible, Sendable {
    let name: String
    let claims: JSONObject
    let arguments: [String]
    let code: String
    /// The check's row in the human output.
    let row: String
    var signedByStranger = false

    var testDescription: String { name }

    static let all: [FailingCheck] = {
        let now = Int64(Date().timeIntervalSince1970)
        return [
            FailingCheck(name: "expired", claims: ["exp": .integer(now - 600)], arguments: [], code: "expired", row: "exp"),
            FailingCheck(name: "not yet valid", claims: ["nbf": .integer(now + 3600)], arguments: [], code: "not_yet_valid", row: "nbf"),
            FailingCheck(name: "issued in the future", claims: ["iat": .integer(now + 3600)], arguments: [], code: "issued_in_future", row: "iat"),
            FailingCheck(name: "--issuer differs from iss", claims: [:], arguments: ["--issuer", "https://other.test"], code: "issuer_mismatch", row: "iss"),
            FailingCheck(name: "--audience not in aud", claims: [:], arguments: ["--audience", "billing"], code: "audience_mismatch", row: "aud"),
            FailingCheck(name: "--audience with no aud claim", claims: ["aud": .null], arguments: ["--audience", "api"], code: "missing_claim", row: "aud"),
            FailingCheck(name: "--scope not granted", claims: [:], arguments: ["--scope", "read", "--scope", "admin"], code: "insufficient_scope", row: "scopes"),
            FailingCheck(name: "--algorithm excludes the token's", claims: [:], arguments: ["--algorithm", "RS256"], code: "algorithm_not_allowed", row: "signature"),
            FailingCheck(name: "--leeway 0 makes a just-expired token fail", claims: ["exp": .integer(now - 5)], arguments: ["--leeway", "0"], code: "expired", row: "exp"),
            FailingCheck(name: "signed by another key with the same kid", claims: [:], arguments: [], code: "bad_signature", row: "signature",
                         signedByStranger: true),
        ]
    }()
}

@Suite("layabauth verify", .fewAtATime)
struct VerifyCommandTests {
    @Test("keys are taken from every kind of source", arguments: KeySourceKind.allCases)
    func keySources(kind: KeySourceKind) async throws {
        let directory = try TemporaryDirectory()
        let setup = try await kind.setUp(in: directory)
        let result = try await layabauth(["verify", "--json", setup.token] + setup.arguments)
        #expect(result.status == 0, "\(result)")
        #expect(result.errorOutput.isEmpty, "\(result)")
        let object = jsonObject(result.output)
        #expect(object["valid"] == true, "\(result)")
        #expect(object["key"]?["thumbprint"] == .string(setup.thumbprint))
        #expect(object["key"]?["kty"] == .string(setup.keyType))
        withExtendedLifetime(setup.server) {}
    }

    @Test("every check is listed in the human output of a valid token")
    func humanOutputValid() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("key.jwk", JSONValue.object(issuer.key.verificationKey.publicJWK).jsonText)
        let start = Date().timeIntervalSince1970
        let exp = Int64(start) + 3600
        let result = try await layabauth(["verify", try issuer.token(["exp": .integer(exp)]), "--key", keyFile, "--issuer", issuer.name,
                                          "--audience", "api", "--scope", "read"])
        let end = Date().timeIntervalSince1970
        #expect(result.status == 0, "\(result)")
        let lines = result.outputLines
        #expect(lines.first?.hasPrefix("VALID") == true, "\(result)")
        func row(_ name: String) -> String? { lines.first { $0.hasPrefix("  ") && $0.dropFirst(8).hasPrefix(name + " ") } }
        #expect(row("signature")?.contains("ok") == true && row("signature")?.contains(issuer.key.verificationKey.thumbprint) == true, "\(result)")
        let expires = relativeTexts(exp, from: start, to: end)
        #expect(row("exp")?.contains("ok") == true && expires.contains { row("exp")?.hasSuffix("expires \($0)") == true }, "\(result)")
        #expect(row("nbf")?.contains("skip") == true, "nbf is absent: \(result)")
        #expect(row("iat")?.contains("ok") == true, "\(result)")
        #expect(row("iss")?.contains("ok") == true && row("iss")?.contains(issuer.name) == true, "\(result)")
        #expect(row("aud")?.contains("ok") == true && row("aud")?.contains("\"api\"") == true, "\(result)")
        #expect(row("scopes")?.contains("ok") == true && row("scopes")?.contains("[read]") == true, "\(result)")
        #expect(!lines.contains { $0.contains("FAIL") }, "\(result)")
    }

    @Test("a failing check is an error with the verifier's code, in JSON and in the text", arguments: FailingCheck.all)
    func failingCheck(check: FailingCheck) async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("key.jwk", JSONValue.object(issuer.key.verificationKey.publicJWK).jsonText)
        let signer = check.signedByStranger ? try TestIssuer(kid: "k1") : issuer
        let token = try signer.token(check.claims)

        let json = try await layabauth(["verify", "--json", token, "--key", keyFile] + check.arguments)
        #expect(json.status == 1, "\(json)")
        #expect(json.errorOutput.isEmpty, "\(json)")
        let object = jsonObject(json.output)
        #expect(object["valid"] == false)
        #expect(object.errorCodes == [check.code], "\(json)")

        let text = try await layabauth(["verify", token, "--key", keyFile] + check.arguments)
        #expect(text.status == 1, "\(text)")
        #expect(text.outputLines.first?.hasPrefix("REJECTED") == true, "\(text)")
        let row = text.outputLines.first { $0.hasPrefix("  FAIL  \(check.row) ") }
        #expect(row?.contains(check.code) == true, "no FAIL row for \(check.row) with \(check.code): \(text)")
    }

    @Test("a token whose kid is not among the keys: key_not_found, signature unverified, key null")
    func unknownKid() async throws {
        let directory = try TemporaryDirectory()
        let known = try TestIssuer(kid: "known")
        let keyFile = try directory.write("jwks.json", known.jwks)
        let token = try TestIssuer(kid: "stranger").token()
        let result = try await layabauth(["verify", "--json", token, "--jwks", keyFile])
        #expect(result.status == 1, "\(result)")
        let object = jsonObject(result.output)
        #expect(object.errorCodes == ["key_not_found"], "\(result)")
        #expect(object["key"] == .null)
        let message = try #require(object["errors"]?.arrayValue?.first?["message"]?.stringValue)
        #expect(message.contains("stranger") && message.contains("known"), "\(message)")

        let text = try await layabauth(["verify", token, "--jwks", keyFile])
        #expect(text.outputLines.contains { $0.contains("signature") && $0.contains("UNVERIFIED") && $0.contains("key_not_found") }, "\(text)")
    }

    @Test("--json shape: valid, errors, header, claims, key and scopes with their types")
    func jsonShape() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("key.jwk", JSONValue.object(issuer.key.verificationKey.publicJWK).jsonText)
        let accepted = try await layabauth(["verify", "--json", try issuer.token(), "--key", keyFile, "--scope", "read"])
        #expect(accepted.status == 0, "\(accepted)")
        #expect(accepted.outputLines.count == 1, "one line per token: \(accepted)")
        let object = jsonObject(accepted.output)
        #expect(object.names.sorted() == ["accessTokenProfile", "claims", "errors", "header", "key", "scopes", "valid"])
        #expect(object["valid"] == true)
        #expect(object["accessTokenProfile"]?.objectValue?.names.sorted() == ["reasons", "satisfied"])
        #expect(object["errors"] == [])
        #expect(object["header"]?.objectValue?.names.sorted() == ["alg", "kid", "typ"])
        #expect(object["claims"]?["sub"] == "alice")
        #expect(object["claims"]?["aud"] == "api")
        #expect(object["claims"]?["exp"]?.doubleValue != nil)
        let key = try #require(object["key"]?.objectValue)
        #expect(key.names.sorted() == ["alg", "kid", "kty", "thumbprint"])
        #expect(key["kid"] == "k1")
        #expect(key["kty"] == "EC")
        #expect(key["alg"] == "ES256")
        #expect(key["thumbprint"] == .string(issuer.key.verificationKey.thumbprint))
        let scopes = try #require(object["scopes"]?.objectValue)
        #expect(scopes.names.sorted() == ["granted", "missing", "present", "required"])
        #expect(scopes["required"] == ["read"])
        #expect(scopes["present"] == ["read"])
        #expect(scopes["missing"] == [])
        #expect(scopes["granted"] == ["read", "write"])

        let rejected = try await layabauth(["verify", "--json", try issuer.token(["scope": "read"]), "--key", keyFile,
                                            "--scope", "read", "--scope", "write", "--audience", "billing"])
        #expect(rejected.status == 1, "\(rejected)")
        let refused = jsonObject(rejected.output)
        #expect(refused.names.sorted() == ["accessTokenProfile", "claims", "errors", "header", "key", "scopes", "valid"])
        #expect(refused["valid"] == false)
        #expect(refused.errorCodes == ["audience_mismatch", "insufficient_scope"])
        for error in refused["errors"]?.arrayValue ?? [] {
            #expect(error.objectValue?.names.sorted() == ["code", "message"])
            #expect(error["message"]?.stringValue?.isEmpty == false)
        }
        #expect(refused["key"]?["thumbprint"] == .string(issuer.key.verificationKey.thumbprint), "the signature itself was good")
        #expect(refused["scopes"]?["required"] == ["read", "write"])
        #expect(refused["scopes"]?["present"] == ["read"])
        #expect(refused["scopes"]?["missing"] == ["write"])
        #expect(refused["scopes"]?["granted"] == ["read"])
    }

    @Test("--json scopes.granted is every scope the token carries (scope, scp and scopes united), with or without --scope")
    func grantedScopes() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let token = try issuer.token(["scope": "read write", "scp": ["admin", "read"], "scopes": ["billing.view"]])
        let unrequired = try await layabauth(["verify", "--json", token, "--key", keyFile])
        #expect(unrequired.status == 0, "\(unrequired)")
        let scopes = jsonObject(unrequired.output)["scopes"]
        #expect(scopes?["required"] == [])
        #expect(scopes?["present"] == [], "present lists required scopes only")
        #expect(scopes?["missing"] == [])
        #expect(scopes?["granted"] == ["read", "write", "admin", "billing.view"])

        let required = try await layabauth(["verify", "--json", token, "--key", keyFile, "--scope", "admin", "--scope", "delete"])
        #expect(required.status == 1, "\(required)")
        let refused = jsonObject(required.output)["scopes"]
        #expect(refused?["present"] == ["admin"])
        #expect(refused?["missing"] == ["delete"])
        #expect(refused?["granted"] == ["read", "write", "admin", "billing.view"])

        let none = try await layabauth(["verify", "--json", try issuer.token(["scope": .null]), "--key", keyFile])
        #expect(none.status == 0, "\(none)")
        #expect(jsonObject(none.output)["scopes"]?["granted"] == [])
    }

    @Test("several tokens: one result each, in order; exit 1 when any is rejected")
    func severalTokens() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let expired = try issuer.token(["sub": "second", "exp": .integer(Int64(Date().timeIntervalSince1970) - 3600)])
        let third = try directory.write("third.txt", "Authorization: Bearer \(try issuer.token(["sub": "third"]))\n")
        let tokens = [try issuer.token(["sub": "first"]), expired, "@" + third]

        let json = try await layabauth(["verify", "--json", "--key", keyFile] + tokens)
        #expect(json.status == 1, "\(json)")
        let objects = json.outputLines.map { jsonObject($0) }
        #expect(objects.map { $0["claims"]?["sub"]?.stringValue } == ["first", "second", "third"])
        #expect(objects.map { $0["valid"] } == [true, false, true])
        #expect(objects.allSatisfy { $0["line"] == nil }, "line numbers belong to batch mode only")

        let text = try await layabauth(["verify", "--key", keyFile] + tokens)
        #expect(text.status == 1, "\(text)")
        let headings = text.outputLines.filter { $0.hasPrefix("Token ") }
        #expect(headings == ["Token 1", "Token 2", "Token 3"], "\(text)")

        let allValid = try await layabauth(["verify", "--key", keyFile, tokens[0], tokens[2]])
        #expect(allValid.status == 0, "\(allValid)")
    }

    @Test("--issuer with --key only requires iss to equal it, with no discovery")
    func issuerWithStaticKeys() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer(name: "https://unreachable.invalid")
        let keyFile = try directory.write("key.jwk", JSONValue.object(issuer.key.verificationKey.publicJWK).jsonText)
        let accepted = try await layabauth(["verify", "--json", try issuer.token(), "--key", keyFile, "--issuer", issuer.name])
        #expect(accepted.status == 0, "\(accepted)")
        let rejected = try await layabauth(["verify", "--json", try issuer.token(["iss": "https://unreachable.invalid/"]),
                                            "--key", keyFile, "--issuer", issuer.name])
        #expect(rejected.status == 1, "\(rejected)")
        #expect(jsonObject(rejected.output).errorCodes == ["issuer_mismatch"])
    }

    @Test("--issuer with --jwks only requires iss to equal it: the discovery document is not asked for")
    func issuerWithJWKS() async throws {
        let issuer = try TestIssuer()
        let server = try identityProviderServer(jwks: issuer.jwks)
        defer { server.stop() }
        let accepted = try await layabauth(["verify", "--json", try issuer.token(), "--jwks", server.url("/jwks.json"), "--issuer", issuer.name])
        #expect(accepted.status == 0, "\(accepted)")
        let rejected = try await layabauth(["verify", "--json", try issuer.token(), "--jwks", server.url("/jwks.json"), "--issuer", server.baseURL])
        #expect(rejected.status == 1, "\(rejected)")
        #expect(jsonObject(rejected.output).errorCodes == ["issuer_mismatch"])
        #expect(server.requestCount(path: "/.well-known/openid-configuration") == 0)
        #expect(server.requestCount(path: "/jwks.json") == 2)
    }

    @Test("discovery: iss must equal the issuer, and the discovery document and JWKS are fetched")
    func discoveryRequiresIssuer() async throws {
        let issuer = try TestIssuer()
        let server = try identityProviderServer(jwks: issuer.jwks)
        defer { server.stop() }
        let result = try await layabauth(["verify", "--json", "--issuer", server.baseURL, try issuer.token()])
        #expect(result.status == 1, "\(result)")
        #expect(jsonObject(result.output).errorCodes == ["issuer_mismatch"], "the token's iss is \(issuer.name): \(result)")
        #expect(server.requestCount(path: "/.well-known/openid-configuration") == 1)
        #expect(server.requestCount(path: "/jwks.json") == 1)
    }

    @Test("an unreadable token argument is rejected with a specific error, never a crash", arguments: [
        ("garbage", "not a token at all", "malformed", "three segments"),
        ("a JWE", "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5.aXY.Y2lwaGVydGV4dA.dGFn", "encrypted_token_unsupported", "JWE"),
        ("an empty argument", "", "missing_token", "the token is empty"),
        ("JWS JSON serialization", #"{"payload":"e30","signatures":[]}"#, "malformed", "compact form"),
    ])
    func unreadable(name: String, token: String, code: String, message: String) async throws {
        let directory = try TemporaryDirectory()
        let keyFile = try directory.write("jwks.json", try TestIssuer().jwks)
        let json = try await layabauth(["verify", "--json", token, "--key", keyFile])
        #expect(json.status == 1, "\(name): \(json)")
        let object = jsonObject(json.output)
        #expect(object.errorCodes == [code], "\(name): \(json)")
        #expect(object["errors"]?.arrayValue?.first?["message"]?.stringValue?.contains(message) == true, "\(name): \(json)")
        // Since issue 14 a JWE's protected header is shown (its claims cannot be).
        let shown = name == "a JWE"
        #expect((object["header"] == .null) != shown && object["claims"] == .null && object["key"] == .null)
        let text = try await layabauth(["verify", token, "--key", keyFile])
        #expect(text.status == 1, "\(name): \(text)")
        #expect(text.outputLines.contains { $0.hasPrefix(shown ? "  FAIL  signature " : "  FAIL  token ") && $0.contains(code) }, "\(name): \(text)")
    }

    @Test("a token from @file may hold 1 MiB: exactly that much reaches the verifier (token_too_large, exit 1), one byte more is exit 2")
    func inputLimit() async throws {
        let directory = try TemporaryDirectory()
        let keyFile = try directory.write("jwks.json", try TestIssuer().jwks)
        let atLimit = try directory.write("at-limit.txt", bytes: [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20))
        let overLimit = try directory.write("over-limit.txt", bytes: [UInt8](repeating: UInt8(ascii: "a"), count: (1 << 20) + 1))
        let rejected = try await layabauth(["verify", "--json", "@" + atLimit, "--key", keyFile])
        #expect(rejected.status == 1, "\(rejected)")
        #expect(jsonObject(rejected.output).errorCodes == ["token_too_large"], "\(rejected)")
        let refused = try await layabauth(["verify", "--json", "@" + overLimit, "--key", keyFile])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.output.isEmpty, "\(refused)")
        #expect(refused.errorOutput.contains("holds more than 1048576 bytes"), "\(refused)")
    }

    @Test("token input forms work for verify as well", arguments: TokenForm.allCases.filter { $0 != .standardInput && $0 != .standardInputAuthorization })
    func inputForms(form: TokenForm) async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let (arguments, input) = try form.arguments(for: try issuer.token(["sub": "form"]), in: directory)
        let result = try await layabauth(["verify", "--json", "--key", keyFile] + arguments, input: input)
        #expect(result.status == 0, "\(result)")
        #expect(jsonObject(result.output)["claims"]?["sub"] == "form")
    }
}
