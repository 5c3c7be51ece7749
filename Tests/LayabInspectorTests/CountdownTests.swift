import LayabAuth
import LayabInspector
import Testing

/// The expiry countdown and the time-dependent checks, rendered at chosen instants of a fixed clock.
@Suite("Expiry countdown")
struct CountdownTests {
    struct Moment: Sendable, CustomTestStringConvertible {
        /// Seconds after ``fixedNow``.
        let offset: Double
        let text: String
        let role: Role
        var testDescription: String { "+\(Int(offset))s: \(text)" }
    }

    // The demo's first sample was issued a minute before fixedNow and lives one hour: exp = fixedNow + 3540.
    static let moments = [
        Moment(offset: 0, text: "expires in 59m", role: .ok),
        Moment(offset: 2540, text: "expires in 16m 40s", role: .ok),
        // The last tenth of the lifetime (6 minutes of an hour) warns.
        Moment(offset: 3288, text: "expires in 4m 12s", role: .warning),
        Moment(offset: 3530, text: "expires in 10s", role: .warning),
        // Within the default 30 s leeway a server still accepts it.
        Moment(offset: 3552, text: "expired 12s ago, accepted within the leeway", role: .warning),
        Moment(offset: 3580, text: "expired 40s ago", role: .error),
        Moment(offset: 3540 + 3 * 3600, text: "expired 3h ago", role: .error),
    ]

    @Test("the countdown's text and colour at a given time", arguments: moments)
    func countdown(_ moment: Moment) throws {
        let screen = try demoState().screen(at: moment.offset)
        let row = screen.row(containing: "Expiry ")
        #expect(row?.contains("Expiry     \(moment.text)") == true, "\(row ?? screen.dump)")
        #expect(screen.role(of: moment.text, inRowContaining: "Expiry ") == moment.role)
    }

    @Test("a token expiring within two minutes warns even when it is young")
    func shortLived() throws {
        let issuer = try TestIssuer()
        let state = issuer.state(showing: try issuer.token(issuedAt: 0, expiresAt: 300))
        #expect(state.screen(at: 150).role(of: "expires in 2m 30s") == .ok)
        #expect(state.screen(at: 190).role(of: "expires in 1m 50s") == .warning)
    }

    @Test("the lifetime bar fills with the time used")
    func lifetimeBar() throws {
        let state = try demoState()
        // Half of the hour: 1800 s after iat (fixedNow - 60).
        let half = state.screen(at: 1740)
        let bar = try #require(half.row(containing: "50%"))
        #expect(bar.filter { $0 == "█" }.count == bar.filter { $0 == "░" }.count, "\(bar)")
        #expect(half.role(of: "█") == .ok)
        #expect(state.screen(at: 3300).role(of: "█") == .warning)
        let after = state.screen(at: 4000)
        #expect(after.row(containing: "100%") != nil)
        #expect(after.role(of: "█") == .error)
        #expect(!after.contains("░"))
    }

    @Test("exp flips from accepted to rejected when the leeway runs out, with no input")
    func expiryFlips() throws {
        let state = try demoState()
        // Expired 29 s ago: still inside the 30 s leeway.
        let before = state.screen(at: 3540 + 29)
        #expect(before.check("exp")?.contains("exp  ok   expired 29s ago, within the leeway") == true, "\(before.dump)")
        #expect(before.contains("Server     200 OK"))
        #expect(before.contains("Signature  VALID"))

        let after = state.screen(at: 3540 + 31)
        let expRow = try #require(after.row(containing: "exp  "))
        #expect(expRow.contains("exp  FAIL expired: the token expired 31s ago (exp 2027-01-15T08:59:00Z)"), "\(expRow)")
        #expect(after.role(of: "FAIL", inRowContaining: "exp  ") == .error)
        #expect(after.contains("Server     401 Unauthorized"))
        #expect(after.wwwAuthenticate == #"Bearer error="invalid_token", error_description="the token expired 31s ago (exp 2027-01-15T08:59:00Z)""#)
        // The signature does not depend on time.
        #expect(after.contains("Signature  VALID"))
    }

    @Test("a token that is not valid yet counts down to nbf, then to exp")
    func notBefore() throws {
        let issuer = try TestIssuer()
        let state = issuer.state(showing: try issuer.token(issuedAt: 0, notBefore: 200, expiresAt: 3600))

        let now = state.screen(at: 0)
        #expect(now.contains("Expiry     valid in 3m 20s (not yet)"), "\(now.dump)")
        #expect(now.role(of: "valid in 3m 20s (not yet)") == .warning)
        #expect(now.check("nbf")?.contains("nbf  FAIL not_yet_valid: the token is not valid for another 3m 20s") == true)
        #expect(now.contains("Server     401 Unauthorized"))

        #expect(state.screen(at: 100).contains("Expiry     valid in 1m 40s (not yet)"))

        // Within the leeway the check passes, and the countdown and the check both say so.
        let almost = state.screen(at: 175)
        #expect(almost.contains("Expiry     valid in 25s, accepted within the leeway"), "\(almost.dump)")
        #expect(almost.check("nbf")?.contains("nbf  ok   valid in 25s, accepted within the leeway") == true, "\(almost.dump)")
        #expect(almost.contains("Server     200 OK"))
        #expect(state.screen(at: 201).check("nbf")?.contains("nbf  ok   valid since 2027-01-15T08:03:20Z") == true)

        let valid = state.screen(at: 200)
        #expect(valid.contains("Expiry     expires in 56m 40s"))
        #expect(valid.role(of: "expires in 56m 40s") == .ok)
    }

    @Test("a token without exp, which a server refuses (exp is required by default), is not said to never expire")
    func noExpiry() throws {
        let issuer = try TestIssuer()
        let screen = issuer.state(showing: try issuer.token(expiresAt: nil)).screen()
        #expect(screen.contains("Expiry     no exp (required)"))
        #expect(!screen.contains("never expires"))
        #expect(screen.role(of: "no exp") == .error)
        #expect(screen.check("exp")?.contains(#"exp  FAIL missing_claim: the required claim "exp" is missing"#) == true, "\(screen.dump)")
        #expect(screen.wwwAuthenticate == #"Bearer error="invalid_token", error_description="the required claim 'exp' is missing""#)
    }

    @Test("the claims table shows exp relative to the clock")
    func claimsRelativeTime() throws {
        let state = try demoState()
        #expect(state.screen(at: 0).contains("2027-01-15T08:59:00Z  in 59m"))
        #expect(state.screen(at: 3600).contains("2027-01-15T08:59:00Z  1m ago"))
        // At 80 columns the relative time takes a line of its own instead of being cut.
        let narrow = state.screen(at: 1, width: 80, height: 24)
        #expect(narrow.contains("in 58m 59s"), "\(narrow.dump)")
    }
}
