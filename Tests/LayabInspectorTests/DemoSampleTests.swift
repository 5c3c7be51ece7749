import LayabAuth
import LayabInspector
import Testing

/// Every demo sample's verdict as the screen shows it.
@Suite("Demo samples")
struct DemoSampleTests {
    struct Verdict: Sendable, CustomTestStringConvertible {
        let sample: Int
        let name: String
        let signature: String
        let signatureRole: Role
        /// The error code and message under the signature, when it is not valid.
        let signatureError: String?
        let server: String
        let wwwAuthenticate: String?
        var testDescription: String { "sample \(sample + 1): \(name)" }
    }

    static let verdicts = [
        Verdict(sample: 0, name: "valid (RS256)", signature: "VALID", signatureRole: .ok, signatureError: nil,
                server: "200 OK", wwwAuthenticate: nil),
        Verdict(sample: 1, name: "expiring within two minutes (ES256)", signature: "VALID", signatureRole: .ok, signatureError: nil,
                server: "200 OK", wwwAuthenticate: nil),
        Verdict(sample: 2, name: "expired (EdDSA)", signature: "VALID", signatureRole: .ok, signatureError: nil,
                server: "401 Unauthorized",
                wwwAuthenticate: #"Bearer error="invalid_token", error_description="the token expired 5m ago (exp 2027-01-15T07:55:00Z)""#),
        Verdict(sample: 3, name: "tampered signature", signature: "INVALID", signatureRole: .error,
                signatureError: #"bad_signature: the RS256 signature does not match the signed content with kid "demo-rsa", RSA, 2048 bits, alg RS256"#,
                server: "401 Unauthorized",
                wwwAuthenticate: #"Bearer error="invalid_token", error_description="the RS256 signature does not match the signed content""#),
        Verdict(sample: 4, name: #"missing the required scope "write""#, signature: "VALID", signatureRole: .ok, signatureError: nil,
                server: "403 Forbidden",
                wwwAuthenticate: #"Bearer error="insufficient_scope", error_description="missing scope [write]; the token grants [read]", scope="read write""#),
        Verdict(sample: 5, name: "unknown kid", signature: "UNVERIFIED", signatureRole: .warning,
                signatureError: #"key_not_found: no key has kid "rotated-out" (known: "demo-rsa", "demo-ec", "demo-ed25519")"#,
                server: "401 Unauthorized",
                wwwAuthenticate: #"Bearer error="invalid_token", error_description="no key has kid 'rotated-out'""#),
        Verdict(sample: 6, name: "alg: none", signature: "INVALID", signatureRole: .error,
                signatureError: #"unsupported_algorithm: alg "none" (an unsecured token) is never accepted"#,
                server: "401 Unauthorized",
                wwwAuthenticate: #"Bearer error="invalid_token", error_description="alg 'none' (an unsecured token) is never accepted""#),
    ]

    @Test("the verdict on screen", arguments: verdicts)
    func verdict(_ expected: Verdict) throws {
        let screen = try demoState(sample: expected.sample).screen()
        #expect(screen.contains(" DEMO "))
        #expect(screen.row(containing: "sample \(expected.sample + 1)/7: \(expected.name)") != nil, "\(screen.dump)")
        #expect(screen.contains("Signature  \(expected.signature)"), "\(screen.dump)")
        #expect(screen.role(of: expected.signature, inRowContaining: "Signature  ") == expected.signatureRole)
        if let error = expected.signatureError {
            #expect(screen.verification("  ") == error, "\(screen.dump)")
            #expect(screen.role(of: String(error.prefix(while: { $0 != ":" })), inRowContaining: "  ") == expected.signatureRole)
        } else {
            #expect(screen.row(containing: "  key \"demo-") != nil)
        }
        #expect(screen.contains("Server     \(expected.server)"))
        #expect(screen.role(of: expected.server) == (expected.server == "200 OK" ? .ok : .error))
        #expect(screen.wwwAuthenticate == expected.wwwAuthenticate, "\(screen.dump)")
    }

    @Test("the failing check of each refused sample is marked FAIL with its code")
    func failingChecks() throws {
        let expired = try demoState(sample: 2).screen()
        #expect(expired.check("exp")?.contains("exp  FAIL expired: the token expired 5m ago") == true)
        #expect(expired.role(of: "expired 5m ago", inRowContaining: "Expiry ") == .error)

        let scope = try demoState(sample: 4).screen()
        #expect(scope.role(of: "missing", inRowContaining: "  write ") == .error)
        #expect(scope.role(of: "present", inRowContaining: "  read ") == .ok)
        #expect(scope.contains("  scope: read"))

        let none = try demoState(sample: 6).screen()
        #expect(none.role(of: "INVALID", inRowContaining: "Signature ") == .error, "\(none.dump)")
        #expect(none.contains("unsupported_algorithm: alg \"none\""), "\(none.dump)")
        // Refused, and still shown: the header that names alg none and the claims it carries.
        #expect(none.role(of: "Refused by every verifier: unsupported_algorithm", inRowContaining: "Refused by") == .error, "\(none.dump)")
        #expect(none.contains("\"alg\": \"none\""), "\(none.dump)")
        #expect(!none.contains("Nothing decoded."))

        // The other checks of a valid sample all pass.
        let valid = try demoState(sample: 0).screen()
        for claim in ["exp", "iat", "iss", "aud"] {
            #expect(valid.role(of: "ok", inRowContaining: "\(claim)  ok ") == .ok, "\(claim)")
        }
        #expect(!valid.contains("FAIL"))
    }

    @Test("samples are signed again when shown: ten minutes on, the expiring sample still expires within two minutes")
    func remintedWhenShown() throws {
        final class Clock: @unchecked Sendable { var now = fixedNow }
        let clock = Clock()
        var state = try DemoIssuer.state(now: fixedNow, clock: { clock.now })
        clock.now = fixedNow + 600
        state.selectSample(1)
        let screen = state.screen(at: 600)
        #expect(screen.contains("Expiry     expires in 1m 40s"), "\(screen.dump)")
        #expect(screen.contains("Server     200 OK"), "\(screen.dump)")
        state.selectSample(2)
        #expect(state.screen(at: 600).contains("Expiry     expired 5m ago"))
    }

    @Test("the sample expiring within two minutes warns")
    func expiringSoon() throws {
        let screen = try demoState(sample: 1).screen()
        #expect(screen.contains("Expiry     expires in 1m 40s"))
        #expect(screen.role(of: "expires in 1m 40s", inRowContaining: "Expiry ") == .warning)
    }

    @Test("n and p step through the samples and wrap around")
    func cycling() throws {
        var state = try demoState()
        var seen: [String] = []
        for _ in 0..<7 {
            seen.append(state.samples[state.sampleIndex].name)
            #expect(state.screen().contains("sample \(state.sampleIndex + 1)/7"))
            state.handle(.character("n"))
        }
        #expect(seen == Self.verdicts.map(\.name))
        #expect(state.sampleIndex == 0)
        state.handle(.character("p"))
        #expect(state.sampleIndex == 6)
        #expect(state.screen().contains("Signature  INVALID"))
        state.handle(.character("N"))
        #expect(state.sampleIndex == 5)
        #expect(state.screen().contains("Signature  UNVERIFIED"))
    }

    @Test("the demo shows its key source and needs no network")
    func keySource() throws {
        var state = try demoState()
        state.handle(.tab)
        let screen = state.screen()
        #expect(screen.contains("Source  demo issuer (in memory, no network)"))
        #expect(screen.contains("Keys (3)"))
    }
}
