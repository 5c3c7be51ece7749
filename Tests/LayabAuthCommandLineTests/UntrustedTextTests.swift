import Foundation
import LayabAuth
import LayabAuthTesting
import Testing

/// Text an attacker controls: ANSI sequences (ESC and the one-byte C1 CSI), DEL, a right-to-left
/// override, and a line break followed by a forged verdict.
let hostile = "\u{1B}[31mred\u{1B}[0m \u{9B}2J \u{7F} \u{202E}gpj.exe\nVALID  forged"

extension String {
    /// Characters a terminal acts on rather than shows (C0 but the line feed, DEL, C1) and
    /// bidirectional overrides and isolates.
    var terminalControls: [Unicode.Scalar] {
        unicodeScalars.filter { scalar in
            let value = scalar.value
            return (value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
                || (0x2066...0x2069).contains(value)
        }
    }
}

@Suite("Text from tokens, key sets and servers never reaches the terminal raw", .fewAtATime)
struct UntrustedTextTests {
    /// A correctly signed token with hostile text in header and claim names and values.
    func hostileToken(_ issuer: TestIssuer) throws -> String {
        try issuer.token(["sub": .string(hostile), "scope": .string("read " + hostile), .init(hostile): "value"],
                         extraHeader: [.init(hostile): 1])
    }

    func expectClean(_ result: CommandResult, lines: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.output.terminalControls.isEmpty, "raw controls on standard output: \(result)", sourceLocation: sourceLocation)
        #expect(result.errorOutput.terminalControls.isEmpty, "raw controls on standard error: \(result)", sourceLocation: sourceLocation)
        #expect(!result.outputLines.contains { $0.hasPrefix("VALID  forged") }, "a forged line: \(result)", sourceLocation: sourceLocation)
        if let lines { #expect(result.outputLines.count == lines, "\(result)", sourceLocation: sourceLocation) }
    }

    @Test("decode shows hostile names, values and payloads escaped")
    func decode() async throws {
        let issuer = try TestIssuer()
        let result = try await layabauth(["decode", try hostileToken(issuer)])
        #expect(result.status == 0, "\(result)")
        expectClean(result)
        #expect(result.output.contains(#"\u001b[31mred"#), "the escape is shown, not dropped: \(result)")

        let payload = try issuer.key.sign(header: ["alg": .string("ES256" + hostile)], payload: Array(hostile.utf8))
        let raw = try await layabauth(["decode", payload])
        #expect(raw.status == 0, "\(raw)")
        expectClean(raw)
    }

    @Test("error messages on standard error are escaped and stay on one line")
    func standardError() async throws {
        // A token refused for a hostile crit is shown (decode for display), its reason escaped on standard output.
        let key = try SigningKey.generate(.es256)
        let critical = try key.sign(header: ["alg": "ES256", "crit": [.string(hostile)]], payload: Array("{}".utf8))
        let refused = try await layabauth(["decode", critical])
        #expect(refused.status == 0, "\(refused)")
        #expect(refused.output.split(separator: "\n").filter { $0.hasPrefix("REFUSED") }.count == 1, "\(refused)")
        #expect(refused.output.contains(#"\u001b[31mred"#), "the escape is shown, not dropped: \(refused)")
        expectClean(refused)

        let result = try await layabauth(["decode", "@/nonexistent/" + hostile])
        #expect(result.status == 2, "\(result)")
        expectClean(result)
        #expect(result.errorOutput.split(separator: "\n").count == 1, "\(result)")
        #expect(result.errorOutput.contains(#"\u001b[31mred"#), "\(result)")

        let server = try TestHTTPServer { _ in TestHTTPServer.Response(status: 500, body: Array(hostile.utf8)) }
        defer { server.stop() }
        let unavailable = try await layabauth(["jwks", server.url("/jwks.json")])
        #expect(unavailable.status == 3, "\(unavailable)")
        expectClean(unavailable)
        #expect(unavailable.errorOutput.split(separator: "\n").count == 1, "\(unavailable)")
    }

    @Test("verify lists every check without letting hostile text through")
    func verify() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let token = try hostileToken(issuer)
        let unknownKid = try issuer.token([:], extraHeader: ["kid": .string(hostile)])
        let badAlgorithm = try issuer.key.sign(header: ["alg": .string(hostile), "kid": "k1"], payload: Array(#"{"sub":"x"}"#.utf8))
        for candidate in [token, unknownKid, badAlgorithm] {
            let result = try await layabauth(["verify", candidate, "--key", keyFile, "--scope", "read"])
            #expect(result.status != nil, "\(result)")
            expectClean(result)
        }
    }

    @Test("batch text keeps one line per token", arguments: [false, true])
    func batch(json: Bool) async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let tokens = [try hostileToken(issuer), try issuer.token([:], extraHeader: ["kid": .string(hostile)])]
        let result = try await layabauth(["verify", "-", "--key", keyFile] + (json ? ["--json"] : []), input: tokens.joined(separator: "\n"))
        #expect(result.status == 1, "\(result)")
        expectClean(result, lines: 2)
    }

    @Test("JSON output escapes what a terminal would act on and still parses to the original text")
    func json() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let token = try hostileToken(issuer)
        let verify = try await layabauth(["verify", "--json", token, "--key", keyFile])
        expectClean(verify, lines: 1)
        #expect(jsonObject(verify.output)["claims"]?["sub"] == .string(hostile))
        #expect(jsonObject(verify.output)["header"]?[hostile] == 1)
        let decode = try await layabauth(["decode", "--json", token])
        expectClean(decode)
        #expect(jsonObject(decode.output)["claims"]?["sub"] == .string(hostile))
    }

    @Test("jwks shows hostile kids, uses and reasons escaped, in text and JSON")
    func jwks() async throws {
        let key = try SigningKey.generate(.es256, kid: hostile)
        var skipped = try SigningKey.generate(.es256).verificationKey.publicJWK
        skipped["use"] = .string(hostile)
        skipped["kid"] = .string(hostile)
        let document = JSONValue.object(["keys": [.object(key.verificationKey.publicJWK), .object(skipped)]]).jsonText
        let server = try identityProviderServer(jwks: document)
        defer { server.stop() }
        let text = try await layabauth(["jwks", server.url("/jwks.json")])
        #expect(text.status == 0, "\(text)")
        expectClean(text)
        #expect(text.outputLines.contains { $0.contains("skipped") }, "\(text)")
        let json = try await layabauth(["jwks", "--json", server.url("/jwks.json")])
        expectClean(json)
        #expect(jsonObject(json.output)["keys"]?.arrayValue?.first?["kid"] == .string(hostile))
    }
}
