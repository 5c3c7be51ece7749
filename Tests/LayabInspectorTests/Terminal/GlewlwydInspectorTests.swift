import Foundation
import TestSupport
import Testing

/// The inspector fetching its token from real identity provider software: glewlwyd on 127.0.0.1
/// (Tests/IdP/glewlwyd.sh), its endpoints and keys found by discovery from the issuer alone.
@Suite("The inspector fetching from glewlwyd, in a terminal", .serialized,
       .enabled(if: Glewlwyd.unavailableReason == nil, "glewlwyd is not installed and apt could not install it (make idp)"))
struct GlewlwydInspectorTests {
    @Test("inspect --issuer --client-id fetches a token from glewlwyd, verifies it by discovery and shows the token response")
    func fetchFromGlewlwyd() async throws {
        let idp = try await Glewlwyd.start()
        defer { idp.stop() }
        let client = try idp.client("PS256")
        let session = try TmuxSession(["inspect", "--issuer", idp.issuer, "--client-id", client.id, "--client-secret-file", client.secretFile,
                                       "--scope", Glewlwyd.scope], width: 160, height: 50)
        defer { session.close() }
        let screen = try await session.waitFor("token 1 fetched", "Signature  VALID", timeout: 60)
        #expect(screen.contains("PS256"), "\(screen)")
        #expect(screen.contains(Glewlwyd.scope), "\(screen)")
        let secret = try String(contentsOfFile: client.secretFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!screen.contains(secret), "the secret is never shown")
        try session.press("F")
        try await session.waitFor("token 2 fetched", "Signature  VALID", timeout: 60)
        _ = try await session.quit()
    }
}
