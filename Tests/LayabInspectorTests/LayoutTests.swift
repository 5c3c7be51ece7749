import Foundation
import LayabAuth
import LayabInspector
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Layout")
struct LayoutTests {
    static let sizes = [(80, 24), (81, 25), (100, 30), (120, 40), (200, 60)]

    @Test("borders and bars are drawn whatever the process locale (a process starts in the C locale)")
    func bordersInTheCLocale() throws {
        // Render on a thread that is explicitly in the C locale, as a process is before setlocale.
        let cLocale = try #require(newlocale(LC_CTYPE_MASK, "C", nil))
        defer { freelocale(cLocale) }
        let previous = uselocale(cLocale)
        defer { uselocale(previous) }
        let screen = try demoState().screen(width: 80, height: 24)
        #expect(screen[0, 1].scalar == "┌")
        #expect(screen[79, 1].scalar == "┐")
        #expect(screen[0, 2].scalar == "│")
        #expect(screen.contains("█") || screen.contains("░"), "the lifetime bar is missing: \(screen)")
    }

    @Test("the token view: bars, three whole boxes side by side, and the verdict, for every sample", arguments: sizes)
    func tokenView(size: (width: Int, height: Int)) throws {
        for sample in 0..<7 {
            let state = try demoState(sample: sample)
            let screen = state.screen(width: size.width, height: size.height)
            try expectFrame(screen, size: size)
            let boxes = screen.boxes()
            #expect(boxes.broken.isEmpty, "sample \(sample): \(boxes.broken) \(screen)")
            #expect(boxes.whole.count == 3, "sample \(sample): \(boxes.whole)")
            // Token box across the width; verification and claims side by side below it, down to the status bar.
            if boxes.whole.count == 3 {
                let (token, verification, claims) = (boxes.whole[0], boxes.whole[1], boxes.whole[2])
                #expect(token.left == 0 && token.right == size.width - 1 && token.top == 1)
                #expect(verification.left == 0 && verification.top == token.bottom + 1)
                #expect(claims.left == verification.right + 1 && claims.right == size.width - 1 && claims.top == verification.top)
                #expect(verification.bottom == size.height - 2 && claims.bottom == size.height - 2)
            }
            for text in ["Verification", "Claims and header", "Signature  ", "Expiry     ", "Scopes     ", "Server     "] {
                #expect(screen.contains(text), "sample \(sample) at \(size): no \(text) in \(screen)")
            }
        }
    }

    @Test("at 80x24 the missing scope and the failed check stay in view: passing checks fold into one line")
    func foldedAtMinimumSize() throws {
        let scope = try demoState(sample: 4).screen(width: 80, height: 24)
        #expect(scope.contains("Scopes     required: read write"), "\(scope.dump)")
        #expect(scope.role(of: "missing", inRowContaining: "missing  write") == .error, "\(scope.dump)")
        #expect(scope.role(of: "present", inRowContaining: "present  read") == .ok, "\(scope.dump)")
        #expect(scope.contains("ok   exp"), "\(scope.dump)")
        #expect(!scope.contains("more: ← then ↑↓"), "\(scope.dump)")
        let expired = try demoState(sample: 2).screen(width: 80, height: 24)
        #expect(expired.contains("exp  FAIL expired"), "\(expired.dump)")
        // With room, every check has its own line.
        let tall = try demoState(sample: 4).screen(width: 120, height: 50)
        #expect(tall.contains("exp  ok"), "\(tall.dump)")
        #expect(tall.role(of: "missing", inRowContaining: "  write ") == .error, "\(tall.dump)")
    }

