import Foundation
import LayabAuth
import LayabAuthTesting
import Testing

/// The real binary in a real terminal (tmux): what a person sees and types.
///
/// Serialized: each test drives a whole inspector, and the machines that run them have few cores.
@Suite("Inspector in a terminal", .serialized)
struct InspectorTerminalTests {
    /// An issuer with an RS256 key, its public key in PEM and JWKS files, and tokens that expire relative to the wall clock.
    struct Issuer {
        static let name = "https://issuer.e2e"
        let key: SigningKey
        let scratch: Scratch
        let pemPath: String
        let jwksPath: String
        var jwks: String { KeySet(keys: [key.verificationKey]).publicJWKS.jsonText }

        init(kid: String = "e2e-rsa") throws {
            key = try SigningKey.generate(.rs256, kid: kid)
            scratch = try Scratch()
            pemPath = try scratch.write("key.pem", try #require(key.verificationKey.pem))
            jwksPath = try scratch.write("jwks.json", KeySet(keys: [key.verificationKey]).publicJWKS.jsonText)
        }

        func token(expiresIn seconds: Double = 3600, issuer: String = Self.name, padding: Int = 0) throws -> String {
            let now = Date().timeIntervalSince1970
            var claims: JSONObject = [
                "iss": .string(issuer), "sub": "carol", "aud": "e2e-api", "iat": .integer(Int64(now)),
                "exp": .integer(Int64(now + seconds)), "scope": "read",
            ]
            if padding > 0 { claims["padding"] = .string(String(repeating: "x", count: padding)) }
            return try key.sign(claims: claims)
        }
    }

    @Test("the demo opens showing DEMO and a valid sample; q quits and the terminal is restored")
    func demo() async throws {
        let session = try TmuxSession()
        defer { session.close() }
        try await session.waitFor("DEMO", "Signature  VALID", "sample 1/7", "Server     200 OK", "┌─ Token")
        let after = try await session.quit()
        #expect(!after.contains("LayabAuth inspector"))
        #expect(!after.contains("┌"))
        #expect(!after.contains("Signature"))
    }

    @Test("n steps through the demo samples and the verdict changes with each")
    func samples() async throws {
        let session = try TmuxSession(["inspect", "--demo"], width: 120, height: 40)
        defer { session.close() }
        try await session.waitFor("sample 1/7", "Signature  VALID")
        let steps = [
            ("sample 2/7", "Signature  VALID", "Server     200 OK"),
            ("sample 3/7", "Signature  VALID", "Server     401 Unauthorized"),
            ("sample 4/7", "Signature  INVALID", "Server     401 Unauthorized"),
            ("sample 5/7", "Signature  VALID", "Server     403 Forbidden"),
            ("sample 6/7", "Signature  UNVERIFIED", "Server     401 Unauthorized"),
            ("sample 7/7", "Signature  INVALID", "Server     401 Unauthorized"),
            ("sample 1/7", "Signature  VALID", "Server     200 OK"),
        ]
        for (sample, signature, server) in steps {
            try session.press("n")
            try await session.waitFor(sample, signature, server)
        }
        try session.press("p")
        try await session.waitFor("sample 7/7", "alg: none")
        _ = try await session.quit()
    }

    @Test("the countdown advances by itself")
    func countdownTicks() async throws {
        let issuer = try Issuer()
        let session = try TmuxSession([try issuer.token(expiresIn: 300), "--key", issuer.pemPath])
        defer { session.close() }
        let first = try await session.waitFor("Expiry     expires in 4m")
        let line = try #require(first.line(containing: "Expiry     "))
        // The clock ticks once a second: with no key pressed, the text changes (the bound is loose for a loaded machine).
        try await session.waitUntil("the countdown to change from \(line)", timeout: 30) { screen in
            screen.line(containing: "Expiry     ").map { $0 != line && $0.contains("expires in ") } ?? false
        }
        _ = try await session.quit()
    }

