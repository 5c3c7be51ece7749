import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import Testing

/// A JWK Set with two good keys (one with a certificate) and two a verifier must skip.
struct MixedKeySet {
    let ec: SigningKey
    let rsa: SigningKey
    let document: String
    let certificateSubject = "CN=layabauth test"

    init(directory: TemporaryDirectory) async throws {
        ec = try SigningKey.generate(.es256, kid: "ec-1")
        rsa = try await RSAKeys.shared.key(kid: "rsa-1")
        let weak = try await RSAKeys.shared.key(kid: "weak-rsa", bits: 1024)
        var ecJWK = ec.verificationKey.publicJWK
        ecJWK["use"] = "sig"
        var rsaJWK = rsa.verificationKey.publicJWK
        rsaJWK["x5c"] = [.string(try await Self.selfSignedCertificate(rsa, subject: "/CN=layabauth test", directory: directory))]
        // A point off the curve: the right length, the wrong y.
        var bent = ec.verificationKey.publicJWK
        bent["kid"] = "off-curve"
        var y = try Base64URL.decode(try #require(bent["y"]?.stringValue))
        y[y.count - 1] ^= 1
        bent["y"] = .string(Base64URL.encode(y))
        document = JSONValue.object(["keys": [.object(ecJWK), .object(weak.verificationKey.publicJWK), .object(rsaJWK), .object(bent)]]).jsonText
    }

    /// A self-signed certificate of `key`, base64 DER as `x5c` holds it, made by the openssl command line.
    static func selfSignedCertificate(_ key: SigningKey, subject: String, directory: TemporaryDirectory) async throws -> String {
        let keyPath = try directory.write("certificate-key.pem", try #require(key.privateKeyPEM))
        let certificatePath = directory.path("certificate.der")
        try await OwnThread.run {
            try OpenSSLCommand.run(["req", "-x509", "-key", keyPath, "-subj", subject, "-days", "30", "-outform", "DER", "-out", certificatePath],
                                   in: directory.url)
        }
        return try Data(contentsOf: URL(fileURLWithPath: certificatePath)).base64EncodedString()
    }
}

@Suite("layabauth jwks", .fewAtATime)
struct JWKSCommandTests {
    @Test("text: every usable key with kid, shape, alg, use, thumbprint and certificate; skipped keys with their reason")
    func text() async throws {
        let directory = try TemporaryDirectory()
        let set = try await MixedKeySet(directory: directory)
        let server = try identityProviderServer(jwks: set.document)
        defer { server.stop() }
        let result = try await layabauth(["jwks", server.url("/jwks.json")])
        #expect(result.status == 0, "\(result)")
        #expect(result.errorOutput.isEmpty, "\(result)")
        let lines = result.outputLines
        #expect(lines.first == "source   \(server.url("/jwks.json"))", "\(result)")
        #expect(lines.contains { $0.hasPrefix("fetch    HTTP 200") && $0.contains("1 fetch") }, "\(result)")
        #expect(lines.contains("2 usable keys, 2 skipped"), "\(result)")
        #expect(lines.contains("  \"ec-1\"  EC P-256  alg ES256  use sig"), "\(result)")
        #expect(lines.contains("  \"rsa-1\"  RSA 2048  alg RS256"), "\(result)")
        #expect(lines.contains("      thumbprint \(set.ec.verificationKey.thumbprint)"), "\(result)")
        #expect(lines.contains("      thumbprint \(set.rsa.verificationKey.thumbprint)"), "\(result)")
        let certificate = try #require(lines.first { $0.hasPrefix("      x5c ") }, "\(result)")
        #expect(certificate.contains(set.certificateSubject), "\(certificate)")
        #expect(certificate.contains(TimeText.iso8601(Date().timeIntervalSince1970).prefix(10)), "valid from today: \(certificate)")
        let skipped = lines.filter { $0.hasPrefix("  skipped ") }
        try #require(skipped.count == 2, "\(result)")
        #expect(skipped[0].contains("key #1 (kid \"weak-rsa\")") && skipped[0].contains("1024") && skipped[0].contains("2048"), "\(skipped[0])")
        #expect(skipped[1].contains("key #3 (kid \"off-curve\")") && skipped[1].contains("not on P-256"), "\(skipped[1])")
    }

    @Test("--json: fetch status, keys and skipped keys with their fields and types")
    func json() async throws {
        let directory = try TemporaryDirectory()
        let set = try await MixedKeySet(directory: directory)
        let server = try identityProviderServer(jwks: set.document)
        defer { server.stop() }
        let result = try await layabauth(["jwks", "--json", server.url("/jwks.json")])
        #expect(result.status == 0, "\(result)")
        let object = jsonObject(result.output)
        #expect(object["source"] == .string(server.url("/jwks.json")))
        #expect(object["discoveredFrom"] == .null)
        #expect(object["httpStatus"] == 200)
        #expect(object["fetchCount"] == 1)
        #expect(object["lastError"] == .null)
        #expect(object["lastFetch"]?.stringValue?.hasSuffix("Z") == true)
        #expect(object["expiresAt"]?.stringValue != nil)
        let keys = try #require(object["keys"]?.arrayValue)
        try #require(keys.count == 2)
        #expect(keys[0].objectValue?.names.sorted() == ["alg", "crv", "kid", "kty", "thumbprint", "use"])
        #expect(keys[0]["kid"] == "ec-1")
        #expect(keys[0]["kty"] == "EC")
        #expect(keys[0]["crv"] == "P-256")
        #expect(keys[0]["use"] == "sig")
        #expect(keys[0]["thumbprint"] == .string(set.ec.verificationKey.thumbprint))
        #expect(keys[1].objectValue?.names.sorted() == ["alg", "bits", "kid", "kty", "thumbprint", "use", "x5c"])
        #expect(keys[1]["bits"] == 2048)
        #expect(keys[1]["use"] == .null)
        #expect(keys[1]["x5c"]?["subject"]?.stringValue?.contains(set.certificateSubject) == true)
        #expect(keys[1]["x5c"]?["notBefore"]?.stringValue != nil)
        #expect(keys[1]["x5c"]?["notAfter"]?.stringValue != nil)
        let skipped = try #require(object["skipped"]?.arrayValue)
        #expect(skipped.map { $0["index"] } == [1, 3])
        #expect(skipped.map { $0["kid"] } == ["weak-rsa", "off-curve"])
        #expect(skipped.map { $0["kty"] } == ["RSA", "EC"])
        #expect(skipped.allSatisfy { $0["reason"]?.stringValue?.isEmpty == false })
        #expect(skipped.allSatisfy { $0.objectValue?.names.sorted() == ["index", "kid", "kty", "reason"] })
    }

    @Test("--issuer finds the JWKS by discovery and says so")
    func discovery() async throws {
        let issuer = try TestIssuer()
        let server = try identityProviderServer(jwks: issuer.jwks)
        defer { server.stop() }
        let json = try await layabauth(["jwks", "--json", "--issuer", server.baseURL])
        #expect(json.status == 0, "\(json)")
        let object = jsonObject(json.output)
        #expect(object["discoveredFrom"] == .string(server.baseURL))
        #expect(object["source"] == .string(server.url("/jwks.json")))
        #expect(object["keys"]?.arrayValue?.map { $0["kid"] } == ["k1"])

        let text = try await layabauth(["jwks", "--issuer", server.baseURL])
        #expect(text.status == 0, "\(text)")
        #expect(text.outputLines.contains("issuer   \(server.baseURL) (discovered)"), "\(text)")
        #expect(text.outputLines.contains("1 usable key"), "\(text)")
    }

    @Test("a path and a file:// URL are read from the file system, without HTTP status", arguments: ["path", "file://"])
    func file(form: String) async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let path = try directory.write("jwks.json", issuer.jwks)
        let result = try await layabauth(["jwks", "--json", form == "path" ? path : "file://" + path])
        #expect(result.status == 0, "\(result)")
        let object = jsonObject(result.output)
        #expect(object["source"] == .string(path))
        #expect(object["httpStatus"] == .null)
        #expect(object["keys"]?.arrayValue?.first?["thumbprint"] == .string(issuer.key.verificationKey.thumbprint))
        // In words, a file is read, not fetched.
        let text = try await layabauth(["jwks", form == "path" ? path : "file://" + path])
        let status = text.outputLines.first { $0.hasPrefix("fetch    ") } ?? ""
        #expect(status.hasPrefix("fetch    read now") && status.hasSuffix(", 1 read"), "\(text)")
    }

    @Test("a key published against the letter of the RFCs is listed with its note, in text and in --json")
    func notes() async throws {
        let directory = try TemporaryDirectory()
        let key = try await RSAKeys.shared.key(kid: "padded")
        var jwk = key.verificationKey.publicJWK
        // A modulus with a leading zero byte, as some key sets publish it.
        let modulus = try Base64URL.decode(try #require(jwk["n"]?.stringValue))
        jwk["n"] = .string(Base64URL.encode([0] + modulus))
        let path = try directory.write("jwks.json", JSONValue.object(["keys": [.object(jwk)]]).jsonText)
        let note = "n has 1 leading zero byte, removed; RFC 7518 §2 (Base64urlUInt) requires the minimum number of octets"

        let text = try await layabauth(["jwks", path])
        #expect(text.status == 0, "\(text)")
        #expect(text.outputLines.contains("1 usable key"), "\(text)")
        #expect(text.outputLines.contains("      note " + note), "\(text)")

        let json = try await layabauth(["jwks", "--json", path])
        #expect(json.status == 0, "\(json)")
        let keys = try #require(jsonObject(json.output)["keys"]?.arrayValue)
        #expect(keys.first?["notes"] == [.string(note)], "\(json)")
        #expect(keys.first?["thumbprint"] == .string(key.verificationKey.thumbprint))
    }

    @Test("--json with no usable key: the skipped keys and their reasons on standard output, exit 3 (no usable key)",
          arguments: ["http", "path"])
    func noUsableKey(form: String) async throws {
        let directory = try TemporaryDirectory()
        let weak = try await RSAKeys.shared.key(kid: "weak-rsa", bits: 1024)
        var standard = try SigningKey.generate(.es256, kid: "standard-base64").verificationKey.publicJWK
        standard["x"] = .string((standard["x"]?.stringValue ?? "") + "=")
        let document = JSONValue.object(["keys": [.object(weak.verificationKey.publicJWK), .object(standard)]]).jsonText
        let server = try identityProviderServer(jwks: document)
        defer { server.stop() }
        let source = form == "http" ? server.url("/jwks.json") : try directory.write("jwks.json", document)

        let result = try await layabauth(["jwks", "--json", source])
        #expect(result.status == 3, "\(result)")
        #expect(result.errorOutput.contains("no usable keys"), "\(result)")
        let object = jsonObject(result.output)
        #expect(object["source"] == .string(source), "\(result)")
        #expect(object["keys"] == [], "\(result)")
        #expect(object["lastError"]?["code"] == "jwks_unavailable", "\(result)")
        let skipped = try #require(object["skipped"]?.arrayValue, "\(result)")
        #expect(skipped.map { $0["kid"] } == ["weak-rsa", "standard-base64"])
        #expect(skipped[0]["reason"]?.stringValue?.contains("1024 bits, at least 2048") == true, "\(skipped)")
        #expect(skipped[1]["reason"]?.stringValue?.contains("RFC 7515 §2 base64url: '=' padding is not allowed") == true, "\(skipped)")

        // In text, the reasons stay on standard error, with the same exit status.
        let text = try await layabauth(["jwks", source])
        #expect(text.status == 3, "\(text)")
        #expect(text.output.isEmpty, "\(text)")
        #expect(text.errorOutput.contains("weak-rsa") && text.errorOutput.contains("standard base64 is not base64url"), "\(text)")
    }
}