    @Test("wrapped values never leave a lone quote on a row, and clipped rows end in an ellipsis", arguments: sizes)
    func wrappingAndClipping(size: (width: Int, height: Int)) throws {
        for sample in 0..<7 {
            let screen = try demoState(sample: sample).screen(width: size.width, height: size.height)
            for row in screen.rows {
                for cell in row.split(separator: "│") {
                    let content = cell.trimmingCharacters(in: .whitespaces)
                    #expect(content != "\"" && content != "\",", "sample \(sample) at \(size): \(screen.dump)")
                }
            }
        }
        // The claims table at 80 columns wraps long values under their column rather than cutting them (issue 14).
        let narrow = try demoState(sample: 0).screen(width: 80, height: 24)
        #expect(narrow.row(containing: "iss   Issuer")?.contains(#""https://demo.layaba"#) == true, "\(narrow.dump)")
        #expect(narrow.row(containing: #"uth.invalid""#) != nil, "\(narrow.dump)")
    }

    @Test("the server's answer stays visible at 80x24, whatever else must give way")
    func answerAtMinimumSize() throws {
        for sample in 0..<7 {
            let screen = try demoState(sample: sample).screen(width: 80, height: 24)
            #expect(screen.contains("Server     "), "sample \(sample): \(screen)")
            #expect(screen.contains("WWW-Authenticate: Bearer") == (sample != 0 && sample != 1), "sample \(sample): \(screen)")
        }
        // A prompt takes a row; scopes that are missing make the answer longer.
        var state = try demoState()
        state.set("s", to: "read write admin")
        state.handle(.character("a"))
        let screen = state.screen(width: 80, height: 24)
        #expect(screen.contains("Server     403 Forbidden"), "\(screen)")
        #expect(screen.contains("missing  admin"), "\(screen)")
        #expect(screen.boxes().broken.isEmpty)
        // With room, nothing is left out.
        #expect(!state.screen(width: 200, height: 60).contains("more: ← then ↑↓"))
    }

    @Test("the keys browser and key details fill the width below the token", arguments: sizes)
    func keysView(size: (width: Int, height: Int)) throws {
        var state = try demoState()
        state.handle(.tab)
        for detail in [false, true] {
            if detail { state.handle(.enter) }
            let screen = state.screen(width: size.width, height: size.height)
            try expectFrame(screen, size: size)
            let boxes = screen.boxes()
            #expect(boxes.broken.isEmpty, "\(boxes.broken) \(screen)")
            #expect(boxes.whole.count == 2)
            if let body = boxes.whole.last {
                #expect(body.left == 0 && body.right == size.width - 1 && body.bottom == size.height - 2)
            }
            #expect(screen.contains(detail ? "Key \"demo-rsa\"" : "\"demo-ed25519\""), "\(screen)")
        }
    }

    @Test("an open prompt sits between the panels and the status bar", arguments: sizes)
    func prompt(size: (width: Int, height: Int)) throws {
        var state = try demoState()
        state.handle(.character("j"))
        state.type(String(repeating: "x", count: 300))
        let screen = state.screen(width: size.width, height: size.height)
        try expectFrame(screen, size: size)
        #expect(screen.boxes().broken.isEmpty)
        let prompt = screen.rows[size.height - 2]
        #expect(prompt.hasPrefix(" JWKS URI (https://, http://, file:// or a path): …xxx"))
        // The end of what is typed stays in view, with the cursor.
        #expect(prompt.trimmedEnd.hasSuffix("xxx▏"))
        #expect((0..<size.width).allSatisfy { screen[$0, size.height - 2].role != .status })
    }

    @Test("below 40x12 a message replaces the layout", arguments: [(39, 24), (80, 11), (40, 2), (20, 1), (0, 0)])
    func tooSmall(size: (width: Int, height: Int)) throws {
        let screen = try demoState().screen(width: size.width, height: size.height)
        #expect(screen.width == size.width && screen.height == size.height)
        #expect(!screen.contains("┌"))
        if size.width >= 34, size.height >= 2 {
            #expect(screen.rows[0].hasPrefix("layabauth needs a 40x12 terminal"))
            #expect(screen.rows[1].hasPrefix("this one is \(size.width)x\(size.height); q quits"))
            #expect(screen.role(of: "layabauth needs") == .warning)
        }
    }