    @Test("a token three seconds from exp flips to expired and 401 without input")
    func expiresWhileWatching() async throws {
        let issuer = try Issuer()
        let session = try TmuxSession([try issuer.token(expiresIn: 3), "--key", issuer.pemPath, "--leeway", "0"])
        defer { session.close() }
        try await session.waitFor("Expiry     expires in", "Server     200 OK")
        try await session.waitFor("Expiry     expired", "exp  FAIL expired", "Server     401 Unauthorized", "Signature  VALID", timeout: 30)
        _ = try await session.quit()
    }

    @Test("a bracketed paste replaces the token, from a short one to 16 KiB with line breaks and a prefix")
    func paste() async throws {
        let issuer = try Issuer()
        let session = try TmuxSession(["--key", issuer.pemPath], width: 120, height: 40)
        defer { session.close() }
        try await session.waitFor("No token yet.", "paste a token here")

        let token = try issuer.token()
        try session.paste(token)
        try await session.waitFor("Signature  VALID", "pasted \(token.utf8.count) bytes", "Token  \(token.utf8.count) bytes")

        // 16 KiB, folded into lines, as copied from a log or a terminal.
        var large = try issuer.token(padding: 11_800)
        var padding = 11_800
        while large.utf8.count > DecodedToken.defaultMaximumSize {
            padding -= 1 + (large.utf8.count - DecodedToken.defaultMaximumSize) * 3 / 4
            large = try issuer.token(padding: padding)
        }
        #expect(large.utf8.count > 16_000)
        var folded = "Authorization: Bearer "
        var rest = Substring(large)
        while !rest.isEmpty {
            folded += rest.prefix(64) + "\n"
            rest = rest.dropFirst(64)
        }
        try session.paste(folded)
        // Nothing of the paste was taken as a key press: still running, still the token view.
        try await session.waitFor("Token  \(large.utf8.count) bytes", "pasted \(large.utf8.count) bytes", "Signature  VALID",
                                  "padding", " more", "Verification", timeout: 30)
        _ = try await session.quit()
    }

