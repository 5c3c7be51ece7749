import Foundation
import LayabAuth
import Testing

/// Issue 13 in the real inspector, in a real terminal (tmux): what a person who brings jwt.io's sample token,
/// its 19-byte secret and a wrapped copy of the token sees.
@Suite("Debugger explanations in a terminal (issue 13)", .serialized)
struct DebuggerTerminalTests {
    @Test("a wrapped jwt.io token and its 19-byte secret: the Input line, weak_key, and a server's 401 that does not mention it")
    func weakSecretAndWrappedToken() async throws {
        let scratch = try Scratch()
        let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
            + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        let cut = token.index(token.startIndex, offsetBy: 76)
        let wrapped = try scratch.write("token.txt", token[..<cut] + "\n" + token[cut...] + "\n")
        let secret = try scratch.write("secret.txt", "your-256-bit-secret\n")
        let session = try TmuxSession(["inspect", "@" + wrapped, "--secret-file", secret], width: 160, height: 40)
        defer { session.close() }
        let screen = try await session.waitFor("Input      removed 1 whitespace character (a line break inside the",
                                               "Signature  INVALID", "weak_key: the HS256 signature matches this 19-byte secret",
                                               "Server     401 Unauthorized", "1 refused as weak")
        let challenge = try #require(screen.line(containing: "WWW-Authenticate"), "\(screen)")
        #expect(!challenge.contains("weak"), "\(challenge)")
        _ = try await session.quit()
    }
}
