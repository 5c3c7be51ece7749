import Foundation
import LayabAuth
import LayabAuthTesting
import Testing

/// The screen never says more than is true, in a real terminal (tmux): a new key source replaces the old one
/// entirely, a token of one's own leaves the demo, and the expiry line does not contradict the exp check.
@Suite("A truthful screen, in a terminal", .serialized)
struct TruthfulScreenTerminalTests {
    typealias Issuer = InspectorTerminalTests.Issuer

    /// Opens the prompt of `binding`, clears what it holds, types `text` and presses Enter.
    static func enter(_ binding: String, _ text: String, in session: TmuxSession) async throws {
        try session.press(binding)
        try await session.waitFor(binding == "j" ? "JWKS URI" : "Issuer to discover keys from")
        try session.press("C-u")
        try session.type(text)
        try session.press("Enter")
    }

    /// Presses Tab and waits for the keys browser drawn whole (a capture can catch a redraw halfway) showing `texts`.
    @discardableResult
    static func keysBrowser(_ session: TmuxSession, showing texts: String...) async throws -> String {
        try session.press("Tab")
        return try await session.waitUntil(texts.joined(separator: ", ") + " in the keys browser") { screen in
            texts.allSatisfy(screen.contains) && screen.contains("┌─ Keys") && !screen.contains("Header JSON") && !screen.contains("Verification")
        }
    }

