import Foundation
import LayabAuth
import LayabAuthJWKS
import TestSupport
import Testing

/// `layabauth dpop` and `layabauth verify --dpop/--client-cert` through the real binary: proofs made by the
/// tool, checked by the core and by joserfc, and every binding check of verify named.
@Suite("layabauth dpop and verify --dpop", .fewAtATime)
struct DPoPCommandTests {
    static let url = "https://api.test/orders"

    /// A directory with an issuer's public keys, a DPoP key saved by `layabauth dpop --save-key` and its public JWK.
    struct Setup {
        let directory: TemporaryDirectory
        let issuer: TestIssuer
        let jwks: String
        let dpopKey: String
        let publicJWK: String

        init() throws {
            directory = try TemporaryDirectory()
            issuer = try TestIssuer()
            jwks = try directory.write("jwks.json", issuer.jwks)
            dpopKey = directory.path("dpop.pem")
            publicJWK = directory.path("dpop.jwk")
        }

        /// The thumbprint of the saved DPoP key's public JWK.
        func thumbprint() throws -> String { try ConfirmationThumbprint.of(jwkFile: publicJWK) }

        /// A proof made by the binary with the saved key.
        func proof(_ arguments: [String]) async throws -> String {
            let made = try await layabauth(["dpop", "--key", dpopKey] + arguments)
            #expect(made.status == 0, "\(made)")
            return try #require(made.outputLines.first, "\(made)")
        }

        func verify(_ token: String, _ arguments: [String]) async throws -> CommandResult {
            try await layabauth(["verify", token, "--jwks", jwks, "--audience", "api"] + arguments)
        }
    }

    /// Generates the DPoP key (saved, its public JWK written), mints a token bound to it and returns both.
    static func boundToken(_ setup: Setup) async throws -> String {
        let first = try await layabauth(["dpop", "--generate", "ES256", "--save-key", setup.dpopKey, "--public-jwk", setup.publicJWK,
                                         "--method", "GET", "--url", url])
        #expect(first.status == 0, "\(first)")
        #expect(!first.output.contains("PRIVATE"), "the private key is never printed")
        let attributes = try FileManager.default.attributesOfItem(atPath: setup.dpopKey)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        return try setup.issuer.token(["cnf": .object(["jkt": .string(try setup.thumbprint())])])
    }

