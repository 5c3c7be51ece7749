import Foundation
import LayabAuth
import Testing

/// Input as a terminal user gives it, in a real terminal (tmux): typed tokens, prompts with a line editor,
/// pastes of what people copy, keys given in the inspector.
@Suite("Input in a terminal", .serialized)
struct InputTerminalTests {
    typealias Issuer = InspectorTerminalTests.Issuer

    @Test("a token typed without bracketed paste gives the same token as pasting it, first character included")
    func typedToken() async throws {
        let issuer = try Issuer()
        let session = try TmuxSession(["--key", issuer.pemPath], width: 120, height: 40)
        defer { session.close() }
        try await session.waitFor("No token yet.")
        let first = try issuer.token()
        try session.paste(first)
        try await session.waitFor("Token  \(first.utf8.count) bytes", "Signature  VALID")

        // Typed over the token shown (as tmux send-keys, a terminal without bracketed paste or a screen reader
        // does): it replaces it, its first e not taken as the edit key.
        let typed = try issuer.token(padding: 40)
        try session.type(typed)
        try await session.waitFor("Token  \(typed.utf8.count) bytes", "pasted \(typed.utf8.count) bytes", "Signature  VALID")

        // e, then typing: everything is selected on entry, so the typing replaces the token.
        try session.press("e")
        try await session.waitFor("Token  (editing")
        try session.type(first)
        try session.press("Enter")
        try await session.waitFor("Token  \(first.utf8.count) bytes", "Signature  VALID")
        _ = try await session.quit()
    }

    /// A sender that writes a long token in two pieces (two `send-keys`, a terminal that splits its writes)
    /// gave a paste of the first piece replaced by a paste of the second: the tail became the token.
    @Test("a token typed in two pieces close together is one token")
    func typedInPieces() async throws {
        let issuer = try Issuer()
        let session = try TmuxSession(["--key", issuer.pemPath], width: 120, height: 40)
        defer { session.close() }
        try await session.waitFor("No token yet.")
        let token = try issuer.token(padding: 40)
        let middle = token.index(token.startIndex, offsetBy: token.count / 2)
        try session.type(String(token[..<middle]))
        try session.type(String(token[middle...]))
        try await session.waitFor("Token  \(token.utf8.count) bytes", "Signature  VALID")
        _ = try await session.quit()
    }

