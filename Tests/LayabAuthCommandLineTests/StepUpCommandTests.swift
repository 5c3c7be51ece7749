import Foundation
import LayabAuth
import Testing

@Suite("layabauth verify --acr / --max-age (RFC 9470)", .fewAtATime)
struct StepUpCommandTests {
    static func setUp() throws -> (issuer: TestIssuer, keyFile: String, directory: TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("key.jwk", JSONValue.object(issuer.key.verificationKey.publicJWK).jsonText)
        return (issuer, keyFile, directory)
    }

    @Test("a token that meets --acr and --max-age is valid, each check listed")
    func accepted() async throws {
        let (issuer, keyFile, directory) = try Self.setUp()
        defer { withExtendedLifetime(directory) {} }
        let now = Int64(Date().timeIntervalSince1970)
        let token = try issuer.token(["acr": "urn:example:mfa", "auth_time": .integer(now - 60)])
        let arguments = ["--key", keyFile, "--acr", "urn:example:pwd", "--acr", "urn:example:mfa", "--max-age", "5m"]
        let text = try await layabauth(["verify", token] + arguments)
        #expect(text.status == 0, "\(text)")
        #expect(text.outputLines.contains { $0.hasPrefix("  ok    acr ") && $0.contains("\"urn:example:mfa\"") }, "\(text)")
        #expect(text.outputLines.contains { $0.hasPrefix("  ok    auth_time ") && $0.contains("within max_age 300 s") }, "\(text)")

        let json = try await layabauth(["verify", "--json", token] + arguments)
        #expect(json.status == 0, "\(json)")
        let authentication = try #require(jsonObject(json.output)["authentication"]?.objectValue)
        #expect(authentication["acr_values"] == ["urn:example:pwd", "urn:example:mfa"])
        #expect(authentication["max_age"]?.doubleValue == 300)
        #expect(authentication["acr"] == "urn:example:mfa")
        #expect(authentication["auth_time"]?.doubleValue == Double(now - 60))
        #expect(authentication["satisfied"] == true)
        #expect(authentication["checks"]?.arrayValue?.count == 2)
    }

    static let refusals: [(String, JSONObject, [String], String)] = [
        ("another acr", ["acr": "urn:example:pwd"], ["--acr", "urn:example:mfa"], "acr"),
        ("no acr", [:], ["--acr", "urn:example:mfa"], "acr"),
        ("authenticated too long ago", ["auth_time": .integer(Int64(Date().timeIntervalSince1970) - 7200)], ["--max-age", "300"], "auth_time"),
        ("no auth_time", [:], ["--max-age", "1h"], "auth_time"),
    ]

    @Test("a token short of the requirement is rejected with exit 1, as a failed scope check", arguments: refusals)
    func refused(_ name: String, _ claims: JSONObject, _ arguments: [String], _ row: String) async throws {
        let (issuer, keyFile, directory) = try Self.setUp()
        defer { withExtendedLifetime(directory) {} }
        let token = try issuer.token(claims)
        let json = try await layabauth(["verify", "--json", token, "--key", keyFile] + arguments)
        #expect(json.status == 1, "\(json)")
        let object = jsonObject(json.output)
        #expect(object.errorCodes == ["insufficient_user_authentication"], "\(json)")
        #expect(object["authentication"]?["satisfied"] == false)

        let text = try await layabauth(["verify", token, "--key", keyFile] + arguments)
        #expect(text.status == 1, "\(text)")
        #expect(text.outputLines.contains { $0.hasPrefix("  FAIL  \(row) ") && $0.contains("insufficient_user_authentication") }, "\(text)")

        // Batch mode: the fast path for valid tokens does not skip the requirement.
        let batch = try await layabauth(["verify", "-", "--key", keyFile] + arguments, input: token + "\n")
        #expect(batch.status == 1, "\(batch)")
        #expect(batch.output.contains("REJECTED insufficient_user_authentication"), "\(batch)")
    }

    @Test("without --acr or --max-age the JSON object keeps its members")
    func absent() async throws {
        let (issuer, keyFile, directory) = try Self.setUp()
        defer { withExtendedLifetime(directory) {} }
        let result = try await layabauth(["verify", "--json", try issuer.token(), "--key", keyFile])
        #expect(result.status == 0, "\(result)")
        #expect(jsonObject(result.output)["authentication"] == nil)
    }

    @Test("--max-age that is no duration is a usage error", arguments: ["-5m", "soon", "5x", ""])
    func badMaxAge(_ value: String) async throws {
        let (issuer, keyFile, directory) = try Self.setUp()
        defer { withExtendedLifetime(directory) {} }
        let result = try await layabauth(["verify", try issuer.token(), "--key", keyFile, "--max-age", value])
        #expect(result.status == 2, "\(result)")
        #expect(result.output.isEmpty, "\(result)")
        #expect(result.errorOutput.contains("--max-age"), "\(result)")
    }
}