    @Test("a proof for the request, with ath, verifies: every binding check passes and the server accepts")
    func matchingProofIsValid() async throws {
        let setup = try Setup()
        let token = try await Self.boundToken(setup)
        let proof = try await setup.proof(["--method", "GET", "--url", Self.url + "?id=1", "--access-token", token])
        let result = try await setup.verify(token, ["--dpop", proof, "--htm", "GET", "--htu", Self.url + "?id=1"])
        #expect(result.status == 0, "\(result)")
        #expect(result.outputLines.first?.hasPrefix("VALID  the token is accepted") == true, "\(result)")
        #expect(result.output.contains("bound to DPoP key \(try setup.thumbprint())"), "\(result)")
        #expect(result.output.contains("accepted"), "\(result)")
        #expect(!result.output.contains("FAIL"), "\(result)")
        let json = try await setup.verify(token, ["--dpop", proof, "--htm", "GET", "--htu", Self.url, "--json"])
        #expect(json.status == 0, "\(json)")
        let binding = try #require(jsonObject(json.output)["binding"]?.objectValue, "\(json)")
        #expect(binding["accepted"] == true)
        #expect(binding["answer"] == .null)
        let names = (binding["checks"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(names == ["scheme", "sender constraint", "cnf.x5t#S256", "DPoP proof", "cnf.jkt", "htm", "htu", "proof iat", "ath", "nonce", "jti replay"])
        let replay = (binding["checks"]?.arrayValue ?? []).first { $0["name"] == "jti replay" }
        #expect(replay?["outcome"] == "skipped", "a report never uses up the proof")
    }

    @Test("each mismatch is named, exit 1, with the server's 401 and its DPoP challenge",
          arguments: [
              ("wrong method", ["--htm", "POST"], "htm", "invalid_dpop_proof"),
              ("wrong URL", ["--htu", "https://api.test/other"], "htu", "invalid_dpop_proof"),
              ("wrong key", ["--other-key"], "cnf.jkt", "binding_mismatch"),
              ("wrong ath", ["--other-token"], "ath", "invalid_dpop_proof"),
              ("nonce required", ["--dpop-nonce", "n-1"], "nonce", "use_dpop_nonce"),
          ])
    func mismatches(name: String, change: [String], check: String, code: String) async throws {
        let setup = try Setup()
        let token = try await Self.boundToken(setup)
        var proofArguments = ["--method", "GET", "--url", Self.url, "--access-token", token]
        if change == ["--other-token"] { proofArguments[5] = try setup.issuer.token(["sub": "bob"]) }
        let proof: String
        if change == ["--other-key"] {
            let other = try await layabauth(["dpop", "--generate", "ES256"] + proofArguments)
            proof = try #require(other.outputLines.first, "\(other)")
        } else {
            proof = try await setup.proof(proofArguments)
        }
        var request = ["--htm", "GET", "--htu", Self.url]
        if change.count == 2, let index = request.firstIndex(of: change[0]) { request[index + 1] = change[1] } else if change.count == 2 { request += change }
        let result = try await setup.verify(token, ["--dpop", proof] + request)
        #expect(result.status == 1, "\(name): \(result)")
        #expect(result.outputLines.first?.hasPrefix("REJECTED  the token passes its checks, but its binding fails") == true, "\(name): \(result)")
        let failed = result.outputLines.filter { $0.contains("FAIL") }
        #expect(failed.count == 1 && failed.first?.contains(" \(check) ") == true && failed.first?.contains(code) == true, "\(name): \(result)")
        #expect(result.output.contains("Server answer  401"), "\(name): \(result)")
        #expect(result.output.contains("WWW-Authenticate: DPoP error="), "\(name): \(result)")
        if code == "use_dpop_nonce" { #expect(result.output.contains("DPoP-Nonce: n-1"), "\(result)") }
        let json = try await setup.verify(token, ["--dpop", proof, "--json"] + request)
        let binding = try #require(jsonObject(json.output)["binding"]?.objectValue, "\(json)")
        #expect(binding["answer"]?["status"] == 401)
        let failing = (binding["checks"]?.arrayValue ?? []).filter { $0["outcome"] == "failed" }
        #expect(failing.map { $0["name"] } == [.string(check)], "\(name): \(json)")
    }

    @Test("a proof made 5 minutes ago is too old")
    func oldProof() async throws {
        let setup = try Setup()
        let token = try await Self.boundToken(setup)
        let pem = try String(contentsOfFile: setup.dpopKey, encoding: .utf8)
        let key = try SigningKey(pem: pem, algorithm: .es256)
        let proof = try DPoPProof.make(method: "GET", url: Self.url, accessToken: token, key: key, now: Date().timeIntervalSince1970 - 300)
        let result = try await setup.verify(token, ["--dpop", proof, "--htm", "GET", "--htu", Self.url])
        #expect(result.status == 1, "\(result)")
        #expect(result.outputLines.contains { $0.contains("FAIL") && $0.contains("proof iat") && $0.contains("ago") }, "\(result)")
    }

    @Test("a DPoP-bound token without a proof: bound to its key, refused as Bearer")
    func boundTokenWithoutProof() async throws {
        let setup = try Setup()
        let token = try await Self.boundToken(setup)
        let result = try await setup.verify(token, [])
        #expect(result.status == 1, "\(result)")
        #expect(result.output.contains("bound to key \(try setup.thumbprint()): a server refuses it as Bearer"), "\(result)")
        #expect(result.outputLines.contains { $0.contains("FAIL") && $0.contains("scheme") && $0.contains("binding_mismatch") }, "\(result)")
        #expect(result.output.contains("WWW-Authenticate: DPoP error=\"invalid_token\""), "\(result)")
    }

    @Test("--client-cert: the certificate the token is bound to passes, another one fails")
    func clientCertificate() async throws {
        let setup = try Setup()
        let authority = try TestCertificateAuthority()
        let alice = try authority.client("alice")
        let bob = try authority.client("bob")
        let token = try setup.issuer.token(["cnf": .object(["x5t#S256": .string(try TestCertificateAuthority.opensslThumbprint(ofCertificateFile: alice.certificatePath))])])
        let match = try await setup.verify(token, ["--client-cert", alice.certificatePath])
        #expect(match.status == 0, "\(match)")
        #expect(match.outputLines.contains { $0.contains("ok") && $0.contains("cnf.x5t#S256") }, "\(match)")
        let mismatch = try await setup.verify(token, ["--client-cert", bob.certificatePath])
        #expect(mismatch.status == 1, "\(mismatch)")
        #expect(mismatch.outputLines.contains { $0.contains("FAIL") && $0.contains("cnf.x5t#S256") && $0.contains("binding_mismatch") }, "\(mismatch)")
        #expect(mismatch.output.contains("Server answer  401"), "\(mismatch)")
        let none = try await setup.verify(token, [])
        #expect(none.status == 1, "a certificate-bound token without a certificate: \(none)")
    }

    @Test("the printed proof verifies with the core's DPoPProof; --json gives the jkt and claims")
    func proofVerifiesInCore() async throws {
        let directory = try TemporaryDirectory()
        let made = try await layabauth(["dpop", "--generate", "EdDSA", "--public-jwk", directory.path("k.jwk"), "--method", "DELETE",
                                        "--url", Self.url, "--nonce", "n-7", "--access-token", "abc", "--json"])
        #expect(made.status == 0, "\(made)")
        let object = jsonObject(made.output)
        let proof = try DPoPProof.verify(try #require(object["proof"]?.stringValue), policy: SenderConstraintPolicy())
        #expect(proof.method == "DELETE" && proof.uri == Self.url && proof.nonce == "n-7")
        #expect(proof.accessTokenHash == DPoPProof.accessTokenHash(of: "abc"))
        #expect(object["jkt"] == .string(proof.key.thumbprint))
        #expect(object["claims"]?["htm"] == "DELETE")
        #expect(!made.output.contains("\"d\""), "no private member")
    }

    @Test("usage errors exit 2 with the reason and print nothing", arguments: [
        (["dpop", "--method", "GET", "--url", "https://api.test/"], "no key"),
        (["dpop", "--generate", "HS256", "--method", "GET", "--url", "https://api.test/"], "asymmetric"),
        (["dpop", "--generate", "ES256", "--method", "GET", "--url", "/relative"], "not an absolute http(s) URI"),
        (["dpop", "--generate", "ES256", "--method", "G T", "--url", "https://api.test/"], "not an HTTP method"),
        (["verify", "x.y.z", "--key", "/dev/null", "--dpop", "a.b.c"], "--htm <method> and --htu <url>"),
        (["verify", "x.y.z", "--key", "/dev/null", "--htm", "GET"], "add --dpop"),
    ])
    func usageErrors(arguments: [String], expected: String) async throws {
        let result = try await layabauth(arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.errorOutput.contains(expected), "\(result)")
        #expect(result.output.isEmpty, "\(result)")
    }

    @Test("--save-key never replaces a file")
    func saveKeyKeepsFiles() async throws {
        let directory = try TemporaryDirectory()
        let existing = try directory.write("dpop.pem", "keep me")
        let result = try await layabauth(["dpop", "--generate", "ES256", "--save-key", existing, "--method", "GET", "--url", Self.url])
        #expect(result.status == 2, "\(result)")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
    }
}

/// joserfc, a second implementation, accepts the signatures of `layabauth dpop` proofs with the header's jwk.
@Suite("layabauth dpop, checked by joserfc", .fewAtATime, .enabled(if: JoserfcScript.shouldRun, JoserfcScript.skipComment))
struct DPoPJoserfcTests {
    static let script = """
    import base64, json, sys
    from joserfc import jws
    from joserfc.jwk import JWKRegistry
    from joserfc.jws import JWSRegistry
    proof = sys.stdin.read().strip()
    encoded = proof.split(".")[0]
    header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    key = JWKRegistry.import_key(header["jwk"])
    registry = JWSRegistry(algorithms=[header["alg"]])
    registry.max_header_length = 4096  # an RSA jwk in the header exceeds joserfc's default 512 bytes
    obj = jws.deserialize_compact(proof, key, registry=registry)
    print(json.dumps({"typ": obj.headers()["typ"], "claims": json.loads(obj.payload)}))
    """

    @Test("joserfc verifies the proof with its jwk", arguments: [Algorithm.es256, .es384, .eddsa, .ps256, .rs256])
    func joserfcVerifies(algorithm: Algorithm) async throws {
        let made = try await layabauth(["dpop", "--generate", algorithm.rawValue, "--method", "POST", "--url", "https://api.test/x"])
        #expect(made.status == 0, "\(made)")
        let proof = try #require(made.outputLines.first)
        let run = try await OwnThread.run { try Subprocess.runBlocking("/usr/bin/env", ["python3", "-c", Self.script], input: Array(proof.utf8)) }
        #expect(run.status == 0, "\(run)")
        let answer = jsonObject(String(decoding: run.standardOutput, as: UTF8.self))
        #expect(answer["typ"] == "dpop+jwt")
        #expect(answer["claims"]?["htm"] == "POST")
    }
}

/// The RFC 7638 thumbprint of a public JWK file written by `layabauth dpop --public-jwk`.
enum ConfirmationThumbprint {
    static func of(jwkFile: String) throws -> String {
        let jwk = try #require(try JSONParser.parse(Array(try String(contentsOfFile: jwkFile, encoding: .utf8).utf8)).objectValue)
        return try VerificationKey(jwk: jwk).thumbprint
    }
}