    /// Checks what every full-size screen has: its size, the title bar and the status bar.
    func expectFrame(_ screen: Screen, size: (width: Int, height: Int), sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(screen.rows.count == size.height, sourceLocation: sourceLocation)
        #expect(screen.rows.allSatisfy { $0.unicodeScalars.count == size.width }, "a row is not \(size.width) columns: \(screen)", sourceLocation: sourceLocation)
        #expect(screen.rows[0].hasPrefix(" LayabAuth inspector "), sourceLocation: sourceLocation)
        #expect(screen.rows[0].hasSuffix("? help  q quit "), sourceLocation: sourceLocation)
        #expect((0..<size.width).allSatisfy { screen[$0, 0].role == .title || screen[$0, 0].role == .demo }, sourceLocation: sourceLocation)
        #expect((0..<size.width).allSatisfy { screen[$0, size.height - 1].role == .status }, sourceLocation: sourceLocation)
    }
}

@Suite("Text that does not fit")
struct ClippingTests {
    @Test("a title cut at the edge ends in …")
    func title() throws {
        // "sample 5/7: missing the required scope write" does not fit beside the bar's other texts.
        let title = try demoState(sample: 4).screen(width: 80, height: 24).rows[0]
        #expect(title.contains("…"), "\(title)")
        #expect(title.hasSuffix("? help  q quit "))
    }

    @Test("a long claim wraps in the table and is whole in the wrapped Claims JSON")
    func longClaim() throws {
        let long = "https://" + String(repeating: "very-long-host-name.", count: 6) + "example/path"
        let issuer = try TestIssuer()
        var state = issuer.state(showing: try issuer.token(extra: [("website", .string(long))]))
        state.screenSize = (80, 24)
        // Wrapped, not cut, since issue 14.
        #expect(state.screen(width: 80, height: 24).row(containing: "website ")?.contains("…") == false)
        // The claims panel scrolled to its end, its column read as one text without the layout's spaces.
        for _ in 0..<12 { state.handle(.pageDown) }
        let screen = state.screen(width: 80, height: 24)
        let left = try #require(screen.find("┌─ Claims")).x
        let text = screen.column(from: left + 1, to: 79).joined().replacingOccurrences(of: " ", with: "")
        #expect(text.contains("\"website\":\"\(long)\""), "\(screen.dump)")
    }

    @Test("OpenID Connect standard claims are named in words")
    func claimWords() throws {
        let issuer = try TestIssuer()
        let token = try issuer.token(extra: [("nickname", "bobby"), ("phone_number", "+1 555 0100"), ("zoneinfo", "Europe/Paris"),
                                            ("address", ["country": "FR"])])
        let screen = issuer.state(showing: token).screen()
        for (claim, words) in [("nickname", "Nickname"), ("phone_number", "Phone number"), ("zoneinfo", "Time zone"), ("address", "Postal address")] {
            #expect(screen.row(containing: claim + " ")?.contains(words) == true, "\(claim): \(screen.dump)")
        }
    }

    @Test("a timestamp claim beyond any date is shown, its local time too, without stopping the inspector",
          arguments: [1e300, -1e300, 1e19])
    func timestampBeyondDates(seconds: Double) throws {
        let issuer = try TestIssuer()
        let token = try issuer.token(issuedAt: nil, extra: [("iat", .number(seconds))])
        let screen = issuer.state(showing: token).screen()
        #expect(screen.contains("local \(TimeText.iso8601(seconds))"), "\(screen.dump)")
    }

    @Test("the too-small message wraps to the width there is")
    func tooSmallWraps() throws {
        let screen = try demoState().screen(width: 20, height: 5)
        #expect(screen.rows[0].hasPrefix("layabauth needs a"))
        #expect(screen.rows[1].hasPrefix("40x12 terminal"))
        #expect(screen.rows[2].hasPrefix("this one is 20x5; q"))
    }
}
