import Foundation
import LayabAuth
import Testing

/// Step-up authentication (RFC 9470) in the real inspector in a real terminal (tmux): `--acr` and `--max-age`
/// are checked beside the scopes, and the server's answer is the 401 a resource server sends.
@Suite("Step-up requirement in a terminal (RFC 9470)", .serialized)
struct StepUpTerminalTests {
    @Test("--acr and --max-age: the token's acr and the age of its auth_time are shown, and the server answers 401 with acr_values")
    func stepUp() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let (session, scratch) = try HintsTerminalTests.session(
            claims: ["sub": "erin", "acr": "urn:example:pwd", "auth_time": .integer(now - 7200)],
            arguments: ["--acr", "urn:example:mfa", "--max-age", "10m"])
        defer { session.close(); _ = scratch }
        let screen = try await session.waitFor("Step-up", "401 Unauthorized")
        let flat = HintsTerminalTests.verificationPanel(screen)
        for fragment in ["required: acr one of [urn:example:mfa], max_age 600 s",
                         "acr \"urn:example:pwd\" is not one of \"urn:example:mfa\"",
                         "error=\"insufficient_user_authentication\"",
                         "acr_values=\"urn:example:mfa\""] {
            #expect(flat.contains(fragment), "\(fragment) in:\n\(screen)")
        }
        // 2h, and the minutes a loaded machine took to start the inspector since the token was made.
        #expect(flat.contains(/authenticated 2h( [0-9]+m)? ago, more than max_age 600 s/), "auth_time in:\n\(screen)")
        _ = try await session.quit()
    }
}