    @Test("j to an unreachable URL, then to one that fails: the previous keys are gone, UNVERIFIED and 503, and each key names its source")
    func failedJWKSSwitch() async throws {
        let issuer = try Issuer(kid: "ux-rsa-1")
        let jwks = issuer.jwks
        let server = try TestHTTPServer { request in request.path == "/jwks.json" ? .json(jwks) : TestHTTPServer.Response(status: 500) }
        defer { server.stop() }
        let closed = try TestHTTPServer { _ in .json(jwks) }
        let unreachable = closed.url("/jwks.json")
        closed.stop()
        let session = try TmuxSession([try issuer.token(), "--jwks", server.url("/jwks.json")], width: 140, height: 40)
        defer { session.close() }
        try await session.waitFor("Signature  VALID", "Server     200 OK")

        for failing in [unreachable, server.url("/broken.json")] {
            try await Self.enter("j", failing, in: session)
            let screen = try await session.waitFor("keys unavailable", "Signature  UNVERIFIED", "jwks_unavailable", "Server     503 Service Unavailable")
            #expect(!screen.contains(#"key "ux-rsa-1""#), "\(screen)")
            let keys = try await Self.keysBrowser(session, showing: "Source  \(failing)", "Keys (0)", "no usable keys")
            #expect(!keys.contains("ux-rsa-1"), "\(keys)")
            try session.press("Tab")

            // Back to the source that works: its key, and where it came from, in the list and in the details.
            try await Self.enter("j", server.url("/jwks.json"), in: session)
            try await session.waitFor("Signature  VALID", "Server     200 OK", "1 key loaded")
            let list = try await Self.keysBrowser(session, showing: #""ux-rsa-1""#, "from \(server.url("/jwks.json"))")
            #expect(!list.contains(failing), "\(list)")
            try session.press("Enter")
            try await session.waitFor("Key details", "from \(server.url("/jwks.json"))")
            try session.press("Escape")
            try session.press("Tab")
            try await session.waitFor("Verification")
        }
        _ = try await session.quit()
    }

    @Test("j from one key file to another: the first file's keys and skipped list are gone")
    func keyFileSwitch() async throws {
        let scratch = try Scratch()
        let first = try Issuer(kid: "first-key"), third = try Issuer(kid: "third-key")
        let tiny = #"{"kty":"RSA","kid":"tiny-first","n":"AQAB","e":"AQAB"}"#
        let firstPath = try scratch.write("first.json", #"{"keys":[\#(JSONValue.object(first.key.verificationKey.publicJWK).jsonText),\#(tiny)]}"#)
        let secondPath = try scratch.write("second.json", #"{"keys":[{"kty":"XYZ","kid":"odd-second"}]}"#)
        let thirdPath = try scratch.write("third.json", third.jwks)
        let session = try TmuxSession([try first.token(), "--jwks", firstPath], width: 140, height: 40)
        defer { session.close() }
        try await session.waitFor("Signature  VALID", "Server     200 OK")
        try await Self.keysBrowser(session, showing: #""first-key""#, "tiny-first", "Skipped (1)")
        try session.press("Tab")

        // A file with no usable key: nothing of the first file remains; the new file's skipped key says why.
        try await Self.enter("j", secondPath, in: session)
        let screen = try await session.waitFor("Signature  UNVERIFIED", "Server     503 Service Unavailable")
        #expect(!screen.contains(#"key "first-key""#), "\(screen)")
        let keys = try await Self.keysBrowser(session, showing: "Source  \(secondPath)", "Keys (0)", "odd-second")
        #expect(!keys.contains("first-key"), "\(keys)")
        #expect(!keys.contains("tiny-first"), "\(keys)")
        try session.press("Tab")

        // A file with a key: that key alone, from that file.
        try await Self.enter("j", thirdPath, in: session)
        try await session.waitFor("Signature  UNVERIFIED", "key_not_found", "Server     401 Unauthorized")
        let last = try await Self.keysBrowser(session, showing: "Keys (1)", #""third-key""#, "from \(thirdPath)")
        #expect(!last.contains("first-key") && !last.contains("odd-second") && !last.contains("Skipped"), "\(last)")
        _ = try await session.quit()
    }

    @Test("a failed d: no keys of the previous source, and no issuer said to be discovered")
    func failedDiscovery() async throws {
        let issuer = try Issuer(kid: "before-discovery")
        let jwks = issuer.jwks
        let server = try TestHTTPServer { request in request.path == "/jwks.json" ? .json(jwks) : .json(#"{"error":"nope"}"#, status: 404) }
        defer { server.stop() }
        let session = try TmuxSession([try issuer.token(), "--jwks", server.url("/jwks.json")], width: 140, height: 40)
        defer { session.close() }
        try await session.waitFor("Signature  VALID", "Server     200 OK")
        try await Self.enter("d", server.url("/idp"), in: session)
        let screen = try await session.waitFor("keys unavailable", "Signature  UNVERIFIED", "Server     503 Service Unavailable")
        #expect(!screen.contains(#"key "before-discovery""#), "\(screen)")
        let keys = try await Self.keysBrowser(session, showing: "(not discovered yet)", "Keys (0)", "discovery failed")
        #expect(!keys.contains("(discovered)"), "\(keys)")
        #expect(!keys.contains("before-discovery"), "\(keys)")
        _ = try await session.quit()
    }

    @Test("pasting a token of one's own leaves the demo, says so, and n goes back to the samples")
    func ownTokenLeavesDemo() async throws {
        let issuer = try Issuer()
        let session = try TmuxSession(["inspect", "--demo"], width: 140, height: 40)
        defer { session.close() }
        try await session.waitFor("sample 1/7", "Signature  VALID")
        for _ in 0..<3 { try session.press("n") }
        try await session.waitFor("sample 4/7: tampered signature")
        try session.paste(try issuer.token())
        let own = try await session.waitFor("left the demo", "n/p: back to the demo samples", "Scopes     none required")
        #expect(!own.contains("sample 4/7"), "\(own)")
        #expect(!own.contains(" DEMO "), "\(own)")
        // Against no configuration of the demo's: iss and aud are not checked, no demo key is named.
        #expect(own.check("iss")?.contains("FAIL") == false, "\(own)")
        #expect(own.check("aud")?.contains("FAIL") == false, "\(own)")
        #expect(!own.contains("demo-rsa"), "\(own)")
        let keys = try await Self.keysBrowser(session, showing: "Keys (0)")
        #expect(!keys.contains("demo-"), "\(keys)")
        try session.press("Tab")
        try session.press("n")
        try await session.waitFor(" DEMO ", "sample 5/7", "Scopes     required: read write")
        try session.press("Tab")
        try await session.waitFor("Keys (3)", #""demo-rsa""#)
        _ = try await session.quit()
    }

    @Test("a token without exp, exp required: the expiry line does not say it never expires")
    func missingRequiredExp() async throws {
        let issuer = try Issuer()
        let token = try issuer.key.sign(claims: ["iss": .string(Issuer.name), "sub": "carol", "aud": "e2e-api"])
        let session = try TmuxSession([token, "--key", issuer.pemPath], width: 140, height: 40)
        defer { session.close() }
        let screen = try await session.waitFor("exp  FAIL missing_claim", "Expiry     ")
        #expect(!screen.contains("never expires"), "\(screen)")
        #expect(screen.line(containing: "Expiry     ")?.contains("no exp (required)") == true, "\(screen)")
        _ = try await session.quit()
    }
}
