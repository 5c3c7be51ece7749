import LayabAuth
import LayabConsole
import LayabInspector
import Testing

/// Issue 13 in the inspector: the verification panel explains what a server refuses without saying why a
/// person would care (weak keys, kid-less tokens, whitespace removed from a pasted token), while the
/// server's answer stays the one a server gives.
@Suite("Debugger explanations in the inspector (issue 13)")
struct DebuggerPanelTests {
    /// jwt.io's sample token, HS256 with the 19-byte secret `your-256-bit-secret`.
    static let jwtIOToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
        + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"

    @Test("weak_key: a 19-byte secret is checked and shown weak, and the server's answer does not mention it")
    func weakSecret() throws {
        var state = InspectorState()
        state.algorithms = [.hs256]
        state.weakKeys = [try #require(WeakKey.hmacSecret(Array("your-256-bit-secret".utf8)))]
        state.tokenText = Self.jwtIOToken
        let screen = state.screen()
        #expect(screen.contains("Signature  INVALID"), "\(screen.dump)")
        #expect(screen.contains("weak_key: the HS256 signature matches this 19-byte secret; refused: RFC 7518 §3.2"), "\(screen.dump)")
        #expect(screen.contains("requires at least 32 bytes for HS256"), "\(screen.dump)")
        #expect(screen.contains("Server     401 Unauthorized"), "\(screen.dump)")
        let challenge = try #require(screen.rows.first { $0.contains("WWW-Authenticate") }, "\(screen.dump)")
        #expect(!challenge.contains("weak") && !challenge.contains("19-byte"), "\(challenge)")
    }

    @Test("a token without kid that several keys fit: the hint under the signature names the key that verifies it")
    func kidlessHint() throws {
        let signers = try ["k1", "k2"].map { try SigningKey.generate(.es256, kid: $0) }
        var state = InspectorState()
        state.keys = KeySet(keys: signers.map(\.verificationKey))
        state.tokenText = try signers[1].sign(header: ["alg": "ES256"], payload: Array(#"{"sub":"bob","exp":1800003600}"#.utf8))
        let screen = state.screen()
        #expect(screen.contains("key_not_found"), "\(screen.dump)")
        #expect(screen.contains("hint  key \"k2\""), "\(screen.dump)")
    }

    @Test("whitespace removed from inside a pasted token: an Input line says how much; none for a clean token")
    func removedWhitespace() throws {
        let issuer = try TestIssuer()
        let token = try issuer.token()
        var state = issuer.state(showing: "Bearer " + token + "\n")
        #expect(!state.screen().contains("Input "), "\(state.screen().dump)")
        let cut = token.index(token.startIndex, offsetBy: 30)
        state.handle(.paste(String(token[..<cut]) + "\r\n " + String(token[cut...])))
        let screen = state.screen()
        #expect(screen.contains("Input      removed 3 whitespace characters (a line break inside the token)"), "\(screen.dump)")
        #expect(screen.contains("Signature  VALID"), "\(screen.dump)")
        #expect(state.notice?.contains("removed 3 whitespace characters") == true, "\(state.notice ?? "")")
    }
}
