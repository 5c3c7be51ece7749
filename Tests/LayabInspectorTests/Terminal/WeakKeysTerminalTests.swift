import Foundation
import LayabAuth
import Testing

/// The keys refused as weak in the real key browser, in a real terminal (tmux): what a person who brings a
/// token with jwt.io's 19-byte secret, or with an old 1024-bit RSA key, sees after pressing Tab.
@Suite("Weak keys in the key browser, in a terminal", .serialized)
struct WeakKeysTerminalTests {
    @Test("--secret-file of 19 bytes: listed under Refused as weak, with its rule, and marked as the key the signature matches")
    func weakSecret() async throws {
        let scratch = try Scratch()
        let secret = try scratch.write("secret.txt", "your-256-bit-secret\n")
        let session = try TmuxSession(["inspect", "--secret-file", secret, DebuggerPanelTests.jwtIOToken], width: 160, height: 40)
        defer { session.close() }
        try await session.waitFor("weak_key: the HS256 signature matches this 19-byte secret")
        try session.press("Tab")
        let screen = try await session.waitFor("Refused as weak (1)", "refused: RFC 7518 §3.2 requires at least 32 bytes for HS256")
        #expect(screen.line(containing: "◀ signature matches (refused)")?.contains("(no kid)  oct, 19-byte secret") == true, "\(screen)")
        #expect(screen.contains("Keys (0)"), "\(screen)")
        _ = try await session.quit()
    }

    @Test("--key with a 1024-bit RSA PEM: listed under Refused as weak with RFC 7518 §3.3, and marked for its token")
    func weakRSAKey() async throws {
        let scratch = try Scratch()
        let signer = try SigningKey.generate(.rs256, rsaBits: 1024)
        let pem = try scratch.write("old.pem", try #require(signer.verificationKey.pem))
        let token = try signer.sign(claims: ["sub": "bob"])
        let session = try TmuxSession(["inspect", "--key", pem, token], width: 160, height: 40)
        defer { session.close() }
        try await session.waitFor("weak_key: the RS256 signature matches the 1024-bit RSA key")
        try session.press("Tab")
        let screen = try await session.waitFor("Refused as weak (1)", "refused: RFC 7518 §3.3 requires at least 2048 bits")
        #expect(screen.line(containing: "◀ signature matches (refused)")?.contains("(no kid)  RSA 1024 bits") == true, "\(screen)")
        _ = try await session.quit()
    }
}
