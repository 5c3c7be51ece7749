import Foundation
import LayabAuth
import Testing

/// The ways a token reaches the binary, as the documented interface lists them.
enum TokenForm: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case argument = "a bare token as the argument"
    case bearerArgument = "\"Bearer <token>\" as the argument"
    case authorizationArgument = "a whole \"Authorization: Bearer <token>\" line as the argument"
    case brokenArgument = "a pasted token with line breaks inside and whitespace around"
    case standardInput = "- with the token on standard input"
    case standardInputAuthorization = "- with an Authorization line and line breaks on standard input"
    case file = "@path to a file holding the token"
    case authorizationFile = "@path to a file holding an Authorization line"

    var testDescription: String { rawValue }

    /// The command line arguments and standard input that hand `token` over in this form.
    func arguments(for token: String, in directory: TemporaryDirectory) throws -> (arguments: [String], input: String) {
        let broken = Self.breakLines(token)
        switch self {
        case .argument: return ([token], "")
        case .bearerArgument: return (["Bearer \(token)"], "")
        case .authorizationArgument: return (["Authorization: Bearer \(token)"], "")
        case .brokenArgument: return (["  \n\(broken)\r\n  "], "")
        case .standardInput: return (["-"], token + "\n")
        case .standardInputAuthorization: return (["-"], "authorization:   bearer \(broken)\n")
        case .file: return (["@" + (try directory.write("token.txt", token + "\n"))], "")
        case .authorizationFile: return (["@" + (try directory.write("header.txt", "Authorization: Bearer \(broken)\r\n"))], "")
        }
    }

    /// The token cut into 60-character lines, as a terminal or an e-mail wraps it.
    static func breakLines(_ token: String) -> String {
        var lines: [Substring] = []
        var rest = Substring(token)
        while !rest.isEmpty {
            lines.append(rest.prefix(60))
            rest = rest.dropFirst(60)
        }
        return lines.joined(separator: "\n")
    }
}

@Suite("layabauth decode", .fewAtATime)
struct DecodeCommandTests {
    @Test("text output: UNVERIFIED label, header, claims, timestamps as number, ISO 8601 and relative time")
    func text() async throws {
        let issuer = try TestIssuer()
        let start = Date().timeIntervalSince1970
        let now = Int64(start)
        let exp = now + 7200 + 30, iat = now - 3 * 3600 - 30
        let token = try issuer.token(["exp": .integer(exp), "iat": .integer(iat), "sub": "bob"])
        let result = try await layabauth(["decode", token])
        let end = Date().timeIntervalSince1970
        #expect(result.status == 0, "\(result)")
        #expect(result.errorOutput.isEmpty, "\(result)")
        let output = result.output
        #expect(output.hasPrefix("UNVERIFIED"))
        #expect(output.contains("Header"))
        #expect(output.contains("Claims"))
        let lines = result.outputLines
        let expLine = try #require(lines.first { $0.contains("exp ") }, "\(output)")
        #expect(expLine.contains("\(exp)") && expLine.contains(TimeText.iso8601(Double(exp))), "\(expLine)")
        #expect(relativeTexts(exp, from: start, to: end).contains { expLine.contains("\($0))") && $0.hasPrefix("in 2h") }, "\(expLine)")
        let iatLine = try #require(lines.first { $0.contains("iat ") }, "\(output)")
        #expect(iatLine.contains("\(iat)") && iatLine.contains(TimeText.iso8601(Double(iat))), "\(iatLine)")
        #expect(relativeTexts(iat, from: start, to: end).contains { iatLine.contains("\($0))") && $0.hasPrefix("3h") }, "\(iatLine)")
        #expect(lines.contains { $0.contains("kid") && $0.contains("\"k1\"") })
        #expect(lines.contains { $0.contains("alg") && $0.contains("\"ES256\"") })
        #expect(lines.contains { $0.contains("sub") && $0.contains("\"bob\"") })
        #expect(lines.contains { $0.hasPrefix("Signature") && $0.contains("64 bytes") && $0.contains("ES256") })
    }

