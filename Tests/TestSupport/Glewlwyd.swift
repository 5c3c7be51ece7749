import Foundation
import LayabAuthJWKS

/// A real identity provider for the tests: a private glewlwyd (Debian package `glewlwyd`) started by
/// `Tests/IdP/glewlwyd.sh` on 127.0.0.1 and configured through its admin REST API with an OIDC plugin
/// instance, one signing key per algorithm (made by `rnbyc`, which picks the kids), one confidential client per
/// key (`sign_kid`) and a scope.
///
/// Secrets never reach a command line: curl reads its configuration, credentials included, from standard input.
package final class Glewlwyd: Sendable {
    /// The algorithms the instance signs with; the first is the plugin's default key, the others are chosen by
    /// the client's `sign_kid`.
    package static let algorithms = ["RS256", "ES256", "PS256", "EdDSA"]
    /// The scope every client may ask for; glewlwyd puts it in `aud` when no resource is requested.
    package static let scope = "api.read"

    /// A confidential client whose tokens are signed with one key.
    package struct Client: Sendable {
        package let id: String
        package let algorithm: String
        package let kid: String
        /// A file holding the client secret alone, for commands that read it from a file.
        package let secretFile: String
    }

    /// What the token endpoint answered.
    package struct TokenResponse: Sendable {
        package let status: Int
        package let body: String
        /// The `access_token` member, when the body is a JSON object that has one.
        package var accessToken: String? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["access_token"] as? String
        }
    }

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Why glewlwyd cannot run here, or nil when it can (the tests skip with this reason).
    package static let unavailableReason: String? = {
        let missing = ["glewlwyd", "rnbyc", "sqlite3", "curl", "python3"].filter { executable($0) == nil }
        return missing.isEmpty ? nil : "not installed: \(missing.joined(separator: ", ")) (apt could not install them: run make idp)"
    }()

    /// The instance's own URL, `http://127.0.0.1:<port>`.
    package let baseURL: String
    /// The OIDC plugin's issuer; discovery is `<issuer>/.well-known/openid-configuration`.
    package var issuer: String { baseURL + "/api/oidc" }
    package var tokenEndpoint: String { issuer + "/token" }
    package let clients: [Client]
    /// The private JWK Set the keys were made in (its public half is served at `<issuer>/jwks`).
    package let privateJWKS: String
    /// Seconds from starting the process to the instance answering, and to the end of its configuration.
    package let startSeconds: Double
    package let configureSeconds: Double
    private let directory: String

    /// Starts and configures an instance; stop it with ``stop()``. Should the test process end first, the
    /// instance stops by itself within a second.
    package static func start() async throws -> Glewlwyd {
        try await OwnThread.run { try Glewlwyd() }
    }

    private init() throws {
        if let reason = Self.unavailableReason { throw Failure(description: "glewlwyd: \(reason)") }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("glewlwyd-\(UUID().uuidString)").path
        let began = Date()
        let started = try Subprocess.runBlocking(Self.script, ["start", directory, String(getpid())], timeout: 60)
        guard started.status == 0,
              let url = started.outputLines.first(where: { $0.hasPrefix("GLEWLWYD_URL=") })?.dropFirst("GLEWLWYD_URL=".count)
        else {
            try? FileManager.default.removeItem(atPath: directory)
            throw Failure(description: "Tests/IdP/glewlwyd.sh start failed: \(started)")
        }
        baseURL = String(url)
        startSeconds = Date().timeIntervalSince(began)
        do {
            let keys = try Self.generateKeys(in: directory)
            privateJWKS = keys.jwks
            clients = try Self.configure(baseURL: baseURL, directory: directory, jwks: keys.jwks, kids: keys.kids)
        } catch {
            _ = try? Subprocess.runBlocking(Self.script, ["stop", directory], timeout: 30)
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        configureSeconds = Date().timeIntervalSince(began)
    }

    deinit { stop() }

    /// Stops the instance and removes its directory (database, configuration, secrets).
    package func stop() {
        _ = try? Subprocess.runBlocking(Self.script, ["stop", directory], timeout: 30)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The client whose tokens are signed with `algorithm`.
    package func client(_ algorithm: String) throws -> Client {
        guard let client = clients.first(where: { $0.algorithm == algorithm }) else {
            throw Failure(description: "no glewlwyd client signs with \(algorithm)")
        }
        return client
    }

    /// Asks the token endpoint for a client-credentials token (RFC 6749 §4.4), the client authenticated by
    /// HTTP Basic with `secret` (the client's own secret when nil).
    package func clientCredentialsToken(client: Client, secret: String? = nil, scope: String = Glewlwyd.scope) async throws -> TokenResponse {
        let secret = try secret ?? String(contentsOfFile: client.secretFile, encoding: .utf8)
        let form = "grant_type=client_credentials&scope=\(scope)"
        let answer = try await OwnThread.run { [tokenEndpoint] in
            try Self.curl(["url = \(Self.quoted(tokenEndpoint))", "user = \(Self.quoted(client.id + ":" + secret))",
                           "data = \(Self.quoted(form))"])
        }
        return TokenResponse(status: answer.status, body: answer.body)
    }

    /// The public JWK Set the OIDC plugin serves at `<issuer>/jwks`.
    package func publicJWKS() async throws -> String {
        let answer = try await get(issuer + "/jwks")
        guard answer.status == 200 else { throw Failure(description: "\(issuer)/jwks answered \(answer.status): \(answer.body.prefix(200))") }
        return answer.body
    }

    /// A plain GET of one of the instance's URLs.
    package func get(_ url: String) async throws -> (status: Int, body: String) {
        try await OwnThread.run { try Self.curl(["url = \(Self.quoted(url))"]) }
    }

    // MARK: - Setting up

    private static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("IdP/glewlwyd.sh").path
    }

    private static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The key each algorithm signs with, made by rnbyc with kids of its own choosing.
    private static func generateKeys(in directory: String) throws -> (jwks: String, kids: [String: String]) {
        let generator = ["RS256": "RSA2048", "ES256": "EC256", "PS256": "RSA2048", "EdDSA": "Ed25519"]
        let file = directory + "/private.jwks"
        var arguments = ["-j"]
        for algorithm in algorithms { arguments += ["-g", generator[algorithm] ?? "", "-a", algorithm] }
        arguments += ["-o", file, "-p", "/dev/null", "-n", "0"]
        let result = try Subprocess.runBlocking(executable("rnbyc") ?? "rnbyc", arguments, timeout: 60)
        guard result.status == 0, let jwks = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw Failure(description: "rnbyc could not make the signing keys: \(result)")
        }
        let keys = (try? JSONSerialization.jsonObject(with: Data(jwks.utf8)) as? [String: Any])?["keys"] as? [[String: Any]] ?? []
        var kids: [String: String] = [:]
        for key in keys { if let alg = key["alg"] as? String, let kid = key["kid"] as? String { kids[alg] = kid } }
        guard algorithms.allSatisfy({ kids[$0] != nil }) else { throw Failure(description: "rnbyc made keys without alg or kid: \(kids)") }
        return (jwks, kids)
    }

    /// Logs in as the init SQL's admin and sets up scope, client module, OIDC plugin and clients.
    private static func configure(baseURL: String, directory: String, jwks: String, kids: [String: String]) throws -> [Client] {
        let api = baseURL + "/api"
        let admin = Admin(api: api, directory: directory)
        try admin.call("POST", "/auth/", ["username": "admin", "password": "password"])
        try admin.call("POST", "/scope/", ["name": scope, "display_name": scope, "description": "the tests' scope",
                                           "password_required": false, "scheme": [String: Any]()])
        // `sign_kid` is not among the packaged client module's properties: added, it is stored only after a reset.
        var module = try admin.object("/mod/client/database")
        var parameters = module["parameters"] as? [String: Any] ?? [:]
        var format = parameters["data-format"] as? [String: Any] ?? [:]
        format["sign_kid"] = ["multiple": false, "read": true, "write": true]
        parameters["data-format"] = format
        module["parameters"] = parameters
        try admin.call("PUT", "/mod/client/database", module)
        try admin.call("PUT", "/mod/client/database/reset", nil)
        let defaultKid = kids[algorithms[0]] ?? ""
        try admin.call("POST", "/mod/plugin/", [
            "module": "oidc", "name": "oidc", "display_name": "OIDC", "enabled": true,
            "parameters": [
                "iss": baseURL + "/api/oidc", "jwks-private": jwks, "default-kid": defaultKid,
                "client-sign_kid-parameter": "sign_kid", "access-token-duration": 3600, "refresh-token-duration": 1_209_600,
                "code-duration": 600, "allow-non-oidc": true, "auth-type-client-enabled": true, "auth-type-code-enabled": true,
                "auth-type-refresh-enabled": true, "auth-type-password-enabled": false,
                // RFC 7662 and RFC 7009 (Glewlwyd+Introspection.swift): a client introspects and revokes its own tokens.
                "introspection-revocation-allowed": true, "introspection-revocation-auth-scope": [String](),
                "introspection-revocation-allow-target-client": true,
                // RFC 9449 (Glewlwyd+DPoP.swift): a client that sends a DPoP proof gets a DPoP-bound token.
                "oauth-dpop-allowed": true, "oauth-dpop-iat-duration": 60,
            ] as [String: Any],
        ])
        var clients: [Client] = []
        for algorithm in algorithms {
            let id = "client-\(algorithm.lowercased())"
            let secret = UUID().uuidString + UUID().uuidString
            let secretFile = directory + "/\(id).secret"
            guard FileManager.default.createFile(atPath: secretFile, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw Failure(description: "could not write \(secretFile)")
            }
            var body: [String: Any] = [
                "client_id": id, "name": id, "enabled": true, "confidential": true, "client_secret": secret,
                "authorization_type": ["client_credentials"], "scope": [scope], "redirect_uri": [String](),
                // Without it glewlwyd refuses the confidential client with an empty 403.
                "token_endpoint_auth_method": ["client_secret_basic", "client_secret_post"],
            ]
            if algorithm != algorithms[0] { body["sign_kid"] = kids[algorithm] }
            try admin.call("POST", "/client/", body)
            clients.append(Client(id: id, algorithm: algorithm, kid: kids[algorithm] ?? "", secretFile: secretFile))
        }
        return clients
    }

    /// The admin REST API, with the session cookie kept in the instance's directory.
    private struct Admin {
        let api: String
        let directory: String

        @discardableResult
        func call(_ method: String, _ path: String, _ body: [String: Any]?) throws -> String {
            var config = ["url = \(Glewlwyd.quoted(api + path))", "request = \(Glewlwyd.quoted(method))",
                          "cookie = \(Glewlwyd.quoted(directory + "/cookies"))", "cookie-jar = \(Glewlwyd.quoted(directory + "/cookies"))"]
            if let body {
                let file = directory + "/request.json"
                try JSONSerialization.data(withJSONObject: body).write(to: URL(fileURLWithPath: file))
                config += ["header = \"Content-Type: application/json\"", "data-binary = \(Glewlwyd.quoted("@" + file))"]
            }
            let answer = try Glewlwyd.curl(config)
            guard answer.status == 200 else {
                throw Failure(description: "glewlwyd admin \(method) \(path) answered \(answer.status): \(answer.body.prefix(500))")
            }
            return answer.body
        }

        func object(_ path: String) throws -> [String: Any] {
            let text = try call("GET", path, nil)
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw Failure(description: "glewlwyd admin GET \(path) answered no JSON object: \(text.prefix(200))")
            }
            return object
        }
    }

    /// Runs curl with `config` (curl's config file syntax) on standard input; returns the status and body.
    private static func curl(_ config: [String]) throws -> (status: Int, body: String) {
        let marker = "\nHTTP-STATUS:"
        // curl's config syntax turns the \n escape into the line break that starts the marker.
        let lines = config + ["silent", "show-error", "max-time = 30", #"write-out = "\nHTTP-STATUS:%{http_code}""#]
        let result = try Subprocess.runBlocking(executable("curl") ?? "curl", ["--config", "-"],
                                                input: Array(lines.joined(separator: "\n").utf8), timeout: 60)
        let output = result.output
        guard result.status == 0, let range = output.range(of: marker, options: .backwards),
              let status = Int(output[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw Failure(description: "curl failed: \(result.ending) \(result.errorOutput.prefix(500))") }
        return (status, String(output[..<range.lowerBound]))
    }

    /// A value in curl's config syntax: double quotes, with backslash and quote escaped.
    private static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