    @Test("keys from a PEM file and a JWKS file; Tab shows them in the keys browser")
    func keyFiles() async throws {
        let issuer = try Issuer()
        // A PEM file carries no kid; the JWK Set keeps it. Either way the key verifies the token.
        for (keyFile, kid) in [(issuer.pemPath, "(no kid)"), (issuer.jwksPath, #""e2e-rsa""#)] {
            let session = try TmuxSession(["inspect", try issuer.token(), "--key", keyFile, "--issuer", Issuer.name, "--audience", "e2e-api", "--scope", "read"])
            defer { session.close() }
            try await session.waitFor("Signature  VALID", "Server     200 OK", "key \(kid)  RSA 2048")
            try session.press("Tab")
            try await session.waitFor("Keys (1)", "▶ \(kid)  RSA 2048", "◀ verifies this token", "Source  \(keyFile)")
            try session.press("Enter")
            try await session.waitFor("Key details", "-----BEGIN PUBLIC KEY-----")
            _ = try await session.quit()
        }
    }

    @Test("keys from a JWKS served over HTTP; r fetches them again")
    func keysOverHTTP() async throws {
        let issuer = try Issuer()
        let jwks = issuer.jwks
        let server = try TestHTTPServer { _ in .json(jwks) }
        defer { server.stop() }
        let url = server.url("/jwks.json")
        let session = try TmuxSession([try issuer.token(), "--jwks", url])
        defer { session.close() }
        try await session.waitFor("Signature  VALID", "keys: \(url)")
        try session.press("Tab")
        try await session.waitFor("HTTP 200", #""e2e-rsa""#, "◀ verifies this token", "Source  \(url)")
        let before = server.requestCount(path: "/jwks.json")
        #expect(before >= 1)
        try session.press("r")
        try await session.waitUntil("a second request for the JWKS", timeout: 30) { _ in server.requestCount(path: "/jwks.json") > before }
        try await session.waitFor("1 key loaded")
        _ = try await session.quit()
    }

    @Test("keys found by discovery typed at the d prompt, and a JWKS URI at the j prompt")
    func discoveryAndJWKSPrompts() async throws {
        let issuer = try Issuer()
        let jwks = issuer.jwks
        let server = try TestHTTPServer { _ in .json(jwks) }
        defer { server.stop() }
        server.setHandler { [base = server.baseURL] request in
            request.path == "/.well-known/openid-configuration"
                ? .json(#"{"issuer":"\#(base)","jwks_uri":"\#(base)/keys"}"#)
                : .json(jwks)
        }
        let session = try TmuxSession([try issuer.token(issuer: server.baseURL)], width: 120, height: 40)
        defer { session.close() }
        try await session.waitFor("Signature  UNVERIFIED", "key_not_found")
        try session.press("d")
        try await session.waitFor("Issuer to discover keys from:")
        try session.type(server.baseURL)
        try session.press("Enter")
        // Discovery does not set the issuer required: iss is not checked until i sets it.
        try await session.waitUntil("the token verified with the discovered keys, the issuer not checked") { screen in
            screen.contains("Signature  VALID") && screen.contains("Server     200 OK") && screen.check("iss")?.hasPrefix("iss  skip") == true
        }
        #expect(server.requestCount(path: "/.well-known/openid-configuration") >= 1)
        try session.press("i")
        try await session.waitFor("Required issuer:")
        try session.type(server.baseURL)
        try session.press("Enter")
        try await session.waitUntil("the issuer checked") { screen in screen.check("iss")?.hasPrefix("iss  ok") == true }

        try session.press("j")
        try await session.waitFor("JWKS URI")
        try session.type(server.url("/other-keys.json"))
        try session.press("Enter")
        try await session.waitUntil("a request for the new JWKS URI", timeout: 30) { _ in server.requestCount(path: "/other-keys.json") == 1 }
        try await session.waitFor("Signature  VALID", "keys: \(server.url("/other-keys.json"))")
        _ = try await session.quit()
    }

    @Test("a JWKS that cannot be fetched leaves the token unverified and says why")
    func unavailableKeys() async throws {
        let issuer = try Issuer()
        let server = try TestHTTPServer { _ in .json(#"{"error":"nope"}"#, status: 404) }
        defer { server.stop() }
        let session = try TmuxSession([try issuer.token(), "--jwks", server.url("/jwks.json")], width: 120, height: 40)
        defer { session.close() }
        try await session.waitFor("keys unavailable", "Signature  UNVERIFIED")
        // As a server would answer: the keys could not be obtained, so the token was not judged.
        try await session.waitFor("jwks_unavailable", "Server     503 Service Unavailable", "Retry-After: 10")
        _ = try await session.quit()
    }

    @Test("a paste ending in half a UTF-8 character ends, and keys are keys again: q quits")
    func brokenPaste() async throws {
        let session = try TmuxSession()
        defer { session.close() }
        try await session.waitFor("DEMO", "Signature  VALID")
        try session.paste(bytes: Array("abc".utf8) + [0xE2])
        try await session.waitFor("pasted 6 bytes", "malformed", "left the demo")
        // What was pasted is one's own, not a sample: the demo's keys went with the demo.
        try session.press("Tab")
        try await session.waitFor("Keys (0)")
        _ = try await session.quit()
    }

    @Test("a token whose kid is published after the keys were fetched is verified without pressing r")
    func unknownKidLookedUp() async throws {
        let first = try Issuer(kid: "e2e-first")
        let next = try Issuer(kid: "e2e-next")
        let both = KeySet(keys: [first.key.verificationKey, next.key.verificationKey]).publicJWKS.jsonText
        let firstJWKS = first.jwks
        let server = try TestHTTPServer { _ in .json(firstJWKS) }
        defer { server.stop() }
        let session = try TmuxSession([try first.token(), "--jwks", server.url("/jwks.json")], width: 120, height: 40)
        defer { session.close() }
        try await session.waitFor("Signature  VALID", "Server     200 OK")
        let before = server.requestCount(path: "/jwks.json")
        // The provider rotates; the keys fetched are still fresh, and the new kid is not among them.
        server.setHandler { _ in .json(both) }
        try session.paste(try next.token())
        try await session.waitUntil("the new key fetched and the token verified") { screen in
            screen.contains("Signature  VALID") && screen.contains(#"key "e2e-next""#)
        }
        #expect(server.requestCount(path: "/jwks.json") == before + 1)
        _ = try await session.quit()
    }

    @Test("the token from @file and from standard input; keys are then read from the terminal")
    func tokenSources() async throws {
        let issuer = try Issuer()
        let tokenPath = try issuer.scratch.write("token.txt", "Bearer " + (try issuer.token()) + "\n")
        let fromFile = try TmuxSession(["inspect", "@" + tokenPath, "--key", issuer.pemPath])
        defer { fromFile.close() }
        try await fromFile.waitFor("Signature  VALID")
        _ = try await fromFile.quit()

        let piped = try TmuxSession(command: #"cat '\#(tokenPath)' | "$LAYABAUTH" inspect - --key '\#(issuer.pemPath)'"#)
        defer { piped.close() }
        try await piped.waitFor("Signature  VALID")
        try piped.press("Tab")
        try await piped.waitFor("Keys (1)")
        _ = try await piped.quit()
    }

    @Test("a resize re-lays out the screen, larger and back")
    func resize() async throws {
        let session = try TmuxSession(width: 80, height: 24)
        defer { session.close() }
        try await session.waitUntil("an 80x24 layout") { screen in
            screen.line(containing: "┌─ Token")?.count == 80 && screen.contains("Signature  VALID") && screen.contains(" e edit token")
        }
        try session.resize(width: 200, height: 60)
        // A capture may catch the terminal halfway through a redraw: wait for the whole new layout.
        let large = try await session.waitUntil("a 200x60 layout") { screen in
            screen.line(containing: "┌─ Token")?.count == 200 && screen.contains("Header JSON")
                && screen.split(separator: "\n", omittingEmptySubsequences: false).count >= 60
                && screen.line(containing: "e edit token")?.hasPrefix(" e edit token") == true
        }
        #expect(!large.contains("more: ← then ↑↓"))
        try session.resize(width: 80, height: 24)
        try await session.waitUntil("an 80x24 layout again") { screen in
            screen.line(containing: "┌─ Token")?.count == 80 && screen.contains("Server     200 OK") && screen.contains("1-16/43")
                && !screen.contains("Header JSON")
        }
        _ = try await session.quit()
    }

    @Test("? shows the help, any key closes it; Ctrl-C quits")
    func help() async throws {
        let session = try TmuxSession()
        defer { session.close() }
        try await session.waitFor("DEMO")
        try session.press("?")
        try await session.waitFor("Help: key bindings", "q / Ctrl-C", "any key closes this help")
        try session.press("x")
        try await session.waitUntil("the help to close") { !$0.contains("Help: key bindings") && $0.contains("sample 1/7") }
        let after = try await session.quit(with: "C-c")
        #expect(!after.contains("LayabAuth inspector"))
    }

    @Test("paging past the end of the claims and back scrolls back at once")
    func scrollBack() async throws {
        let session = try TmuxSession(width: 80, height: 24)
        defer { session.close() }
        // 43 rows since issue 14: the long iss wraps in the table rather than being cut.
        try await session.waitFor("Claims and header  ↑↓ 1-16/43")
        for _ in 0..<3 { try session.press("NPage") }
        try await session.waitFor("↑↓ 28-43/43")
        try session.press("PPage")
        try await session.waitFor("↑↓ 18-33/43")
        _ = try await session.quit()
    }

    @Test("LAYABAUTH_FRAME_LOG records each frame's layout and drawing time; an empty value writes nothing")
    func frameLog() async throws {
        let scratch = try Scratch()
        let log = scratch.url.appendingPathComponent("frames.log").path
        let session = try TmuxSession(environment: ["LAYABAUTH_FRAME_LOG": log])
        defer { session.close() }
        try await session.waitFor("DEMO", "Signature  VALID")
        try session.press("n")
        try await session.waitFor("sample 2/7")
        _ = try await session.quit()
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 2, "\(lines)")
        for line in lines {
            let fields = line.split(separator: " ").compactMap { Int($0) }
            #expect(fields.count == 2 && fields.allSatisfy { $0 >= 0 }, "\(line)")
        }
        let quiet = try TmuxSession(environment: ["LAYABAUTH_FRAME_LOG": ""])
        defer { quiet.close() }
        try await quiet.waitFor("DEMO")
        _ = try await quiet.quit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["frames.log"])
    }

    @Test("NO_COLOR=1 starts without colours; --theme light with them")
    func colours() async throws {
        let colour = try Regex(#"\x1B\[(3[0-7]|4[0-7]|[34]8;5;[0-9]+)m"#)

        let plain = try TmuxSession(environment: ["NO_COLOR": "1"])
        defer { plain.close() }
        try await plain.waitFor("DEMO", "Signature  VALID")
        #expect(try plain.captureWithAttributes().firstMatch(of: colour) == nil)
        _ = try await plain.quit()

        // Started from another folder: the theme is found beside the build, not in the working directory.
        let light = try TmuxSession(["--theme", "light"], command: #"cd / && "$LAYABAUTH" "$@""#)
        defer { light.close() }
        try await light.waitFor("DEMO", "Signature  VALID")
        let attributes = try light.captureWithAttributes()
        #expect(attributes.firstMatch(of: colour) != nil)
        // The title bar is "white on 25" in themes/light.theme only.
        #expect(attributes.contains("48;5;25m"), "\(attributes.prefix(400))")
        _ = try await light.quit()
    }

    @Test("an unknown theme exits with status 2 and says so")
    func unknownTheme() async throws {
        let session = try TmuxSession(["--theme", "no-such-theme"])
        defer { session.close() }
        let screen = try await session.waitFor("EXITED:2")
        #expect(screen.contains(#"layabauth: no theme "no-such-theme""#))
        #expect(!screen.contains("LayabAuth inspector"))
    }

    @Test("a 36x10 window shows the too-small message, then the inspector once large enough")
    func tooSmall() async throws {
        let session = try TmuxSession(width: 36, height: 10)
        defer { session.close() }
        try await session.waitFor("layabauth needs a 40x12 terminal", "this one is 36x10; q quits")
        try session.resize(width: 80, height: 24)
        try await session.waitFor("DEMO", "Signature  VALID")
        _ = try await session.quit()
    }

    @Test("without any locale in the environment the borders are still drawn")
    func noLocale() async throws {
        let session = try TmuxSession(command: #"env -u LANG -u LC_ALL -u LC_CTYPE "$LAYABAUTH""#)
        defer { session.close() }
        try await session.waitUntil("borders and the lifetime bar") { screen in
            screen.contains("DEMO") && screen.contains("┌─ Token") && screen.contains("│ Signature  VALID") && screen.contains("░")
        }
        _ = try await session.quit()
    }
}

extension String {
    /// The line of a claim check as the pane shows it ("iss  ok   …").
    func check(_ claim: String) -> String? {
        let start = "│ " + claim.padding(toLength: 5, withPad: " ", startingAt: 0)
        return split(separator: "\n").first { $0.hasPrefix(start) }.map { String($0.dropFirst(2)) }
    }
}