    @Test("--json: verified false, header, claims, timestamps and signature size")
    func json() async throws {
        let issuer = try TestIssuer()
        let start = Date().timeIntervalSince1970
        let now = Int64(start)
        let token = try issuer.token(["exp": .integer(now + 252), "nbf": .integer(now - 10), "iat": .integer(now - 3600 - 30)])
        let result = try await layabauth(["decode", "--json", token])
        let end = Date().timeIntervalSince1970
        #expect(result.status == 0, "\(result)")
        let object = jsonObject(result.output)
        #expect(object.names.sorted() == ["claims", "header", "refusal", "signatureBytes", "timestamps", "verified"])
        #expect(object["verified"] == false)
        #expect(object["refusal"] == .null)
        #expect(object["header"]?["alg"] == "ES256")
        #expect(object["header"]?["kid"] == "k1")
        #expect(object["header"]?["typ"] == "JWT")
        #expect(object["claims"]?["sub"] == "alice")
        #expect(object["claims"]?["exp"] == .integer(now + 252))
        #expect(object["signatureBytes"] == 64)
        let timestamps = try #require(object["timestamps"]?.objectValue)
        #expect(timestamps.names.sorted() == ["exp", "iat", "nbf"])
        let exp = try #require(timestamps["exp"]?.objectValue)
        #expect(exp["value"]?.doubleValue == Double(now + 252))
        #expect(exp["iso8601"]?.stringValue == TimeText.iso8601(Double(now + 252)))
        let relative = try #require(exp["relative"]?.stringValue)
        #expect(relative.hasPrefix("in ") && relativeTexts(now + 252, from: start, to: end).contains(relative), "\(relative)")
        let iat = try #require(timestamps["iat"]?["relative"]?.stringValue)
        #expect(iat.hasSuffix(" ago") && relativeTexts(now - 3600 - 30, from: start, to: end).contains(iat), "\(iat)")
    }

    @Test("every token input form is read", arguments: TokenForm.allCases)
    func inputForms(form: TokenForm) async throws {
        let directory = try TemporaryDirectory()
        let token = try TestIssuer().token(["sub": .string("form-\(form)")])
        let (arguments, input) = try form.arguments(for: token, in: directory)
        let result = try await layabauth(["decode", "--json"] + arguments, input: input)
        #expect(result.status == 0, "\(result)")
        #expect(jsonObject(result.output)["claims"]?["sub"] == .string("form-\(form)"))
    }

    @Test("with no token argument the token is read from standard input")
    func defaultsToStandardInput() async throws {
        let token = try TestIssuer().token(["sub": "piped"])
        let result = try await layabauth(["decode", "--json"], input: "Bearer \(token)\n")
        #expect(result.status == 0, "\(result)")
        #expect(jsonObject(result.output)["claims"]?["sub"] == "piped")
    }

    @Test("a JWS whose payload is not JSON shows the payload text")
    func nonJSONPayload() async throws {
        let key = try SigningKey.generate(.es256, kid: "k1")
        let token = try key.sign(header: ["alg": "ES256"], payload: Array("hello, world".utf8))
        let result = try await layabauth(["decode", "--json", token])
        #expect(result.status == 0, "\(result)")
        let object = jsonObject(result.output)
        #expect(object["claims"] == .null)
        #expect(object["payload"] == "hello, world")
    }

    @Test("unreadable tokens get a specific message on standard error and exit 1", arguments: [
        ("garbage", "not-a-token", "malformed: a signed token has three segments"),
        ("a JWE whose header is not JSON", "bm90IGpzb24.a2V5.aXY.Y2lwaGVy.dGFn", "encrypted_token_unsupported"),
        ("an empty input", "   \n", "missing_token: the token is empty"),
        ("a header that is not JSON", "bm90IGpzb24.e30.c2ln", "the header is not valid JSON"),
    ])
    func unreadable(name: String, token: String, message: String) async throws {
        let result = try await layabauth(["decode", "-"], input: token)
        #expect(result.status == 1, "\(name): \(result)")
        #expect(result.output.isEmpty, "\(name): \(result)")
        #expect(result.errorOutput.hasPrefix("layabauth: "), "\(name): \(result)")
        #expect(result.errorOutput.contains(message), "\(name): \(result)")
    }

