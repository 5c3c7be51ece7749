import Foundation
import LayabAuth

/// An identity provider for tests: generates keys, mints tokens with any claims, headers and lifetimes
/// (and deliberately broken ones), exposes its JWKS, and can serve it over HTTP on 127.0.0.1.
///
/// ```swift
/// let issuer = try TestIssuer()
/// let server = try issuer.serve()                       // JWKS at server.url("/jwks.json")
/// let token = try issuer.token(claims: ["sub": "alice", "scope": "read"])
/// ```
public final class TestIssuer: Sendable {
    public let name: String
    public let keys: [SigningKey]

    /// - Parameters:
    ///   - name: the `iss` of minted tokens and of the discovery document.
    ///   - algorithms: one key per algorithm, with kids `test-<alg>` (RS256, ES256 and EdDSA by default).
    public init(name: String = "https://issuer.test", algorithms: [Algorithm] = [.rs256, .es256, .eddsa]) throws {
        self.name = name
        var keys: [SigningKey] = []
        for algorithm in algorithms {
            keys.append(try SigningKey.generate(algorithm, kid: "test-\(algorithm.rawValue.lowercased())"))
        }
        self.keys = keys
    }

    /// The public key set.
    public var keySet: KeySet { KeySet(keys: keys.filter { $0.algorithm.family != .hmac }.map(\.verificationKey)) }

    /// The JWK Set document.
    public var jwks: String { keySet.publicJWKS.jsonText }

    public func key(_ algorithm: Algorithm) -> SigningKey? { keys.first { $0.algorithm == algorithm } }

    /// Mints a token: `iss`, `iat` and `exp` (now + `lifetime`) are added unless `claims` sets them.
    public func token(claims: JSONObject = [:], lifetime: Double = 3600, algorithm: Algorithm? = nil, header: JSONObject = [:],
                      now: Double = SystemClock.now()) throws -> String
    {
        let key = algorithm.flatMap(self.key) ?? keys[0]
        var body: JSONObject = ["iss": .string(name), "iat": .integer(Int64(now)), "exp": .integer(Int64(now + lifetime))]
        for member in claims { body[member.name] = member.value }
        return try key.sign(claims: body, extraHeader: header)
    }

    /// Ways to break a token, for negative tests.
    public enum Forgery: Sendable, CaseIterable {
        case tamperedSignature, tamperedPayload, algNone, unknownKid, foreignKey, expired
    }

    public func forged(_ forgery: Forgery, claims: JSONObject = [:], now: Double = SystemClock.now()) throws -> String {
        switch forgery {
        case .tamperedSignature:
            let token = try self.token(claims: claims, now: now)
            let parts = token.split(separator: ".").map(String.init)
            var signature = try Base64URL.decode(parts[2])
            signature[signature.count / 2] ^= 0x01
            return parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)
        case .tamperedPayload:
            let token = try self.token(claims: claims, now: now)
            let parts = token.split(separator: ".").map(String.init)
            var body = claims
            body["sub"] = "mallory"
            body["exp"] = .integer(Int64(now + 3600))
            return parts[0] + "." + Base64URL.encode(Array(JSONValue.object(body).jsonText.utf8)) + "." + parts[2]
        case .algNone:
            var body: JSONObject = ["iss": .string(name), "exp": .integer(Int64(now + 3600))]
            for member in claims { body[member.name] = member.value }
            return Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(Array(JSONValue.object(body).jsonText.utf8)) + "."
        case .unknownKid:
            return try token(claims: claims, header: ["kid": "no-such-key"], now: now)
        case .foreignKey:
            let stranger = try SigningKey.generate(keys[0].algorithm, kid: keys[0].kid)
            var body: JSONObject = ["iss": .string(name), "exp": .integer(Int64(now + 3600))]
            for member in claims { body[member.name] = member.value }
            return try stranger.sign(claims: body)
        case .expired:
            return try token(claims: claims, lifetime: -120, now: now)
        }
    }

    /// Serves the JWKS at `/jwks.json` and an OpenID Connect discovery document at
    /// `/.well-known/openid-configuration` (its `issuer` is the server's base URL).
    public func serve() throws -> TestHTTPServer {
        let jwks = self.jwks
        let port = PortHolder()
        let server = try TestHTTPServer { request in
            switch request.path {
            case "/jwks.json": return .json(jwks, headers: [("Cache-Control", "max-age=300")])
            case "/.well-known/openid-configuration":
                let base = "http://127.0.0.1:\(port.value)"
                return .json(#"{"issuer":"\#(base)","jwks_uri":"\#(base)/jwks.json"}"#)
            default: return TestHTTPServer.Response(status: 404)
            }
        }
        port.value = server.port
        return server
    }
}

/// The port of a server, known once it listens, read by its handler.
final class PortHolder: Sendable {
    private let storage = Locked(0)
    var value: Int {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

