import Foundation
import LayabAuth
import Testing

/// Issue 14, copy out, with the real binary in a real terminal (tmux with `set-clipboard on`, which takes
/// OSC 52 into a paste buffer as it would hand it on to the terminal outside): what lands on the clipboard
/// and in the file is the text itself, without the borders and indentation of the screen.
@Suite("Copy out in a terminal (issue 14)", .serialized)
struct CopyOutTerminalTests {
    /// A key in a PEM file, a token it verifies, and the inspector on both, with tmux taking OSC 52.
    struct Setup {
        let scratch: Scratch
        let key: SigningKey
        let token: String
        let session: TmuxSession

        init(inFolder: Bool = false) async throws {
            scratch = try Scratch()
            key = try SigningKey.generate(.es256, kid: "copy-1")
            let now = Int64(Date().timeIntervalSince1970)
            token = try key.sign(claims: ["iss": "https://issuer.copy", "sub": "dora", "exp": .integer(now + 3600),
                                          "big": .integer(9_007_199_254_740_993), "name": "Dóra Ø"])
            let pem = try scratch.write("key.pem", try #require(key.verificationKey.pem))
            let folder = scratch.url.path
            // `w` writes to the current folder: the scratch folder, for the file test.
            let command = inFolder ? #"cd "\#(folder)" && "$LAYABAUTH" "$@""# : nil
            session = try TmuxSession(["inspect", "--key", pem, token], command: command, width: 120, height: 40)
            try session.run(["set-option", "-g", "set-clipboard", "on"])
            try await session.waitFor("VALID")
        }

        /// Presses `menu` then `item`, waits for `notice`, and returns the newest tmux paste buffer.
        func copy(_ item: String, notice: String) async throws -> String {
            try session.press("y")
            try await session.waitFor("copy to clipboard: t token")
            try session.press(item)
            try await session.waitFor(notice)
            return try session.run(["show-buffer"])
        }
    }

    @Test("y t, y c, y h, then Tab y j and y p: the token, the claims and header JSON, the key's JWK and PEM reach the clipboard")
    func clipboard() async throws {
        let setup = try await Setup()
        defer { setup.session.close() }
        #expect(try await setup.copy("t", notice: "copied the token (\(setup.token.utf8.count) bytes)") == setup.token)
        let decoded = try Verifier.decodeUnverified(setup.token)
        let claims = try await setup.copy("c", notice: "copied the claims JSON")
        #expect(claims == decoded.claims?.json.prettyJSONText(), "\(claims)")
        #expect(claims.hasPrefix("{\n  \"iss\": \"https://issuer.copy\",\n"), "\(claims)")
        #expect(!claims.contains("│"))
        #expect(try await setup.copy("h", notice: "copied the header JSON") == JSONValue.object(decoded.header.members).prettyJSONText())
        try setup.session.press("Tab")
        try await setup.session.waitFor("Keys (1)")
        let jwk = try await setup.copy("j", notice: "copied the key's JWK")
        // The key as the inspector read it from the PEM file: no kid.
        let pem = try #require(setup.key.verificationKey.pem)
        #expect(jwk == JSONValue.object(try VerificationKey(pem: pem).publicJWK).prettyJSONText(), "\(jwk)")
        #expect(jwk.contains("\"x\": \"") && !jwk.contains("│"), "\(jwk)")
        #expect(try await setup.copy("p", notice: "copied the key's PEM") == pem)
        _ = try await setup.session.quit()
    }

    @Test("w t and w c write new files of mode 600 in the current folder; a second w t does not overwrite the first")
    func files() async throws {
        let setup = try await Setup(inFolder: true)
        defer { setup.session.close() }
        let folder = setup.scratch.url.path
        for (item, name) in [("t", "layabauth-token.txt"), ("c", "layabauth-claims.json"), ("t", "layabauth-token-2.txt")] {
            try setup.session.press("w")
            try await setup.session.waitFor("write to a file here: t token")
            try setup.session.press(item)
            try await setup.session.waitFor("to \(folder)/\(name)")
        }
        let token = try String(contentsOfFile: "\(folder)/layabauth-token.txt", encoding: .utf8)
        #expect(token == setup.token + "\n")
        #expect(try String(contentsOfFile: "\(folder)/layabauth-token-2.txt", encoding: .utf8) == token)
        let claims = try String(contentsOfFile: "\(folder)/layabauth-claims.json", encoding: .utf8)
        #expect(claims == (try Verifier.decodeUnverified(setup.token).claims?.json.prettyJSONText() ?? "") + "\n")
        let mode = try FileManager.default.attributesOfItem(atPath: "\(folder)/layabauth-token.txt")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        _ = try await setup.session.quit()
    }
}
