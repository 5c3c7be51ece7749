import LayabAuth
import LayabAuthJWKS

/// The built-in demo: an in-memory issuer with RSA, EC and Ed25519 keys and sample tokens that show
/// every verdict the inspector can give. Nothing touches the network.
package enum DemoIssuer {
    package static let issuer = "https://demo.layabauth.invalid"
    package static let audience = "demo-api"
    package static let requiredScopes = ["read", "write"]

    /// A state holding the demo's keys, requirements and samples, showing the first sample. Samples are
    /// signed again against `clock` each time one is shown, so that "expiring within two minutes" still
    /// is, however long the demo has been open.
    package static func state(now: Double, clock: @escaping @Sendable () -> Double) throws(LayabAuthError) -> InspectorState {
        let rsa = try SigningKey.generate(.rs256, kid: "demo-rsa")
        let ec = try SigningKey.generate(.es256, kid: "demo-ec")
        let ed = try SigningKey.generate(.eddsa, kid: "demo-ed25519")
        let outsider = try SigningKey.generate(.es256, kid: "rotated-out")

        @Sendable func claims(_ now: Double, lifetime: Double, age: Double = 60, scope: String = "read write") -> JSONObject {
            [
                "iss": .string(issuer), "sub": "alice@example.com", "aud": .string(audience),
                "iat": .integer(Int64(now - age)), "exp": .integer(Int64(now - age + lifetime)),
                "scope": .string(scope), "name": "Alice Example", "jti": .string("demo-\(Int64(now))"),
            ]
        }
        let samples = try [
            DemoSample(name: "valid (RS256)", now: now) { now throws(LayabAuthError) in try rsa.sign(claims: claims(now, lifetime: 3600)) },
            DemoSample(name: "expiring within two minutes (ES256)", now: now) { now throws(LayabAuthError) in try ec.sign(claims: claims(now, lifetime: 160)) },
            DemoSample(name: "expired (EdDSA)", now: now) { now throws(LayabAuthError) in try ed.sign(claims: claims(now, lifetime: 600, age: 900)) },
            DemoSample(name: "tampered signature", now: now) { now throws(LayabAuthError) in tampered(try rsa.sign(claims: claims(now, lifetime: 3600))) },
            DemoSample(name: "missing the required scope \"write\"", now: now) { now throws(LayabAuthError) in
                try rsa.sign(claims: claims(now, lifetime: 3600, scope: "read"))
            },
            DemoSample(name: "unknown kid", now: now) { now throws(LayabAuthError) in try outsider.sign(claims: claims(now, lifetime: 3600)) },
            DemoSample(name: "alg: none", now: now) { now in unsecured(claims(now, lifetime: 3600)) },
        ]
        var state = InspectorState()
        state.keys = KeySet(keys: [rsa.verificationKey, ec.verificationKey, ed.verificationKey])
        state.keySourceDescription = InspectorState.demoKeysDescription
        state.keySourceStatus = KeySourceStatus(location: "demo issuer (in memory)", lastFetch: now, fetchCount: 1,
                                                keys: state.keys)
        state.issuer = issuer
        state.audiences = [audience]
        state.requiredScopes = requiredScopes
        state.samples = samples
        state.demoClock = clock
        state.selectSample(0)
        return state
    }

    /// The token with the last signature byte changed (still canonical base64url).
    static func tampered(_ token: String) -> String {
        guard let dot = token.lastIndex(of: "."), var signature = try? Base64URL.decode(String(token[token.index(after: dot)...])),
              !signature.isEmpty else { return token }
        signature[signature.count - 1] ^= 0x55
        return String(token[...dot]) + Base64URL.encode(signature)
    }

    /// An unsecured JWT (`alg: none`), which must always be refused.
    static func unsecured(_ claims: JSONObject) -> String {
        Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(Array(JSONValue.object(claims).jsonText.utf8)) + "."
    }
}