    @Test("prompts have a cursor and undo; a refused value stays with the error beside it")
    func lineEditor() async throws {
        let issuer = try Issuer()
        let session = try TmuxSession(["--key", issuer.pemPath], width: 120, height: 40)
        defer { session.close() }
        try await session.waitFor("No token yet.")
        // The leeway prompt is prefilled with 30: ← keeps it and goes to its start, where 1 is typed.
        try session.press("l")
        try await session.waitFor("Leeway in seconds: 30▏")
        try session.press("Left")
        try session.type("1")
        try await session.waitFor("Leeway in seconds: 1▏30")
        try session.press("Enter")
        try await session.waitFor("leeway 130 s")

        // Typing replaces; a value out of range is refused and kept; Ctrl-Z undoes the typing.
        try session.press("l")
        try await session.waitFor("Leeway in seconds: 130▏")
        try session.type("99999")
        try session.press("Enter")
        try await session.waitFor("Leeway in seconds: 99999▏  leeway must be a number of seconds, 0 or more and at most 86400")
        try session.press("C-z")
        try await session.waitFor("Leeway in seconds: 130▏")
        try session.press("Escape")

        // d refuses what cannot be discovered; the required issuer is left alone.
        // Each key waits for its prompt: a key and the text after it read together would be one burst of typing.
        try session.press("d")
        try await session.waitFor("Issuer to discover keys from:")
        try session.type("idp.example.com")
        try session.press("Enter")
        let refused = try await session.waitFor(#"the issuer "idp.example.com" is not an http(s) URL"#)
        #expect(refused.contains("Issuer to discover keys from: idp.example.com▏"), "\(refused)")
        try session.press("Escape")
        try await session.waitFor("cancelled")
        _ = try await session.quit()
    }

    @Test("a paste that is not a token keeps its spaces; a curl command and a token response give their token")
    func pastes() async throws {
        let issuer = try Issuer()
        let session = try TmuxSession(["--key", issuer.pemPath], width: 140, height: 40)
        defer { session.close() }
        try await session.waitFor("No token yet.")
        try session.paste("hello world this is not a token")
        let screen = try await session.waitFor("hello world this is not a token", "malformed")
        #expect(!screen.contains("helloworld"), "\(screen)")
        #expect(!screen.contains("removed"), "\(screen)")

        let token = try issuer.token()
        try session.paste("curl -sS https://api.example/orders \\\n  -H 'Authorization: Bearer \(token)'")
        try await session.waitFor("took the bearer token of a curl command", "Token  \(token.utf8.count) bytes", "Signature  VALID")

        let id = try issuer.token(padding: 10)
        try session.paste(#"{"access_token":"\#(token)","id_token":"\#(id)","token_type":"Bearer"}"#)
        try await session.waitFor("took the access_token of a token endpoint response (it also holds id_token); x switches", "Token  \(token.utf8.count) bytes")
        try session.press("x")
        try await session.waitFor("took the id_token", "Token  \(id.utf8.count) bytes", "Signature  VALID")
        _ = try await session.quit()
    }

    /// A key given with K sat beside the JWKS source it replaced: `r` fetched that source again and its keys
    /// took the place of the one given.
    @Test("a key given with K is the key source: r does not bring back the JWKS it replaced")
    func givenKeyReplacesSource() async throws {
        let issuer = try Issuer()
        let session = try await Self.givingSecret(["--jwks", issuer.jwksPath])
        defer { session.close() }
        try session.press("Enter")
        try await session.waitFor("Signature  VALID")
        try session.press("r")
        try await session.waitFor("nothing to refresh")
        try session.press("Tab")
        let keys = try await session.waitFor("Keys (1)")
        #expect(!keys.contains("e2e-rsa"), "\(keys)")
        try session.press("Tab")
        try await session.waitFor("Signature  VALID")
        _ = try await session.quit()
    }

    static let secret = "terminal-secret-of-thirty-two-b!"

    /// The inspector started with `arguments`, showing an HS256 token signed with ``secret``, the secret
    /// pasted into the K prompt and not yet entered.
    static func givingSecret(_ arguments: [String]) async throws -> TmuxSession {
        let signer = try SigningKey(hmacSecret: Array(secret.utf8), algorithm: .hs256, kid: "hs-e2e")
        let token = try signer.sign(claims: ["sub": "dave", "exp": .integer(Int64(Date().timeIntervalSince1970 + 3600))])
        let session = try TmuxSession(arguments, width: 120, height: 40)
        try await session.waitFor("No token yet.")
        try session.paste(token)
        try await session.waitFor("Token  \(token.utf8.count) bytes")
        try session.press("K")
        try await session.waitFor("Key or HMAC secret")
        try session.paste(secret)
        return session
    }

    @Test("K takes an HMAC secret, shown only as dots; the HS256 token then verifies")
    func secretPrompt() async throws {
        let issuer = try Issuer()
        let session = try await Self.givingSecret(["--key", issuer.pemPath])
        defer { session.close() }
        let prompt = try await session.waitFor("32 characters, in memory only")
        #expect(!prompt.contains("terminal-secret"), "\(prompt)")
        try session.press("Enter")
        let verified = try await session.waitFor("Signature  VALID", "in memory only, never shown")
        #expect(!verified.contains("terminal-secret"), "\(verified)")
        try session.press("Tab")
        let keys = try await session.waitFor("Keys (1)")
        #expect(!keys.contains("terminal-secret"), "\(keys)")
        _ = try await session.quit()
    }
}
