import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import Testing

@Suite("layabauth verify - (batch mode: one token per line)", .fewAtATime)
struct BatchTests {
    @Test("50 tokens, valid and rejected mixed: 50 JSON lines in input order with line numbers")
    func order() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let impostor = try TestIssuer(kid: "k1")
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let now = Int64(Date().timeIntervalSince1970)
        var lines: [String] = []
        var expected: [(valid: Bool, code: String?, subject: String?)] = []
        for number in 1...50 {
            let subject = "user-\(number)"
            if number % 7 == 0 {
                lines.append("garbage-\(number)")
                expected.append((false, "malformed", nil))
            } else if number % 5 == 0 {
                lines.append(try issuer.token(["sub": .string(subject), "exp": .integer(now - 600)]))
                expected.append((false, "expired", subject))
            } else if number % 11 == 0 {
                lines.append(try impostor.token(["sub": .string(subject)]))
                expected.append((false, "bad_signature", subject))
            } else {
                lines.append(try issuer.token(["sub": .string(subject)]))
                expected.append((true, nil, subject))
            }
        }
        let result = try await layabauth(["verify", "-", "--json", "--key", keyFile], input: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 1, "\(result)")
        #expect(result.errorOutput.isEmpty, "\(result)")
        let objects = result.outputLines.map { jsonObject($0) }
        try #require(objects.count == 50, "\(result)")
        for (index, object) in objects.enumerated() {
            let want = expected[index]
            #expect(object["line"] == .integer(Int64(index + 1)))
            #expect(object["valid"] == .bool(want.valid), "line \(index + 1): \(object)")
            #expect(object.errorCodes == (want.code.map { [$0] } ?? []), "line \(index + 1)")
            #expect(object["claims"]?["sub"]?.stringValue == want.subject, "line \(index + 1)")
        }
    }

    @Test("only valid tokens: exit 0; the last line needs no line break, and CRLF line ends are fine")
    func allValid() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("key.pem", try #require(issuer.key.verificationKey.pem))
        let input = try [issuer.token(["sub": "a"]), "Bearer " + issuer.token(["sub": "b"]), "Authorization: Bearer " + issuer.token(["sub": "c"])]
            .joined(separator: "\r\n")
        let result = try await layabauth(["verify", "-", "--json", "--key", keyFile], input: input)
        #expect(result.status == 0, "\(result)")
        #expect(result.outputLines.map { jsonObject($0)["claims"]?["sub"]?.stringValue } == ["a", "b", "c"])
    }

    @Test("unreadable lines are reported with their own codes and processing goes on")
    func badLines() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let huge = String(repeating: "a", count: 1 << 20)
        let lines = [
            try issuer.token(["sub": "first"]),
            "",
            "this is not a token",
            "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5.aXY.Y2lwaGVydGV4dA.dGFn",
            "eyJ" + huge,
            "   \t ",
            try issuer.token(["sub": "last"]),
        ]
        let result = try await layabauth(["verify", "-", "--json", "--key", keyFile], input: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 1, "\(result)")
        let objects = result.outputLines.map { jsonObject($0) }
        try #require(objects.count == lines.count, "\(result.outputLines.count) result lines: \(result)")
        #expect(objects.map { $0["line"]?.doubleValue } == (1...lines.count).map { Double($0) })
        #expect(objects.map(\.errorCodes) == [[], ["missing_token"], ["malformed"], ["encrypted_token_unsupported"], ["token_too_large"], ["missing_token"], []])
        #expect(objects.map { $0["valid"] } == [true, false, false, false, false, false, true])
        for object in objects {
            #expect(object.names.sorted() == ["accessTokenProfile", "claims", "errors", "header", "key", "line", "scopes", "valid"], "\(object)")
            #expect(object["scopes"]?.objectValue?.names.sorted() == ["granted", "missing", "present", "required"], "\(object)")
        }
        let messages = objects.map { $0["errors"]?.arrayValue?.first?["message"]?.stringValue ?? "" }
        #expect(messages[1].contains("line 2 is empty"))
        #expect(messages[3].contains("JWE"))
        #expect(messages[4].contains("1048579 bytes"), "\(messages[4])")
        #expect(objects[6]["claims"]?["sub"] == "last")
    }

    /// The longest batch line kept, as the README documents it: 1 MiB and 1 KiB.
    static let lineLimit = (1 << 20) + 1024

    @Test("lines of several MiB are token_too_large with their line number and length, and the batch goes on in order")
    func overlongLines() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let long = 5 << 20
        var input = Array((try issuer.token(["sub": "first"]) + "\n").utf8)
        input += Array("eyJ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: long - 3) + Array("\n".utf8)
        input += Array((try issuer.token(["sub": "after"]) + "\n").utf8)
        // A last line without a line break, too long as well, split across many reads.
        input += [UInt8](repeating: UInt8(ascii: "b"), count: 3 << 20)
        let result = try await layabauth(["verify", "-", "--json", "--key", keyFile], input: input)
        #expect(result.status == 1, "\(result)")
        #expect(result.errorOutput.isEmpty, "\(result)")
        let objects = result.outputLines.map { jsonObject($0) }
        try #require(objects.count == 4, "\(result)")
        #expect(objects.map { $0["line"]?.doubleValue } == [1, 2, 3, 4])
        #expect(objects.map(\.errorCodes) == [[], ["token_too_large"], [], ["token_too_large"]])
        #expect(objects.map { $0["claims"]?["sub"]?.stringValue } == ["first", nil, "after", nil])
        let messages = objects.map { $0["errors"]?.arrayValue?.first?["message"]?.stringValue ?? "" }
        #expect(messages[1] == "line 2 has \(long) bytes, the limit for a line is \(Self.lineLimit)")
        #expect(messages[3] == "line 4 has \(3 << 20) bytes, the limit for a line is \(Self.lineLimit)")
    }

    @Test("a line of exactly the line limit (CRLF ended) reaches the verifier; one byte more is skipped as too long")
    func lineLimitBoundary() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let atLimit = String(repeating: "a", count: Self.lineLimit)
        let overLimit = String(repeating: "a", count: Self.lineLimit + 1)
        let input = atLimit + "\r\n" + overLimit + "\r\n" + (try issuer.token(["sub": "last"])) + "\r\n"
        let result = try await layabauth(["verify", "-", "--key", keyFile], input: input)
        #expect(result.status == 1, "\(result)")
        let lines = result.outputLines
        try #require(lines.count == 3, "\(result)")
        #expect(lines[0].hasPrefix("line 1: REJECTED token_too_large: the token has \(Self.lineLimit) bytes"), "\(lines[0])")
        #expect(lines[1] == "line 2: REJECTED token_too_large: line 2 has \(Self.lineLimit + 1) bytes, the limit for a line is \(Self.lineLimit)")
        #expect(lines[2] == "line 3: VALID sub \"last\"")
    }

    @Test("human batch output: one line per token with its number, VALID with the subject or REJECTED with reasons")
    func text() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let start = Date().timeIntervalSince1970
        let exp = Int64(start) - 7200
        let input = [try issuer.token(["sub": "alice"]), "", try issuer.token(["exp": .integer(exp)])]
        let result = try await layabauth(["verify", "-", "--key", keyFile], input: input.joined(separator: "\n"))
        let end = Date().timeIntervalSince1970
        #expect(result.status == 1, "\(result)")
        let lines = result.outputLines
        try #require(lines.count == 3, "\(result)")
        #expect(lines[0] == "line 1: VALID sub \"alice\"")
        #expect(lines[1] == "line 2: REJECTED missing_token: line 2 is empty")
        let ago = elapsedTexts(since: exp, from: start, to: end)
        #expect(ago.contains { lines[2].hasPrefix("line 3: REJECTED expired: the token expired \($0) ago (exp \(TimeText.iso8601(Double(exp))))") },
                "\(lines[2])")
    }

    @Test("results stream: the first line is answered while standard input is still open")
    func streams() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let first = try issuer.token(["sub": "first"]), second = try issuer.token(["sub": "second"])
        let (answeredEarly, stillRunning, result) = try await OwnThread.run {
            let child = try ChildProcess(["verify", "-", "--json", "--key", keyFile])
            child.write(Array((first + "\n").utf8))
            let answered = child.pump(until: { $0.standardOutput.contains(0x0A) }, deadline: Date().addingTimeInterval(30))
            let running = child.isRunning
            child.write(Array((second + "\n").utf8))
            return (answered, running, child.finish())
        }
        #expect(answeredEarly, "no result before standard input closed: \(result)")
        #expect(stillRunning)
        #expect(result.status == 0, "\(result)")
        #expect(result.outputLines.map { jsonObject($0)["claims"]?["sub"]?.stringValue } == ["first", "second"])
    }

    @Test("keys from a JWKS URI are fetched once for the whole batch")
    func fetchedOnce() async throws {
        let issuer = try TestIssuer()
        let server = try identityProviderServer(jwks: issuer.jwks)
        defer { server.stop() }
        let tokens = try (1...20).map { try issuer.token(["sub": .string("user-\($0)")]) }
        let result = try await layabauth(["verify", "-", "--json", "--jwks", server.url("/jwks.json")], input: tokens.joined(separator: "\n"))
        #expect(result.status == 0, "\(result)")
        #expect(result.outputLines.count == 20)
        #expect(server.requestCount(path: "/jwks.json") == 1)
    }

    @Test("an empty standard input is a usage error (exit 2): a run that verified nothing is not a success")
    func emptyInput() async throws {
        let directory = try TemporaryDirectory()
        let keyFile = try directory.write("jwks.json", try TestIssuer().jwks)
        let result = try await layabauth(["verify", "-", "--json", "--key", keyFile], input: "")
        #expect(result.status == 2, "\(result)")
        #expect(result.output.isEmpty)
        #expect(result.errorOutput == "layabauth: standard input held no token: give one token per line\n")
    }
}