    @Test("a token every verifier refuses before looking at keys is still shown, with the reason", arguments: [
        ("alg none", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.", "unsupported_algorithm", "none"),
        ("crit", "eyJhbGciOiJFUzI1NiIsImNyaXQiOlsiZXhwIl0sImV4cCI6MX0.eyJzdWIiOiJtYWxsb3J5In0.c2ln", "unsupported_critical_header", "ES256"),
    ])
    func refused(name: String, token: String, code: String, algorithm: String) async throws {
        try await checkRefused(name: name, token: token, code: code, algorithm: algorithm, subject: "mallory")
    }

    /// Since issue 14 a JWE's protected header is shown, refused, as other refused tokens are.
    @Test("a JWE is shown by its protected header, with the reason")
    func encrypted() async throws {
        try await checkRefused(name: "JWE", token: "eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn", code: "encrypted_token_unsupported",
                               algorithm: "RSA-OAEP", subject: nil)
    }

    func checkRefused(name: String, token: String, code: String, algorithm: String, subject: String?) async throws {
        let text = try await layabauth(["decode", token])
        #expect(text.status == 0, "\(name): \(text)")
        #expect(text.output.contains("REFUSED  every verifier refuses this token: \(code): "), "\(name): \(text)")
        if let subject { #expect(text.output.contains(subject), "\(name): \(text)") }
        let json = try await layabauth(["decode", "--json", token])
        let object = jsonObject(json.output)
        #expect(object["refusal"]?["code"]?.stringValue == code, "\(name): \(json)")
        #expect(object["header"]?["alg"]?.stringValue == algorithm, "\(name): \(json)")
        #expect(object["claims"]?["sub"] == subject.map(JSONValue.string), "\(name): \(json)")
    }

    @Test("a missing @file and input larger than 1 MiB are usage errors (exit 2)")
    func inputErrors() async throws {
        let missing = try await layabauth(["decode", "@/nonexistent/token.txt"])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.errorOutput.contains("cannot read /nonexistent/token.txt"), "\(missing)")
        #expect(missing.output.isEmpty)

        let huge = try await layabauth(["decode", "-"], input: [UInt8](repeating: UInt8(ascii: "a"), count: (1 << 20) + 10))
        #expect(huge.status == 2, "\(huge)")
        #expect(huge.errorOutput.contains("more than 1048576 bytes"), "\(huge)")
    }
}

@Suite("layabauth decode: timestamps far from now", .fewAtATime)
struct DecodeTimestampRangeTests {
    @Test("a timestamp beyond any date is shown as a number, never a crash", arguments: [
        ("1e300", nil), ("-1e300", nil), ("9223372036854775807", nil), ("-9223372036854775808", nil), ("1.5e19", nil),
        ("100000000000", nil), ("99999999999", "5138-11-16T09:46:39Z"), ("-62135596800", "0001-01-01T00:00:00Z"), ("0", "1970-01-01T00:00:00Z"),
    ] as [(String, String?)])
    func range(value: String, iso8601: String?) async throws {
        let key = try SigningKey.generate(.es256, kid: "k1")
        let token = try key.sign(header: ["alg": "ES256", "kid": "k1"], payload: Array(#"{"sub":"far","exp":\#(value),"iat":\#(value)}"#.utf8))

        let text = try await layabauth(["decode", token])
        #expect(text.status == 0, "\(text)")
        let expLine = try #require(text.outputLines.first { $0.contains("exp ") }, "\(text)")
        if let iso8601 {
            #expect(expLine.contains(iso8601), "\(expLine)")
        } else {
            #expect(expLine.contains("outside the range of dates"), "\(expLine)")
        }

        let json = try await layabauth(["decode", "--json", token])
        #expect(json.status == 0, "\(json)")
        let exp = jsonObject(json.output)["timestamps"]?["exp"]
        #expect(exp?["value"]?.doubleValue == Double(value), "\(json)")
        #expect(exp?["iso8601"] == iso8601.map(JSONValue.string) ?? .null, "\(json)")
        #expect((exp?["relative"]?.stringValue != nil) == (iso8601 != nil), "\(json)")
    }
}
