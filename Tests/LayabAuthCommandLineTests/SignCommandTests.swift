import Foundation
import LayabAuth
import TestSupport
import Testing

/// `layabauth sign` through the real binary, its tokens checked by `layabauth verify`.
@Suite("layabauth sign", .fewAtATime)
struct SignCommandTests {
    static let asymmetric = Algorithm.allCases.filter { $0.family != .hmac }
    static let hmac = Algorithm.allCases.filter { $0.family == .hmac }

    @Test("--generate <alg> --public-jwks: the token verifies with verify --jwks and that file", arguments: asymmetric)
    func generatedKeyRoundTrip(algorithm: Algorithm) async throws {
        let directory = try TemporaryDirectory()
        let jwks = directory.path("jwks.json")
        let signed = try await layabauth(["sign", "--generate", algorithm.rawValue, "--public-jwks", jwks, "--iss", "https://issuer.test",
                                          "--aud", "api", "--scope", "read", "--scope", "write"])
        #expect(signed.status == 0, "\(signed)")
        #expect(signed.errorOutput.isEmpty, "\(signed)")
        let token = try #require(signed.outputLines.first)
        #expect(signed.outputLines.count == 1, "the token alone: \(signed)")
        let verified = try await layabauth(["verify", token, "--jwks", jwks, "--algorithm", algorithm.rawValue, "--audience", "api",
                                            "--scope", "read", "--scope", "write", "--json"])
        #expect(verified.status == 0, "\(verified)")
        let decoded = try Verifier.decodeUnverified(token)
        #expect(decoded.header["alg"] == .string(algorithm.rawValue))
        let set = jsonObject(try String(contentsOfFile: jwks, encoding: .utf8))
        let key = try #require(set["keys"]?.arrayValue?.first?.objectValue)
        #expect(decoded.header["kid"] != nil && decoded.header["kid"] == key["kid"], "the header names the published key")
        #expect(key["d"] == nil && key["p"] == nil, "only the public key is written: \(key)")
    }

    @Test("--secret-file with --algorithm: the token verifies with verify --secret-file", arguments: hmac)
    func secretRoundTrip(algorithm: Algorithm) async throws {
        let directory = try TemporaryDirectory()
        let secret = try directory.write("secret", bytes: (0..<64).map { UInt8($0 * 3 % 251) })
        let signed = try await layabauth(["sign", "--secret-file", secret, "--algorithm", algorithm.rawValue, "--sub", "alice"])
        #expect(signed.status == 0, "\(signed)")
        let token = try #require(signed.outputLines.first)
        let verified = try await layabauth(["verify", token, "--secret-file", secret, "--algorithm", algorithm.rawValue])
        #expect(verified.status == 0, "\(verified)")
    }

