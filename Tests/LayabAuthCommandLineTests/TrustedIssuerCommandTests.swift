import Foundation
import LayabAuth
import LayabAuthTesting
import Testing

/// `layabauth verify` over several trusted issuers (issue 16 §3): `--trust-issuer`, `--trust-issuer-template`, `--tenant`.
@Suite("layabauth verify --trust-issuer", .fewAtATime)
struct TrustedIssuerCommandTests {
    /// Two providers, each with its own key, served with discovery on its own loopback server.
    struct TwoProviders {
        let a: TestIssuer
        let b: TestIssuer
        let serverA: TestHTTPServer
        let serverB: TestHTTPServer

        init() throws {
            let keyA = try SigningKey.generate(.es256, kid: "k1")
            let keyB = try SigningKey.generate(.es256, kid: "k1")
            serverA = try identityProviderServer(jwks: KeySet(keys: [keyA.verificationKey]).publicJWKS.jsonText)
            serverB = try identityProviderServer(jwks: KeySet(keys: [keyB.verificationKey]).publicJWKS.jsonText)
            a = TestIssuer(key: keyA, name: serverA.baseURL)
            b = TestIssuer(key: keyB, name: serverB.baseURL)
        }

        var arguments: [String] { ["--trust-issuer", a.name, "--trust-issuer", b.name] }
    }

    @Test("each issuer's token is verified with the keys discovered from it")
    func twoIssuers() async throws {
        let providers = try TwoProviders()
        let result = try await layabauth(["verify", "--json", try providers.a.token(), try providers.b.token(), "--audience", "api"] + providers.arguments)
        #expect(result.status == 0, "\(result)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 2, "\(result)")
        for (line, issuer) in zip(lines, [providers.a.name, providers.b.name]) {
            let object = jsonObject(line)
            #expect(object["valid"] == true, "\(result)")
            #expect(object["hints"]?.arrayValue?.contains(.string("issuer: trusted issuer \"\(issuer)\" selected its keys")) == true, "\(result)")
        }
    }

    @Test("a token of one issuer claiming the other is rejected; an untrusted iss is rejected without a request")
    func refusals() async throws {
        let providers = try TwoProviders()
        let forged = try providers.a.token(["iss": .string(providers.b.name)])
        let untrusted = try providers.a.token(["iss": "https://evil.test"])
        let result = try await layabauth(["verify", forged, untrusted] + providers.arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.output.contains("bad_signature"), "\(result)")
        #expect(result.output.contains("issuer_mismatch"), "\(result)")
        #expect(result.output.contains("is not a trusted issuer"), "\(result)")
        #expect(result.output.contains("no trusted issuer selected, no key source contacted"), "\(result)")
        // Only B's keys were fetched (for the forged token): A's server was never asked, nor any other.
        #expect(providers.serverA.requests.isEmpty, "\(providers.serverA.requests.map(\.path))")
        #expect(!providers.serverB.requests.isEmpty)
    }

    @Test("batch mode: one line per token, whichever issuer it names; an issuer that cannot be reached is exit 3")
    func batch() async throws {
        let providers = try TwoProviders()
        let lines = [try providers.a.token(), try providers.b.token(), try providers.a.token(["iss": "https://evil.test"])]
        let result = try await layabauth(["verify", "-"] + providers.arguments, input: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 1, "\(result)")
        #expect(result.outputLines.count == 3, "\(result)")
        #expect(result.outputLines.first?.hasPrefix("line 1: VALID") == true, "\(result)")
        #expect(result.outputLines.dropFirst().first?.hasPrefix("line 2: VALID") == true, "\(result)")
        #expect(result.outputLines.last?.contains("line 3: REJECTED issuer_mismatch") == true, "\(result)")

        let down = try stoppedServerURL("")
        let unreachable = try await layabauth(["verify", try providers.a.token(["iss": .string(down)]), "--trust-issuer", down] + providers.arguments)
        #expect(unreachable.status == 3, "\(unreachable)")
        #expect(unreachable.output.contains("jwks_unavailable"), "\(unreachable)")
    }

    @Test("--issuer with --jwks joins the trusted issuers")
    func issuerWithJWKS() async throws {
        let providers = try TwoProviders()
        let result = try await layabauth(["verify", try providers.a.token(), try providers.b.token(), "--issuer", providers.a.name,
                                          "--jwks", providers.serverA.url("/jwks.json"), "--trust-issuer", providers.b.name])
        #expect(result.status == 0, "\(result)")
        #expect(providers.serverA.requestCount(path: "/.well-known/openid-configuration") == 0)
    }

    @Test("a template binds the tenant of iss to tid, and --tenant limits the tenants")
    func template() async throws {
        let key = try SigningKey.generate(.es256, kid: "common")
        let server = try identityProviderServer(jwks: KeySet(keys: [key.verificationKey]).publicJWKS.jsonText)
        let provider = TestIssuer(key: key, name: "https://login.example/t-1/v2.0")
        let arguments = ["--trust-issuer-template", "https://login.example/{tenantid}/v2.0", "--jwks", server.url("/jwks.json")]
        let good = try provider.token(["tid": "t-1"])
        let accepted = try await layabauth(["verify", good] + arguments + ["--tenant", "t-1"])
        #expect(accepted.status == 0, "\(accepted)")
        #expect(accepted.output.contains("tenant \"t-1\""), "\(accepted)")
        let otherTid = try await layabauth(["verify", try provider.token(["tid": "t-2"])] + arguments)
        #expect(otherTid.status == 1, "\(otherTid)")
        #expect(otherTid.output.contains("tid \"t-2\" differs from the tenant \"t-1\""), "\(otherTid)")
        let notAllowed = try await layabauth(["verify", good] + arguments + ["--tenant", "t-9"])
        #expect(notAllowed.status == 1, "\(notAllowed)")
        #expect(notAllowed.output.contains("is not one of the tenants accepted"), "\(notAllowed)")
        let noTid = try await layabauth(["verify", try provider.token()] + arguments)
        #expect(noTid.status == 1 && noTid.output.contains("missing_claim"), "\(noTid)")
        #expect(server.requestCount(path: "/jwks.json") == 1)
    }

    static let usage: [(arguments: [String], message: String)] = [
        (["--tenant", "t-1", "--jwks", "KEYS"], "--tenant needs --trust-issuer-template"),
        (["--trust-issuer-template", "https://login.example/{tenantid}/v2.0"], "needs --jwks"),
        (["--trust-issuer-template", "https://{tenantid}.example/", "--jwks", "KEYS"], "issuer template"),
        (["--trust-issuer", "https://a.test", "--jwks", "KEYS"], "--jwks with --trust-issuer needs --issuer"),
        (["--trust-issuer", "a.test"], "is not an http(s) URL"),
        (["--trust-issuer", "https://a.test", "--trust-issuer", "https://a.test"], "trusted twice"),
        (["--trust-issuer", "https://a.test", "--key", "KEYS"], "not both"),
    ]

    @Test("contradictory or incomplete issuer options are usage errors", arguments: usage.indices)
    func usageErrors(_ index: Int) async throws {
        let (arguments, message) = Self.usage[index]
        let directory = try TemporaryDirectory()
        let keys = try directory.write("keys.json", try TestIssuer().jwks)
        let result = try await layabauth(["verify", try TestIssuer().token()] + arguments.map { $0 == "KEYS" ? keys : $0 })
        #expect(result.status == 2, "\(result)")
        #expect(result.errorOutput.contains(message), "\(result)")
    }
}
