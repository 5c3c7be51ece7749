import Foundation
import LayabAuth
import LayabAuthTesting
import Testing

/// A command line that must be refused before any token is judged.
struct UsageCase: CustomTestStringConvertible, Sendable {
    let name: String
    /// The arguments; `TOKEN`, `KEY`, `JUNK`, `SHORT` and `@DIRECTORY` stand for a valid token, its JWK Set
    /// file, a file that holds no key, a too-short HMAC secret file, and @ with a directory's path.
    let arguments: [String]
    /// A fragment of the message on standard error.
    let message: String

    var testDescription: String { name }

    static let all: [UsageCase] = [
        UsageCase(name: "unknown --algorithm", arguments: ["verify", "TOKEN", "--key", "KEY", "--algorithm", "RS257"], message: "unknown algorithm \"RS257\""),
        UsageCase(name: "no key source", arguments: ["verify", "TOKEN"], message: "no keys to verify with"),
        UsageCase(name: "no token", arguments: ["verify", "--key", "KEY"], message: "no token given"),
        UsageCase(name: "--jwks and --key together", arguments: ["verify", "TOKEN", "--key", "KEY", "--jwks", "KEY"], message: "not both"),
        UsageCase(name: "negative --leeway", arguments: ["verify", "TOKEN", "--key", "KEY", "--leeway", "-5"], message: "--leeway"),
        UsageCase(name: "--leeway that is not a number", arguments: ["verify", "TOKEN", "--key", "KEY", "--leeway", "soon"], message: "--leeway"),
        UsageCase(name: "discovery from an issuer that is not a URL", arguments: ["verify", "TOKEN", "--issuer", "idp.test"],
                  message: "the issuer \"idp.test\" is not an http(s) URL"),
        UsageCase(name: "jwks --issuer that is not a URL", arguments: ["jwks", "--issuer", "ftp://idp.test"], message: "is not an http(s) URL"),
        UsageCase(name: "an empty JWKS URI", arguments: ["jwks", ""], message: "the JWKS URI is empty"),
        UsageCase(name: "a file URI naming another host", arguments: ["verify", "TOKEN", "--jwks", "file://idp.test/etc/jwks.json"],
                  message: "names the host \"idp.test\": only local files"),
        UsageCase(name: "a file URI holding a NUL byte", arguments: ["jwks", "file:///tmp/%00"], message: "a path holding a NUL byte"),
        UsageCase(name: "a file URI that is not percent-encoding", arguments: ["jwks", "file:///tmp/%zz"], message: "not valid percent-encoding"),
        UsageCase(name: "unsupported JWKS scheme", arguments: ["verify", "TOKEN", "--jwks", "ftp://idp.test/jwks.json"], message: "unsupported JWKS URI scheme \"ftp\""),
        UsageCase(name: "unreadable --key file", arguments: ["verify", "TOKEN", "--key", "/nonexistent/key.pem"], message: "cannot read key file /nonexistent/key.pem"),
        UsageCase(name: "--key file that holds no key", arguments: ["verify", "TOKEN", "--key", "JUNK"], message: "neither PEM nor"),
        // A secret too short for HMAC is checked and reported as weak (exit 1, DebuggerTests); an empty one is no secret.
        UsageCase(name: "an empty --secret-file", arguments: ["verify", "TOKEN", "--secret-file", "EMPTY"], message: "is empty"),
        UsageCase(name: "unreadable --secret-file", arguments: ["verify", "TOKEN", "--secret-file", "/nonexistent/secret"], message: "cannot read secret file"),
        UsageCase(name: "unknown option", arguments: ["verify", "TOKEN", "--key", "KEY", "--frobnicate"], message: "--frobnicate"),
        UsageCase(name: "- with other tokens", arguments: ["verify", "TOKEN", "-", "--key", "KEY"], message: "- (standard input) must be the only token"),
        UsageCase(name: "an unreadable @file after a good token", arguments: ["verify", "TOKEN", "@/nonexistent/token", "--key", "KEY"],
                  message: "cannot read /nonexistent/token"),
        UsageCase(name: "an unreadable @file with keys that cannot be fetched", arguments: ["verify", "@/nonexistent/token", "--jwks", "http://127.0.0.1:1/jwks.json"],
                  message: "cannot read /nonexistent/token"),
        UsageCase(name: "verify @ a directory", arguments: ["verify", "@DIRECTORY", "--key", "KEY"], message: "cannot read"),
        UsageCase(name: "decode @ a directory", arguments: ["decode", "@DIRECTORY"], message: "cannot read"),
        UsageCase(name: "unreadable --ca-bundle", arguments: ["verify", "TOKEN", "--jwks", "KEY", "--ca-bundle", "/nonexistent/ca.pem"],
                  message: "cannot read the CA bundle /nonexistent/ca.pem"),
        UsageCase(name: "jwks with an unreadable --ca-bundle", arguments: ["jwks", "KEY", "--ca-bundle", "/nonexistent/ca.pem"],
                  message: "cannot read the CA bundle /nonexistent/ca.pem"),
        UsageCase(name: "jwks without a URI or --issuer", arguments: ["jwks"], message: "give a JWKS URI or --issuer"),
        UsageCase(name: "jwks with a URI and --issuer", arguments: ["jwks", "KEY", "--issuer", "https://idp.test"], message: "one of them"),
        UsageCase(name: "decode with two tokens", arguments: ["decode", "TOKEN", "TOKEN"], message: "Unexpected argument"),
        UsageCase(name: "a mistyped command", arguments: ["verfy", "TOKEN", "--key", "KEY"], message: "\"verfy\" is not a command; did you mean \"verify\"?"),
        UsageCase(name: "a mistyped command without arguments", arguments: ["jwk"], message: "did you mean \"jwks\"?"),
        UsageCase(name: "help about no command", arguments: ["help", "frobnicate"], message: "no command is named \"frobnicate\""),
        // A lone word is the inspector's token argument; outside a terminal the inspector refuses to start.
        UsageCase(name: "a lone word outside a terminal", arguments: ["inspect-everything"], message: "needs a terminal"),
    ]
}

