import LayabAuth

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One algorithm's key, token and verifier, shared by the LayabAuth, raw OpenSSL and jwt-kit benchmarks so
/// that all three verify the same bytes with the same key.
public struct AlgorithmFixture: Sendable {
    public let algorithm: Algorithm
    public let signingKey: SigningKey
    public let token: String
    public let verifier: Verifier
    /// The HMAC secret, for HS256 only.
    public let secret: [UInt8]?

    /// Name used in benchmark names: "RS256", "EdDSA"…
    public var name: String { algorithm.rawValue }
    public var verificationKey: VerificationKey { signingKey.verificationKey }

    /// `header.payload` as OpenSSL signs it.
    public var signingInput: [UInt8] {
        let parts = token.split(separator: ".")
        return Array("\(parts[0]).\(parts[1])".utf8)
    }

    /// The JWS signature bytes (raw r‖s for ECDSA).
    public var signature: [UInt8] {
        // Force unwrap is fine here: the token was minted a few lines above by LayabAuth itself.
        try! Base64URL.decode(String(token.split(separator: ".")[2]))
    }
}

public enum Fixtures {
    public static let issuer = "https://issuer.example"
    public static let audience = "my-api"

    /// The same claims for every algorithm: what a typical access token carries.
    static func claims(now: Double) -> JSONObject {
        [
            "iss": .string(issuer),
            "sub": "248289761001",
            "aud": .string(audience),
            "iat": .integer(Int64(now)),
            "exp": .integer(Int64(now) + 3600),
            "scope": "openid profile read:orders",
        ]
    }

    /// The algorithms compared side by side.
    public static let algorithms: [Algorithm] = [.rs256, .ps256, .es256, .es384, .eddsa, .hs256]

    public static let all: [Algorithm: AlgorithmFixture] = {
        let now = SystemClock.now()
        var fixtures: [Algorithm: AlgorithmFixture] = [:]
        for algorithm in algorithms {
            do {
                let kid = "bench-\(algorithm.rawValue.lowercased())"
                let signingKey: SigningKey
                var secret: [UInt8]?
                if algorithm == .hs256 {
                    let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
                    secret = bytes
                    signingKey = try SigningKey(hmacSecret: bytes, algorithm: algorithm, kid: kid)
                } else {
                    signingKey = try SigningKey.generate(algorithm, kid: kid)
                }
                let token = try signingKey.sign(claims: claims(now: now))
                let configuration = VerifierConfiguration(algorithms: [algorithm], issuers: [issuer], audiences: [audience])
                let verifier = try Verifier(keys: KeySet(keys: [signingKey.verificationKey]), configuration: configuration)
                // Every fixture must verify before anything is measured.
                _ = try verifier.verify(token)
                fixtures[algorithm] = AlgorithmFixture(algorithm: algorithm, signingKey: signingKey, token: token, verifier: verifier, secret: secret)
            } catch {
                fatalError("fixture for \(algorithm): \(error)")
            }
        }
        return fixtures
    }()

    public static func fixture(_ algorithm: Algorithm) -> AlgorithmFixture {
        guard let fixture = all[algorithm] else { fatalError("no fixture for \(algorithm)") }
        return fixture
    }

    /// A JWK Set as an identity provider publishes it: the public keys of every asymmetric fixture.
    public static let jwksJSON: String = {
        let keys = algorithms.compactMap { all[$0] }.filter { $0.algorithm != .hs256 }.map { JSONValue.object($0.verificationKey.publicJWK) }
        return JSONValue.object(["keys": .array(keys)]).jsonText
    }()

    public static let authorizationHeader = "Bearer " + fixture(.rs256).token
}
