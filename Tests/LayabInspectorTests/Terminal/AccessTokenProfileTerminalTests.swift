import Foundation
import LayabAuth
import Testing

/// Issue 16 §1 in a real terminal (tmux): the verification panel says, for every token, whether it satisfies
/// RFC 9068, and `--access-token-profile` makes the typ a check a server answers by.
@Suite("The RFC 9068 access-token profile, in a terminal", .serialized)
struct AccessTokenProfileTerminalTests {
    typealias Issuer = InspectorTerminalTests.Issuer

    @Test("a typ JWT token: the panel names why it is no RFC 9068 access token; with --access-token-profile it fails typ and the server answers 401")
    func profile() async throws {
        let issuer = try Issuer(kid: "profile-rsa")
        let token = try issuer.token()

        let plain = try TmuxSession([token, "--key", issuer.pemPath], width: 140, height: 40)
        defer { plain.close() }
        let screen = try await plain.waitFor("Signature  VALID", "Server     200 OK", "RFC 9068 access token: no")
        // The line wraps in the panel, 61 columns wide at 140.
        #expect(screen.contains(#"RFC 9068 access token: no (typ is "JWT", not "at+jwt"; no"#) && screen.contains("client_id; no jti)"), "\(screen)")
        #expect(!screen.contains("typ  "), "no typ check unless one is required: \(screen)")
        _ = try await plain.quit()

        let required = try TmuxSession([token, "--key", issuer.pemPath, "--access-token-profile"], width: 140, height: 40)
        defer { required.close() }
        let refused = try await required.waitFor("Signature  VALID", "Server     401 Unauthorized", "typ  FAIL wrong_token_type", "RFC 9068 access token: no")
        #expect(refused.contains(#"FAIL missing_claim: the required claim "client_id" is"#), "\(refused)")
        _ = try await required.quit()
    }
}