/// A key source that cannot deliver, and what standard error must say about it.
struct UnavailableCase: CustomTestStringConvertible, Sendable {
    let name: String
    let message: String
    var testDescription: String { name }

    static let all = [
        UnavailableCase(name: "a stopped server's JWKS URL", message: "cannot retrieve keys from"),
        UnavailableCase(name: "discovery from a stopped server", message: "openid-configuration"),
        UnavailableCase(name: "HTTP 500 from the JWKS URL", message: "HTTP 500"),
        UnavailableCase(name: "a JWKS that is not JSON", message: "invalid key set"),
        UnavailableCase(name: "a JWKS without one usable key", message: "no usable keys"),
        UnavailableCase(name: "a JWKS path that does not exist", message: "no such file"),
    ]

    /// The `--jwks` or `--issuer` arguments of the case; the server, if any, must live until the run ends.
    func source(_ directory: TemporaryDirectory) async throws -> (arguments: [String], server: TestHTTPServer?) {
        switch name {
        case "a stopped server's JWKS URL": return (["--jwks", try stoppedServerURL()], nil)
        case "discovery from a stopped server": return (["--issuer", try stoppedServerURL("")], nil)
        case "HTTP 500 from the JWKS URL":
            let server = try TestHTTPServer { _ in .json(#"{"error":"down"}"#, status: 500) }
            return (["--jwks", server.url("/jwks.json")], server)
        case "a JWKS that is not JSON":
            let server = try TestHTTPServer { _ in TestHTTPServer.Response(headers: [("Content-Type", "text/html")], body: Array("<html>login</html>".utf8)) }
            return (["--jwks", server.url("/jwks.json")], server)
        case "a JWKS without one usable key":
            let weak = try await RSAKeys.shared.key(kid: "weak", bits: 1024)
            let server = try TestHTTPServer { _ in .json(KeySet(keys: [weak.verificationKey]).publicJWKS.jsonText) }
            return (["--jwks", server.url("/jwks.json")], server)
        default: return (["--jwks", directory.path("missing.json")], nil)
        }
    }
}

@Suite("Exit statuses: 0 valid, 1 rejected, 2 usage, 3 keys unavailable", .fewAtATime)
struct ExitStatusTests {
    @Test("0 when every token is valid, 1 when one is rejected")
    func validAndRejected() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let keyFile = try directory.write("jwks.json", issuer.jwks)
        let valid = try await layabauth(["verify", try issuer.token(), "--key", keyFile])
        #expect(valid.status == 0, "\(valid)")
        let rejected = try await layabauth(["verify", try issuer.token(), "--key", keyFile, "--audience", "other"])
        #expect(rejected.status == 1, "\(rejected)")
        #expect(rejected.errorOutput.isEmpty, "a rejection is data, not an error: \(rejected)")
        let garbage = try await layabauth(["verify", "garbage", "--key", keyFile])
        #expect(garbage.status == 1, "\(garbage)")
        #expect(garbage.output.contains("malformed"), "\(garbage)")
    }

    @Test("2 for usage and configuration errors, with the reason on standard error and nothing on standard output",
          arguments: UsageCase.all)
    func usage(usage: UsageCase) async throws {
        let directory = try TemporaryDirectory()
        let issuer = try TestIssuer()
        let replacements = [
            "TOKEN": try issuer.token(),
            "KEY": try directory.write("jwks.json", issuer.jwks),
            "JUNK": try directory.write("junk.txt", "hello"),
            "EMPTY": try directory.write("empty.txt", "\n"),
            "@DIRECTORY": "@" + directory.url.path,
        ]
        let arguments = usage.arguments.map { replacements[$0] ?? $0 }
        let result = try await layabauth(arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.output.isEmpty, "\(result)")
        #expect(result.errorOutput.contains(usage.message), "\(result)")
    }

    @Test("3 when keys cannot be obtained, with the cause on standard error", arguments: UnavailableCase.all)
    func keysUnavailable(unavailable: UnavailableCase) async throws {
        let directory = try TemporaryDirectory()
        let token = try TestIssuer().token()
        let (source, server) = try await unavailable.source(directory)
        defer { server?.stop() }
        for arguments in [["verify", token] + source, ["verify", "--json", "-"] + source] {
            let result = try await layabauth(arguments, input: token + "\n")
            #expect(result.status == 3, "\(arguments): \(result)")
            #expect(result.output.isEmpty, "\(result)")
            #expect(result.errorOutput.hasPrefix("layabauth: "), "\(result)")
            #expect(result.errorOutput.contains(unavailable.message), "\(result)")
        }
        let jwks = try await layabauth(["jwks"] + (source.first == "--issuer" ? source : Array(source.dropFirst())))
        #expect(jwks.status == 3, "\(jwks)")
        #expect(jwks.errorOutput.contains(unavailable.message), "\(jwks)")
    }

    @Test("a --key JWK Set in which no key is usable is a configuration error that says why")
    func keyFileWithoutUsableKeys() async throws {
        let directory = try TemporaryDirectory()
        // A 2048-bit modulus with the public exponent 3, which no tool uses whatever its size.
        let key = try await RSAKeys.shared.key(kid: "odd")
        var jwk = key.verificationKey.publicJWK
        jwk["e"] = "Aw"
        let keyFile = try directory.write("jwks.json", JSONValue.object(["keys": [.object(jwk)]]).jsonText)
        let token = try TestIssuer(key: key, name: "https://issuer.test").token()
        let result = try await layabauth(["verify", token, "--key", keyFile])
        #expect(result.status == 2, "\(result)")
        #expect(result.output.isEmpty, "\(result)")
        #expect(result.errorOutput.contains("holds no usable key") && result.errorOutput.contains("exponent is 3"), "\(result)")
    }

    /// Issue 13: a key set of weak keys only used to be refused here (exit 2) before any token was looked at.
    @Test("a --key JWK Set whose only key is under 2048 bits: the token is checked against it and rejected (exit 1), the weakness said")
    func keyFileOfWeakKeys() async throws {
        let directory = try TemporaryDirectory()
        let weak = try await RSAKeys.shared.key(kid: "weak", bits: 1024)
        let keyFile = try directory.write("jwks.json", KeySet(keys: [weak.verificationKey]).publicJWKS.jsonText)
        let token = try TestIssuer(key: try await RSAKeys.shared.key(kid: "weak"), name: "https://issuer.test").token()
        let result = try await layabauth(["verify", token, "--key", keyFile])
        #expect(result.status == 1, "\(result)")
        #expect(result.output.contains("bad_signature") && result.output.contains("1024-bit RSA key \"weak\"") && result.output.contains("2048"), "\(result)")
    }

    @Test("--help and --version succeed on standard output")
    func help() async throws {
        let help = try await layabauth(["verify", "--help"])
        #expect(help.status == 0, "\(help)")
        #expect(help.output.contains("--jwks") && help.output.contains("--secret-file"), "\(help)")
        let version = try await layabauth(["--version"])
        #expect(version.status == 0)
        #expect(version.output.hasPrefix("0."), "\(version)")
    }
}
