import Foundation
import LayabAuth
import LayabAuthTesting
import TestSupport
import Synchronization
import Testing

/// Input that carries no token, or not as text: each gets a message that says what was found.
@Suite("Input that is not a token", .fewAtATime)
struct InputTextTests {
    @Test("standard input or a file that is not UTF-8 names the byte as read, with its offset (exit 2)")
    func notUTF8() async throws {
        let directory = try TemporaryDirectory()
        let token = try TestIssuer().token()
        let piped = try await layabauth(["decode"], input: [0xFF] + Array(token.utf8))
        #expect(piped.status == 2, "\(piped)")
        #expect(piped.errorOutput == "layabauth: standard input is not UTF-8 text: byte 0xff at offset 0 (a token is ASCII)\n", "\(piped)")
        // A byte order mark is counted in the offset: the offset is where the byte sits in the file.
        let file = try directory.write("token.txt", bytes: [0xEF, 0xBB, 0xBF] + Array(token.utf8) + [0xC3, 0x0A])
        let fromFile = try await layabauth(["decode", "@" + file])
        #expect(fromFile.status == 2, "\(fromFile)")
        #expect(fromFile.errorOutput.contains("\(file) is not UTF-8 text: byte 0xc3 at offset \(token.utf8.count + 3)"), "\(fromFile)")
    }

    @Test("a leading byte order mark is dropped from a file and from the first line of a batch")
    func byteOrderMark() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let file = try directory.write("token.txt", bytes: [0xEF, 0xBB, 0xBF] + Array(try issuer.token(["sub": "bom"]).utf8) + [0x0D, 0x0A])
        let decoded = try await layabauth(["decode", "--json", "@" + file])
        #expect(decoded.status == 0, "\(decoded)")
        #expect(jsonObject(decoded.output)["claims"]?["sub"] == "bom")
        let batch = [0xEF, 0xBB, 0xBF] + Array("\(try issuer.token(["sub": "first"]))\n\(try issuer.token(["sub": "second"]))\n".utf8)
        let verified = try await layabauth(["verify", "-", "--json", "--key", keyFile], input: batch)
        #expect(verified.status == 0, "\(verified)")
        #expect(verified.outputLines.map { jsonObject($0)["claims"]?["sub"]?.stringValue } == ["first", "second"])
    }

    @Test("an empty credential, Bearer alone and another scheme's credential are missing_token, saying which", arguments: [
        ("Authorization: Basic dXNlcjpwYXNz", "the credential uses the Basic scheme, not Bearer: a bearer token is required"),
        ("Digest username=\"a\", realm=\"b\"", "the credential uses the Digest scheme, not Bearer: a bearer token is required"),
        ("Authorization: Bearer", "the credential says Bearer but carries no token"),
        ("bearer   ", "the credential says Bearer but carries no token"),
        ("Authorization:   ", "the Authorization header is empty: a bearer token is required"),
        ("", "the token is empty"),
    ])
    func credentials(input: String, message: String) async throws {
        let directory = try TemporaryDirectory()
        let keyFile = try directory.write("jwks.json", try TestIssuer().jwks)
        let decoded = try await layabauth(["decode", input])
        #expect(decoded.status == 1, "\(decoded)")
        #expect(decoded.errorOutput == "layabauth: missing_token: \(message)\n", "\(decoded)")
        let verified = try await layabauth(["verify", input, "--json", "--key", keyFile])
        #expect(verified.status == 1, "\(verified)")
        let object = jsonObject(verified.output)
        #expect(object.errorCodes == ["missing_token"], "\(verified)")
        #expect(object["errors"]?.arrayValue?.first?["message"]?.stringValue == message, "\(verified)")
        #expect(object["header"] == .null)
    }

    @Test("batch lines that are not UTF-8 or carry no bearer token are reported, and the batch goes on")
    func batchLines() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let good = try issuer.token()
        var input = Array(good.utf8) + [0x0A]
        input += Array(good.utf8) + [0xC3, 0x0A]
        input += Array("Authorization: Basic dXNlcjpwYXNz\nBearer\n\(good)\n".utf8)
        let result = try await layabauth(["verify", "-", "--json", "--key", keyFile], input: input)
        #expect(result.status == 1, "\(result)")
        let objects = result.outputLines.map { jsonObject($0) }
        try #require(objects.count == 5, "\(result)")
        #expect(objects.map(\.errorCodes) == [[], ["malformed"], ["missing_token"], ["missing_token"], []])
        let messages = objects.map { $0["errors"]?.arrayValue?.first?["message"]?.stringValue ?? "" }
        #expect(messages[1] == "line 2 is not UTF-8 text: byte 0xc3 at offset \(good.utf8.count) (a token is ASCII)")
        #expect(messages[2].contains("Basic scheme"))
        #expect(messages[3].contains("carries no token"))
    }

    @Test("standard input that cannot be read (a directory, a closed descriptor) is a usage error, never a crash", arguments: [
        ("< \"$1\"", "cannot read standard input: Is a directory"),
        ("<&-", "cannot read standard input: Bad file descriptor"),
    ])
    func unreadableStandardInput(redirection: String, message: String) async throws {
        let directory = try TemporaryDirectory()
        let run = try await Subprocess.run("/bin/sh", ["-c", "exec \"$0\" decode - \(redirection)", Binary.url.path, directory.url.path])
        #expect(run.status == 2, "\(run.errorOutput)")
        #expect(run.errorOutput == "layabauth: \(message)\n")
    }

    @Test("keys that become unavailable for a later token: that token's result is unknown, exit 3 (over 1)")
    func keysUnavailableLater() async throws {
        let issuer = try TestIssuer()
        let stranger = try TestIssuer(kid: "k9")
        let served = Atomic<Int>(0)
        // The first request gets the keys, every later one a 500: the unknown kid's refresh fails.
        let server = try TestHTTPServer { _ in
            served.add(1, ordering: .relaxed).newValue == 1 ? .json(issuer.jwks) : .json(#"{"error":"down"}"#, status: 500)
        }
        defer { server.stop() }
        let jwks = server.url("/jwks.json")
        let tokens = [try issuer.token(["sub": "a"]), try stranger.token(), try issuer.token(["sub": "b"]),
                      try issuer.token(["aud": "other"])]
        let batch = try await layabauth(["verify", "-", "--json", "--jwks", jwks, "--audience", "api"], input: tokens.joined(separator: "\n") + "\n")
        #expect(batch.status == 3, "\(batch)")
        let objects = batch.outputLines.map { jsonObject($0) }
        #expect(objects.map(\.errorCodes) == [[], ["jwks_unavailable"], [], ["audience_mismatch"]], "\(batch)")
        #expect(objects[1]["errors"]?.arrayValue?.first?["message"]?.stringValue?.contains("HTTP 500") == true, "\(batch)")

        served.store(0, ordering: .relaxed)
        let single = try await layabauth(["verify", try stranger.token(), "--jwks", jwks])
        #expect(single.status == 3, "\(single)")
        #expect(single.output.contains("jwks_unavailable"), "\(single)")
    }
}
