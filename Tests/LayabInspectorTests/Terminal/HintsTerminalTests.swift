import Foundation
import LayabAuth
import Testing

/// Issue 14, "hints a person debugging a 401 needs", in the real inspector in a real terminal (tmux): the
/// verification panel shows the same hints as `layabauth verify`, from the one list in the report.
@Suite("Claim hints in a terminal (issue 14)", .serialized)
struct HintsTerminalTests {
    static func session(claims: JSONObject, arguments: [String]) throws -> (TmuxSession, Scratch) {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.es256, kid: "hint-1")
        var members = claims
        members["exp"] = .integer(Int64(Date().timeIntervalSince1970) + 3600)
        let pem = try scratch.write("key.pem", try #require(key.verificationKey.pem))
        let session = try TmuxSession(["inspect", "--key", pem] + arguments + [try key.sign(claims: members)], width: 200, height: 60)
        return (session, scratch)
    }

    /// The text of the Verification panel (the left one of the two side by side), its wrapped lines joined
    /// with single spaces.
    static func verificationPanel(_ screen: String) -> String {
        let rows = screen.split(separator: "\n").compactMap { line -> Substring? in
            guard let end = line.range(of: "││") else { return nil }
            return line[..<end.lowerBound].drop { $0 == " " || $0 == "│" }
        }
        return rows.joined(separator: " ").split(separator: " ").joined(separator: " ")
    }

    @Test("an issuer with a trailing slash, an audience in other case, a scope the token nearly grants: each is a hint")
    func nearMisses() async throws {
        let (session, scratch) = try Self.session(
            claims: ["iss": "https://issuer.hint/", "sub": "erin", "aud": "Orders-API", "scope": "api:res07:read"],
            arguments: ["--issuer", "https://issuer.hint", "--audience", "orders-api", "--scope", "api:res07:write"])
        defer { session.close(); _ = scratch }
        let screen = try await session.waitFor("issuer_mismatch", "hint")
        let flat = Self.verificationPanel(screen)
        for fragment in ["only by a trailing slash", "only by letter case", "grants \"api:res07:read\""] {
            #expect(flat.contains(fragment), "\(fragment) in:\n\(screen)")
        }
        _ = try await session.quit()
    }

    @Test("an ID token (nonce, aud equal to azp): the hint says so")
    func idToken() async throws {
        let (session, scratch) = try Self.session(
            claims: ["iss": "https://issuer.hint", "sub": "erin", "aud": "web-client", "azp": "web-client", "nonce": "n-0S6"],
            arguments: ["--audience", "orders-api"])
        defer { session.close(); _ = scratch }
        let screen = try await session.waitFor("audience_mismatch", "OpenID Connect ID token")
        #expect(Self.verificationPanel(screen).contains("hint this looks like an OpenID Connect ID token, not an access token: it carries \"nonce\""),
                "\(screen)")
        _ = try await session.quit()
    }
}