    @Test("the algorithm follows from the key: an EC PEM its curve's, a 32-byte secret HS256, a JWK its alg")
    func algorithmFromKey() async throws {
        let directory = try TemporaryDirectory()
        let ec = try SigningKey.generate(.es384)
        let pem = try directory.write("ec.pem", try #require(ec.privateKeyPEM))
        let publicPEM = try directory.write("ec-public.pem", try #require(ec.verificationKey.pem))
        let fromPEM = try await layabauth(["sign", "--key", pem])
        #expect(fromPEM.status == 0, "\(fromPEM)")
        #expect(try Verifier.decodeUnverified(fromPEM.output.trimmingCharacters(in: .whitespacesAndNewlines)).header["alg"] == "ES384")
        #expect(try await layabauth(["verify", fromPEM.output, "--key", publicPEM]).status == 0)

        let fromStandardInput = try await layabauth(["sign", "--key", "-"], input: try #require(ec.privateKeyPEM))
        #expect(fromStandardInput.status == 0, "\(fromStandardInput)")

        let short = try directory.write("short-secret", bytes: Array(repeating: 7, count: 32))
        let hs = try await layabauth(["sign", "--secret-file", short, "--json"])
        #expect(jsonObject(hs.output)["header"]?["alg"] == "HS256", "\(hs)")

        let secret = Base64URL.encode(Array(repeating: 9, count: 48))
        let jwk = try directory.write("key.jwk", #"{"kty":"oct","k":"\#(secret)","alg":"HS384","kid":"j1"}"#)
        let fromJWK = try await layabauth(["sign", "--key", jwk, "--json"])
        let header = jsonObject(fromJWK.output)["header"]
        #expect(header?["alg"] == "HS384" && header?["kid"] == "j1", "\(fromJWK)")
    }

    @Test("options override --claims members; times, audiences, scopes, jti, typ, kid and extra header members")
    func overrides() async throws {
        let directory = try TemporaryDirectory()
        let claimsFile = try directory.write("claims.json", #"{"iss":"https://old.test","sub":"bob","exp":1,"custom":{"n":1},"aud":"old"}"#)
        let before = Int64(Date().timeIntervalSince1970)
        let result = try await layabauth(["sign", "--generate", "ES256", "--public-jwks", directory.path("jwks.json"), "--claims", "@" + claimsFile,
                                          "--iss", "https://issuer.test", "--aud", "api", "--aud", "other", "--scope", "read", "--scope", "admin",
                                          "--exp", "2h", "--nbf", "-5m", "--iat", "2026-12-01T10:00:00Z", "--jti", "auto", "--typ", "at+jwt",
                                          "--kid", "mine", "--header", #"cty="JWT""#, "--json"])
        #expect(result.status == 0, "\(result)")
        let object = jsonObject(result.output)
        let claims = try #require(object["claims"]?.objectValue)
        let after = Int64(Date().timeIntervalSince1970)
        #expect(claims["iss"] == "https://issuer.test" && claims["sub"] == "bob" && claims["custom"] == ["n": 1])
        #expect(claims["aud"] == ["api", "other"] && claims["scope"] == "read admin")
        #expect(claims["iat"] == .integer(1_796_119_200))
        let exp = try #require(claims["exp"]?.doubleValue), nbf = try #require(claims["nbf"]?.doubleValue)
        #expect(exp >= Double(before + 7200) && exp <= Double(after + 7200), "\(exp)")
        #expect(nbf >= Double(before - 300) && nbf <= Double(after - 300), "\(nbf)")
        #expect(claims["jti"]?.stringValue?.count == 36)
        let header = try #require(object["header"]?.objectValue)
        #expect(header["typ"] == "at+jwt" && header["kid"] == "mine" && header["cty"] == "JWT" && header["alg"] == "ES256")
        let token = try #require(object["token"]?.stringValue)
        #expect(try Verifier.decodeUnverified(token).claims?.members == claims, "--json shows the signed claims")

        let fromInput = try await layabauth(["sign", "--generate", "EdDSA", "--public-jwks", directory.path("jwks2.json"), "--claims", "-",
                                             "--sub", "carol", "--exp", "1796637600", "--json"], input: #"{"sub":"dave","role":"x"}"#)
        let inputClaims = jsonObject(fromInput.output)["claims"]
        #expect(inputClaims?["sub"] == "carol" && inputClaims?["role"] == "x" && inputClaims?["exp"] == .integer(1_796_637_600), "\(fromInput)")
    }

    @Test("without --exp or an exp claim: iat now, exp one hour later")
    func defaultLifetime() async throws {
        let directory = try TemporaryDirectory()
        let result = try await layabauth(["sign", "--generate", "ES256", "--public-jwks", directory.path("jwks.json"), "--json"])
        let claims = jsonObject(result.output)["claims"]
        let iat = try #require(claims?["iat"]?.doubleValue), exp = try #require(claims?["exp"]?.doubleValue)
        #expect(exp - iat == 3600)
        #expect(abs(iat - Date().timeIntervalSince1970) < 60)
    }

    struct UsageCase: Sendable, CustomTestStringConvertible {
        let name: String
        let arguments: [String]
        let reason: String
        var testDescription: String { name }
    }

    static let usageCases: [UsageCase] = [
        UsageCase(name: "no key", arguments: ["sign"], reason: "no key to sign with"),
        UsageCase(name: "two keys", arguments: ["sign", "--generate", "ES256", "--public-jwks", "J", "--secret-file", "S"], reason: "give one key, not --secret-file and --generate"),
        UsageCase(name: "generate without public jwks", arguments: ["sign", "--generate", "ES256"], reason: "--generate needs --public-jwks"),
        UsageCase(name: "generate HMAC", arguments: ["sign", "--generate", "HS256", "--public-jwks", "J"], reason: "give --secret-file"),
        UsageCase(name: "algorithm case", arguments: ["sign", "--generate", "es256", "--public-jwks", "J"], reason: "the registered spelling is ES256"),
        UsageCase(name: "unknown algorithm", arguments: ["sign", "--generate", "ES999", "--public-jwks", "J"], reason: "unknown algorithm \"ES999\""),
        UsageCase(name: "RSA key is ambiguous", arguments: ["sign", "--key", "RSA"], reason: "the key can sign RS256, RS384, RS512, PS256, PS384, PS512: choose one with --algorithm"),
        UsageCase(name: "key cannot make the algorithm", arguments: ["sign", "--key", "RSA", "--algorithm", "ES256"], reason: "ES256 needs an EC key, the key is RSA"),
        UsageCase(name: "long secret is ambiguous", arguments: ["sign", "--secret-file", "SECRET"], reason: "the key can sign HS256, HS384, HS512: choose one with --algorithm"),
        UsageCase(name: "public key", arguments: ["sign", "--key", "PUBLIC"], reason: "holds no private key"),
        UsageCase(name: "missing key file", arguments: ["sign", "--key", "/nonexistent/key.pem"], reason: "cannot read /nonexistent/key.pem"),
        UsageCase(name: "bad duration", arguments: ["sign", "--secret-file", "SECRET", "--algorithm", "HS256", "--exp", "tomorrow"], reason: "--exp \"tomorrow\" is not a time"),
        UsageCase(name: "claims not an object", arguments: ["sign", "--secret-file", "SECRET", "--algorithm", "HS256", "--claims", "[1]"], reason: "--claims must be a JSON object, found an array"),
        UsageCase(name: "claims not JSON", arguments: ["sign", "--secret-file", "SECRET", "--algorithm", "HS256", "--claims", "{sub"], reason: "--claims is not valid JSON"),
        UsageCase(name: "header alg", arguments: ["sign", "--secret-file", "SECRET", "--algorithm", "HS256", "--header", #"alg="none""#], reason: "--header cannot set alg"),
        UsageCase(name: "header not JSON", arguments: ["sign", "--secret-file", "SECRET", "--algorithm", "HS256", "--header", "cty=JWT"], reason: "the value must be JSON"),
        UsageCase(name: "stdin twice", arguments: ["sign", "--secret-file", "-", "--claims", "-"], reason: "standard input can hold the claims or the key, not both"),
        UsageCase(name: "secret with public jwks", arguments: ["sign", "--secret-file", "SECRET", "--algorithm", "HS256", "--public-jwks", "J"], reason: "an HMAC secret has no public key"),
    ]

    @Test("usage errors: exit 2, the reason on standard error, nothing on standard output", arguments: usageCases)
    func usageErrors(usage: UsageCase) async throws {
        let directory = try TemporaryDirectory()
        let rsa = try await RSAKeys.shared.key(kid: "r1")
        let files = ["RSA": try directory.write("rsa.pem", try #require(rsa.privateKeyPEM)),
                     "PUBLIC": try directory.write("public.pem", try #require(rsa.verificationKey.pem)),
                     "SECRET": try directory.write("secret", String(repeating: "s", count: 64)),
                     "J": directory.path("jwks.json")]
        let result = try await layabauth(usage.arguments.map { files[$0] ?? $0 })
        #expect(result.status == 2, "\(result)")
        #expect(result.output.isEmpty, "\(result)")
        #expect(result.errorOutput.contains(usage.reason), "\(result)")
    }

    @Test("secrets and private keys appear neither in output nor in errors")
    func noSecretInOutput() async throws {
        let directory = try TemporaryDirectory()
        let secretText = "never-show-this-secret-0123456789abcdef-XYZ"
        let secret = try directory.write("secret", secretText + "\n")
        let ec = try SigningKey.generate(.es256)
        let privatePEM = try #require(ec.privateKeyPEM)
        let pem = try directory.write("ec.pem", privatePEM)
        let forbidden = [secretText, Base64URL.encode(Array(secretText.utf8))]
            + privatePEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
        let runs = [
            ["sign", "--secret-file", secret, "--algorithm", "HS256", "--json"],
            ["sign", "--secret-file", secret, "--algorithm", "ES256"],
            ["sign", "--secret-file", secret],
            ["sign", "--key", pem, "--json", "--public-jwks", directory.path("jwks.json")],
            ["sign", "--key", pem, "--algorithm", "RS256"],
            ["sign", "--key", secret],
        ]
        for arguments in runs {
            let result = try await layabauth(arguments)
            for text in forbidden {
                #expect(!result.output.contains(text) && !result.errorOutput.contains(text), "\(arguments): \(result)")
            }
        }
        let published = try String(contentsOfFile: directory.path("jwks.json"), encoding: .utf8)
        #expect(!published.contains("\"d\""), "\(published)")
    }
}
