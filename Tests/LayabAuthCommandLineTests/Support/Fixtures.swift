import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import TestSupport
import Testing

/// A folder of its own for one test's files, removed when the test lets go of it.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("layabauth-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to `name` and returns the file's path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try write(name, bytes: Array(text.utf8)) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// A test identity provider: a signing key, an issuer name and tokens with sensible defaults.
struct TestIssuer: Sendable {
    let key: SigningKey
    let name: String

    init(_ algorithm: Algorithm = .es256, kid: String? = "k1", name: String = "https://issuer.test") throws {
        key = try SigningKey.generate(algorithm, kid: kid)
        self.name = name
    }

    init(key: SigningKey, name: String) {
        self.key = key
        self.name = name
    }

    /// The public JWK Set of the key.
    var jwks: String { KeySet(keys: [key.verificationKey]).publicJWKS.jsonText }

    /// A token valid for an hour, for audience `api`, granting `read write`; `changes` add, replace
    /// (or, with `.null`, remove) claims.
    func token(_ changes: JSONObject = [:], extraHeader: JSONObject = [:]) throws -> String {
        let now = Int64(Date().timeIntervalSince1970)
        var claims: JSONObject = ["iss": .string(name), "sub": "alice", "aud": "api", "scope": "read write",
                                  "iat": .integer(now - 60), "exp": .integer(now + 3600)]
        for member in changes {
            // Not `nil`: JSONValue is expressible by the nil literal, which would set the claim to null.
            claims[member.name] = member.value == .null ? Optional<JSONValue>.none : member.value
        }
        return try key.sign(claims: claims, extraHeader: extraHeader)
    }
}

/// RSA keys, which take long to generate: one per size, made once on a thread of its own (key generation
/// on Swift's concurrency pool would stall the other suites' tests), and handed out under any kid.
actor RSAKeys {
    static let shared = RSAKeys()
    private var pems: [Int: Task<String, any Error>] = [:]

    func key(kid: String, bits: Int = 2048) async throws -> SigningKey {
        let pem = pems[bits] ?? Task {
            try await OwnThread.run { try SigningKey.generate(.rs256, rsaBits: bits).privateKeyPEM ?? "" }
        }
        pems[bits] = pem
        return try SigningKey(pem: try await pem.value, algorithm: .rs256, kid: kid)
    }
}

/// A loopback server publishing a JWK Set at `/jwks.json` and the OpenID Connect discovery document
/// (whose `issuer` is the server's base URL) at `/.well-known/openid-configuration`.
func identityProviderServer(jwks: String) throws -> TestHTTPServer {
    let server = try TestHTTPServer { _ in .json("", status: 404) }
    let base = server.baseURL
    server.setHandler { request in
        switch request.path {
        case "/jwks.json": return .json(jwks)
        case "/.well-known/openid-configuration":
            return .json(#"{"issuer":"\#(base)","jwks_uri":"\#(base)/jwks.json","response_types_supported":["code"]}"#)
        default: return .json(#"{"error":"not found"}"#, status: 404)
        }
    }
    return server
}

/// Ports that refuse connections until the test run ends (``stoppedServerURL(_:)``).
private let refusingPorts = Locked<[TestHTTPClient.RefusingPort]>([])

/// The URL of a server that is down: connections are refused there for the rest of the run. A stopped
/// server's port would do only until another test's server was given it.
func stoppedServerURL(_ path: String = "/jwks.json") throws -> String {
    let refusing = try TestHTTPClient.RefusingPort()
    refusingPorts.withLock { $0.append(refusing) }
    return "http://127.0.0.1:\(refusing.port)\(path)"
}

/// Parses one line of JSON output, recording an issue when it is not a JSON object.
func jsonObject(_ text: some StringProtocol, sourceLocation: SourceLocation = #_sourceLocation) -> JSONObject {
    do {
        let value = try JSONValue(parsing: String(text))
        guard let object = value.objectValue else {
            Issue.record("expected a JSON object, found \(value.typeName): \(text.prefix(300))", sourceLocation: sourceLocation)
            return [:]
        }
        return object
    } catch {
        Issue.record("not JSON (\(error)): \(text.prefix(300))", sourceLocation: sourceLocation)
        return [:]
    }
}

/// Every text `TimeText.relative(seconds, now:)` can have written during a run that lasted from `start` to
/// `end`: on two shared cores a run may start many seconds after its token was minted.
func relativeTexts(_ seconds: Int64, from start: Double, to end: Double) -> Set<String> {
    Set(stride(from: start.rounded(.down) - 1, through: end.rounded(.up) + 1, by: 0.25).map { TimeText.relative(Double(seconds), now: $0) })
}

/// Every text `TimeText.duration(now - seconds)` can have written during a run from `start` to `end`.
func elapsedTexts(since seconds: Int64, from start: Double, to end: Double) -> Set<String> {
    Set(stride(from: start.rounded(.down) - 1, through: end.rounded(.up) + 1, by: 0.25).map { TimeText.duration($0 - Double(seconds)) })
}

extension JSONObject {
    /// The `code` of each member of an `errors` array.
    var errorCodes: [String] {
        (self["errors"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
    }
}

extension String {
    /// Whether the text holds an ANSI escape sequence.
    var hasANSIEscape: Bool { contains("\u{1B}[") }
}
