import Foundation
import LayabAuth
import Testing

/// Issue 15, what if: claims edited and re-signed with a LOCAL key, undo, token history and comparison,
/// with the real binary in a real terminal (tmux).
@Suite("What-if editing and token history in a terminal (issue 15)", .serialized)
struct WhatIfTerminalTests {
    /// A provider key in a PEM file, a token it verifies, and the inspector on both.
    struct Setup {
        let scratch: Scratch
        let token: String
        let session: TmuxSession

        init(scope: String = "read", extraArguments: [String] = []) async throws {
            scratch = try Scratch()
            let key = try SigningKey.generate(.es256, kid: "provider-1")
            let now = Int64(Date().timeIntervalSince1970)
            token = try key.sign(claims: ["iss": "https://issuer.whatif", "sub": "dora", "exp": .integer(now + 3600), "scope": .string(scope)])
            let pem = try scratch.write("provider.pem", try #require(key.verificationKey.pem))
            session = try TmuxSession(["inspect", "--key", pem] + extraArguments + [token], width: 140, height: 40)
            try await session.waitFor("VALID")
        }

        /// Opens the claims editor (E), replaces its text with `json` and presses Enter.
        func editClaims(_ json: String) throws {
            try session.press("E")
            try session.press("C-u")
            try session.paste(json)
            try session.press("Enter")
        }
    }

    @Test("E re-signs the edited claims with a generated LOCAL key: marked on the title, the signature line and in the key browser; u undoes")
    func editAndUndo() async throws {
        let setup = try await Setup()
        defer { setup.session.close() }
        try setup.editClaims(#"{"iss":"https://issuer.whatif","sub":"dora","scope":"read admin"}"#)
        let screen = try await setup.session.waitFor("LOCAL TOKEN", "this token was made locally", "LOCAL key (made in this inspector)")
        #expect(screen.contains("read admin"), "\(screen)")
        #expect(screen.contains("VALID"), "\(screen)")
        try setup.session.press("Tab")
        let keys = try await setup.session.waitFor("Keys (1 + 1 LOCAL)")
        #expect(keys.contains("LOCAL \"local-ES256-"), "\(keys)")
        #expect(keys.contains("▶ (no kid)  EC P-256"), "\(keys)")
        try setup.session.press("Tab")
        try setup.session.press("u")
        let back = try await setup.session.waitFor("back to the original token")
        #expect(!back.contains("LOCAL TOKEN"), "\(back)")
        #expect(!back.contains("made locally"), "\(back)")
        _ = try await setup.session.quit()
    }

    @Test("invalid claims JSON is refused with the parser's reason and stays in the editor")
    func invalidJSON() async throws {
        let setup = try await Setup()
        defer { setup.session.close() }
        try setup.editClaims(#"{"sub":"dora",}"#)
        let screen = try await setup.session.waitFor("invalid claims JSON:")
        #expect(screen.contains(#"What-if claims JSON (Enter re-signs with a LOCAL key): {"sub":"dora",}"#), "\(screen)")
        #expect(!screen.contains("LOCAL TOKEN"), "\(screen)")
        try setup.session.press("Escape")
        _ = try await setup.session.quit()
    }

    @Test("--signing-key signs what-if edits with the key given, whose public key is trusted as LOCAL")
    func givenSigningKey() async throws {
        let scratch = try Scratch()
        let signing = try SigningKey.generate(.ed25519)
        let path = try scratch.write("what-if.pem", try #require(signing.privateKeyPEM))
        let setup = try await Setup(extraArguments: ["--signing-key", path])
        defer { setup.session.close() }
        try setup.editClaims(#"{"sub":"erin"}"#)
        let screen = try await setup.session.waitFor("LOCAL key (made in this inspector)", "EdDSA")
        #expect(screen.contains("VALID"), "\(screen)")
        _ = try await setup.session.quit()
    }

    @Test("[ and ] step through the tokens seen; D lists what changed between the shown one and an earlier one")
    func historyAndComparison() async throws {
        let setup = try await Setup(scope: "read")
        defer { setup.session.close() }
        try setup.editClaims(#"{"iss":"https://issuer.whatif","sub":"dora","scope":"admin","role":"ops"}"#)
        try await setup.session.waitFor("LOCAL TOKEN")
        try setup.session.press("D")
        let comparison = try await setup.session.waitFor("Compare: what changed since the earlier token")
        #expect(comparison.contains("earlier  token 1 of 2 (given at start)"), "\(comparison)")
        #expect(comparison.contains("shown    token 2 of 2 (made locally)"), "\(comparison)")
        #expect(comparison.contains(#"~ changed  claims scope: "read" → "admin""#), "\(comparison)")
        #expect(comparison.contains(#"+ added    claims role: "ops""#), "\(comparison)")
        #expect(comparison.contains("- removed  claims exp: "), "\(comparison)")
        #expect(comparison.contains("~ changed  header alg") == false, "\(comparison)")
        // D closes the comparison (a quick Esc then [ would reach the inspector as one escape sequence).
        try setup.session.press("D")
        _ = try await setup.session.waitUntil("the comparison closed") { !$0.contains("Compare: what changed") }
        try setup.session.press("[")
        let first = try await setup.session.waitFor(" token 1 of 2 (given at start)")
        #expect(!first.contains("LOCAL TOKEN"), "\(first)")
        try setup.session.press("]")
        try await setup.session.waitFor("token 2 of 2 (made locally)", "LOCAL TOKEN")
        _ = try await setup.session.quit()
    }
}
