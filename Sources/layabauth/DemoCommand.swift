import ArgumentParser
import LayabAuth

/// The built-in demo: an in-memory issuer mints sample tokens and the verifier judges each one.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Verify the built-in sample tokens of an in-memory issuer (no network needed)."
    )

    func run() throws {
        let now = SystemClock.now()
        let rsa = try SigningKey.generate(.rs256, kid: "demo-rsa")
        let ec = try SigningKey.generate(.es256, kid: "demo-ec")
        let ed = try SigningKey.generate(.eddsa, kid: "demo-ed25519")
        let issuer = "https://demo.layabauth.invalid"
        let keys = KeySet(keys: [rsa.verificationKey, ec.verificationKey, ed.verificationKey])
        let verifier = Verifier(keys: keys, configuration: VerifierConfiguration(issuers: [issuer], audiences: ["demo-api"]))
        func claims(lifetime: Double, scope: String) -> JSONObject {
            ["iss": .string(issuer), "sub": "alice", "aud": "demo-api", "scope": .string(scope),
             "iat": .integer(Int64(now)), "exp": .integer(Int64(now + lifetime))]
        }
        let stranger = try SigningKey.generate(.rs256, kid: "unknown-kid")
        let valid = try rsa.sign(claims: claims(lifetime: 3600, scope: "read write"))
        // Change the first character of the signature: it carries six signature bits, so the token still
        // decodes and only the signature check refuses it. The last character may carry unused bits, and
        // changing those makes the token malformed instead.
        var segments = valid.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let first = segments[2].removeFirst()
        segments[2] = (first == "A" ? "B" : "A") + segments[2]
        let tampered = segments.joined(separator: ".")
        let samples: [(String, String)] = [
            ("valid (RS256)", valid),
            ("expiring within two minutes (ES256)", try ec.sign(claims: claims(lifetime: 90, scope: "read write"))),
            ("expired (EdDSA)", try ed.sign(claims: claims(lifetime: -300, scope: "read write"))),
            ("tampered signature", tampered),
            ("missing the required scope 'write'", try rsa.sign(claims: claims(lifetime: 3600, scope: "read"))),
            ("unknown kid", try stranger.sign(claims: claims(lifetime: 3600, scope: "read write"))),
            ("alg: none", Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)) + "." + Base64URL.encode(Array(#"{"sub":"mallory"}"#.utf8)) + "."),
        ]
        print("DEMO  issuer \(issuer), keys: \(keys.keys.map { $0.kid ?? "-" }.joined(separator: ", ")); required scopes: read, write\n")
        for (name, token) in samples {
            let report = verifier.report(token, requiring: .all("read", "write"))
            print("\(report.isValid ? "ACCEPT" : "REJECT")  \(name)")
            print("        signature \(report.signature.word)\(report.signature.key.map { " (kid \($0.kid ?? "-"))" } ?? "")")
            for error in report.errors { print("        \(error.code.rawValue): \(error.message)") }
        }
    }
}
