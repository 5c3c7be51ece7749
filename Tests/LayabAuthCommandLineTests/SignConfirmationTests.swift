import Foundation
import LayabAuth
import TestSupport
import Testing

/// `layabauth sign --cnf-x5t` and `--cnf-jkt` through the real binary: the `cnf` of sender-constrained tokens.
@Suite("layabauth sign --cnf-x5t / --cnf-jkt", .fewAtATime)
struct SignConfirmationTests {
    static func confirmation(_ result: CommandResult) throws -> JSONObject {
        let token = try #require(result.outputLines.first, "\(result)")
        return try #require(try Verifier.decodeUnverified(token).claims?["cnf"]?.objectValue, "\(result)")
    }

    @Test("--cnf-x5t with a PEM or a DER certificate puts the thumbprint openssl computes in cnf.x5t#S256", arguments: ["pem", "der"])
    func certificateBound(form: String) async throws {
        let authority = try TestCertificateAuthority()
        let client = try authority.client("alice")
        let directory = try TemporaryDirectory()
        let file = form == "pem" ? client.certificatePath
            : try directory.write("alice.der", bytes: try TestCertificateAuthority.der(ofCertificateFile: client.certificatePath))
        let signed = try await layabauth(["sign", "--generate", "ES256", "--public-jwks", directory.path("jwks.json"), "--cnf-x5t", file])
        #expect(signed.status == 0, "\(signed)")
        let cnf = try Self.confirmation(signed)
        #expect(cnf["x5t#S256"] == .string(try TestCertificateAuthority.opensslThumbprint(ofCertificateFile: client.certificatePath)))
        #expect(cnf.count == 1)
    }

    @Test("--cnf-jkt with a public JWK file puts its RFC 7638 thumbprint in cnf.jkt; a thumbprint is taken as is")
    func keyBound() async throws {
        let directory = try TemporaryDirectory()
        let key = try SigningKey.generate(.es256)
        let jwk = try directory.write("dpop.jwk", JSONValue.object(key.verificationKey.publicJWK).prettyJSONText())
        let fromFile = try await layabauth(["sign", "--generate", "ES256", "--public-jwks", directory.path("jwks.json"), "--cnf-jkt", jwk])
        #expect(fromFile.status == 0, "\(fromFile)")
        #expect(try Self.confirmation(fromFile)["jkt"] == .string(key.verificationKey.thumbprint))
        let given = try await layabauth(["sign", "--generate", "ES256", "--public-jwks", directory.path("jwks.json"),
                                         "--cnf-jkt", key.verificationKey.thumbprint, "--claims", #"{"cnf":{"kid":"k1"}}"#])
        #expect(given.status == 0, "\(given)")
        let cnf = try Self.confirmation(given)
        #expect(cnf["jkt"] == .string(key.verificationKey.thumbprint))
        #expect(cnf["kid"] == "k1", "members of --claims' cnf are kept")
    }

    @Test("what is not a certificate or a thumbprint is refused with the reason, and no token is printed")
    func refusals() async throws {
        let directory = try TemporaryDirectory()
        let key = try SigningKey.generate(.es256)
        let privateKey = try directory.write("key.pem", try #require(key.privateKeyPEM))
        let garbage = try directory.write("garbage.der", bytes: [0x30, 0x03, 0x02, 0x01, 0x01])
        let secret = try directory.write("secret.jwk", #"{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}"#)
        let cases: [([String], String)] = [
            (["--cnf-x5t", privateKey], "holds a PRIVATE KEY block, not a CERTIFICATE"),
            (["--cnf-x5t", garbage], "not a DER X.509 certificate"),
            (["--cnf-x5t", directory.path("missing.pem")], "no such file"),
            (["--cnf-jkt", "not-a-thumbprint"], "neither a file nor an RFC 7638 thumbprint"),
            (["--cnf-jkt", secret], "asymmetric, not an oct secret"),
            (["--cnf-x5t", privateKey, "--claims", #"{"cnf":"x"}"#], "cnf that is not an object"),
        ]
        for (arguments, expected) in cases {
            let result = try await layabauth(["sign", "--generate", "ES256", "--public-jwks", directory.path("jwks.json")] + arguments)
            #expect(result.status != 0, "\(arguments): \(result)")
            #expect(result.output.isEmpty, "\(arguments): \(result)")
            #expect(result.errorOutput.contains(expected), "\(arguments): \(result)")
            #expect(!result.errorOutput.contains("c2VjcmV0"), "the secret is never printed")
        }
    }
}
