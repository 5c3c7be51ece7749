import LayabAuth
import LayabInspector
import Testing

/// Pasting tokens as terminals deliver them: with prefixes, line breaks and at the size limit.
@Suite("Paste")
struct PasteTests {
    /// A token signed by `issuer` of at most `size` bytes and within 100 bytes of it, its size set by a padding claim.
    static func token(from issuer: TestIssuer, size: Int) throws -> String {
        var padding = size * 3 / 4 - 300
        while true {
            let token = try issuer.token(extra: [("padding", .string(String(repeating: "p", count: padding)))])
            if token.utf8.count <= size { return token }
            padding -= 1 + (token.utf8.count - size) * 3 / 4
        }
    }

    /// `text` folded into lines of 76 characters joined by `separator`.
    static func folded(_ text: String, separator: String) -> String {
        var lines: [Substring] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            lines.append(rest.prefix(76))
            rest = rest.dropFirst(76)
        }
        return lines.joined(separator: separator)
    }

    @Test("a 16 KiB token with line breaks and an Authorization: Bearer prefix replaces the token",
          arguments: [("Authorization: Bearer ", "\r\n"), ("Bearer ", "\n"), ("  ", "\r")])
    func large(prefix: String, lineBreak: String) throws {
        let issuer = try TestIssuer()
        let token = try Self.token(from: issuer, size: DecodedToken.defaultMaximumSize)
        try #require(token.utf8.count > DecodedToken.defaultMaximumSize - 100)
        var state = issuer.state(showing: try issuer.token(scope: "before"))
        #expect(state.handle(.paste(prefix + Self.folded(token, separator: lineBreak) + lineBreak)) == [])
        #expect(state.token == token)
        let screen = state.screen()
        #expect(screen.contains("Token  \(token.utf8.count) bytes"))
        #expect(screen.contains("Signature  VALID"), "\(screen.dump)")
        #expect(screen.contains("Server     200 OK"))
        #expect(screen.contains("padding"))
        #expect(screen.rows.last?.hasPrefix(" pasted \(token.utf8.count) bytes") == true)
        #expect(screen.role(of: String(token.prefix(20))) == .segmentHeader)
    }

    @Test("the token box shows the beginning of a long token and says exactly how much it hides",
          arguments: [(80, 24), (120, 40), (200, 60)], [650, 4000, 16_300])
    func hiddenCount(size: (width: Int, height: Int), length: Int) throws {
        let issuer = try TestIssuer()
        let token = try Self.token(from: issuer, size: length)
        let screen = issuer.state(showing: token).screen(width: size.width, height: size.height)
        // The box's rows, from the one under its top border to the one above its bottom border.
        let top = try #require(screen.find("┌─ Token"))
        var shown = ""
        var y = top.y + 1
        while y < screen.height, screen[0, y].scalar == "│" {
            let row = screen.rows[y]
            shown += String(row.dropFirst(2).dropLast(2)).trimmedEnd
            y += 1
        }
        guard let marker = shown.range(of: " … +") else {
            #expect(shown == token, "the token fits, so all of it is shown")
            return
        }
        #expect(shown.hasSuffix(" more"), "the count is cut: \(shown.suffix(30))")
        let hidden = try #require(Int(shown[marker.upperBound...].prefix { $0.isNumber }))
        let visible = String(shown[..<marker.lowerBound])
        #expect(token.hasPrefix(visible))
        #expect(visible.count + hidden == token.utf8.count, "shows \(visible.count), says \(hidden) more, of \(token.utf8.count)")
    }

    @Test("a pasted token over the limit is refused with token_too_large and 400")
    func tooLarge() throws {
        let issuer = try TestIssuer()
        let token = try Self.token(from: issuer, size: 20_000)
        var state = issuer.state(showing: "")
        state.handle(.paste(token))
        let screen = state.screen()
        // Since issue 14 the oversized token's claims are shown, under the refusal.
        #expect(screen.contains("token_too_large: the token has \(token.utf8.count) bytes, the limit is 16384"), "\(screen.dump)")
        #expect(screen.contains("Refused by every verifier: token_too_large"), "\(screen.dump)")
        #expect(screen.contains("Server     400 Bad Request"))
        #expect(screen.wwwAuthenticate == "Bearer error=\"invalid_request\", error_description=\"the token has \(token.utf8.count) bytes, the limit is 16384\"")
    }

    @Test("a paste into a prompt goes into the prompt, without line breaks")
    func intoPrompt() throws {
        var state = try demoState()
        let token = state.token
        state.handle(.character("s"))
        state.handle(.control("u"))
        state.handle(.paste("read\nadmin"))
        #expect(state.editing == .scopes)
        #expect(state.editBuffer == "readadmin")
        state.handle(.enter)
        #expect(state.requiredScopes == ["readadmin"])
        #expect(state.token == token)
    }

    @Test("a paste while editing the token replaces it and ends the editing")
    func whileEditingToken() throws {
        var state = try demoState()
        let other = state.samples[2].token
        state.handle(.character("e"))
        state.handle(.paste("Bearer " + other))
        #expect(state.editing == nil)
        #expect(state.token == other)
        #expect(state.screen().contains("Expiry     expired 5m ago"))
    }

    @Test("an empty paste leaves the token as it was")
    func emptyPaste() throws {
        let issuer = try TestIssuer()
        let token = try issuer.token()
        var state = issuer.state(showing: token)
        state.handle(.paste(""))
        state.handle(.paste(" \r\n"))
        #expect(state.token == token)
        #expect(state.notice == "nothing pasted: the token is unchanged")
    }
}
