import LayabInspector
import Testing

/// Between 40x12 and 80x24 the inspector shows a compact view instead of a message.
@Suite("Compact layout")
struct CompactLayoutTests {
    static let sizes = [(79, 24), (80, 23), (60, 15), (40, 12)]

    @Test("below 80x24 the verdict, the signature word, the failures and the server answer are shown", arguments: sizes)
    func compact(size: (width: Int, height: Int)) throws {
        for sample in 0..<7 {
            let screen = try demoState(sample: sample).screen(width: size.width, height: size.height)
            #expect(!screen.contains("needs a"), "sample \(sample) at \(size): \(screen.dump)")
            #expect(screen.rows[0].hasSuffix("? help  q quit "), "sample \(sample) at \(size): \(screen.dump)")
            #expect(screen.row(containing: "Verdict    ") != nil, "sample \(sample) at \(size): \(screen.dump)")
            #expect(screen.contains("Signature  "), "sample \(sample) at \(size): \(screen.dump)")
            #expect(screen.contains("Server     "), "sample \(sample) at \(size): \(screen.dump)")
            #expect((0..<size.width).allSatisfy { screen[$0, size.height - 1].role == .status })
            #expect(screen.rows.allSatisfy { $0.unicodeScalars.count == size.width })
        }
        let expired = try demoState(sample: 2).screen(width: size.width, height: size.height)
        #expect(expired.contains("Verdict    REFUSED"), "\(expired.dump)")
        #expect(expired.contains("exp  FAIL expired"), "\(expired.dump)")
        #expect(expired.contains("Server     401 Unauthorized"), "\(expired.dump)")
        let valid = try demoState(sample: 0).screen(width: size.width, height: size.height)
        #expect(valid.contains("Verdict    ACCEPTED") && valid.contains("Signature  VALID") && valid.contains("Server     200 OK"), "\(valid.dump)")
        #expect(valid.role(of: "ACCEPTED") == .ok)
    }

    @Test("in the compact view the server answer stays together, its header right under its status")
    func answerTogether() throws {
        let screen = try demoState(sample: 4).screen(width: 40, height: 12)
        #expect(screen.contains("scope FAIL missing write"), "\(screen.dump)")
        let status = try #require(screen.find("Server     403 Forbidden"), "\(screen.dump)")
        #expect(screen.rows[status.y + 1].contains("WWW-Authenticate: Bearer"), "\(screen.dump)")
        // Wrapped, not cut: the challenge is readable to its end.
        #expect(!screen.rows.dropFirst().dropLast().contains { $0.contains("…") }, "\(screen.dump)")
        #expect(screen.contains("scope=\"read write\""), "\(screen.dump)")
    }

    @Test("failures that do not fit are counted; the answer keeps its rows")
    func overflow() throws {
        var state = try demoState(sample: 2)
        state.set("s", to: (1...12).map { "scope-\($0)" }.joined(separator: " "))
        state.set("i", to: "https://another-issuer.example")
        let screen = state.screen(width: 40, height: 12)
        #expect(screen.contains("more lines: 80x24 shows all"), "\(screen.dump)")
        #expect(screen.contains("Server     401 Unauthorized"), "\(screen.dump)")
        #expect(screen.contains("Verdict    REFUSED"), "\(screen.dump)")
    }

    @Test("a prompt opened in the compact view takes the row above the status bar")
    func prompt() throws {
        var state = try demoState()
        state.handle(.character("s"))
        let screen = state.screen(width: 60, height: 15)
        #expect(screen.rows[13].hasPrefix(" Required scopes"), "\(screen.dump)")
        state.handle(.escape)
        state.handle(.character("j"))
        // A label wider than the terminal is cut, and nothing traps.
        let narrow = state.screen(width: 40, height: 12)
        #expect(narrow.rows[10].hasPrefix(" JWKS URI"), "\(narrow.dump)")
    }

    @Test("below 40x12 a message says what is needed", arguments: [(39, 24), (80, 11), (20, 1), (0, 0)])
    func tooSmall(size: (width: Int, height: Int)) throws {
        let screen = try demoState().screen(width: size.width, height: size.height)
        #expect(screen.width == size.width && screen.height == size.height)
        if size.width >= 34, size.height >= 2 {
            #expect(screen.rows[0].hasPrefix("layabauth needs a 40x12 terminal"), "\(screen.dump)")
            #expect(screen.role(of: "layabauth needs") == .warning)
        }
    }
}
