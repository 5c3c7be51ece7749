import Foundation
import LayabAuth
import Testing

/// Sender-constrained tokens in the real inspector in a real terminal (tmux): a bound token shows its
/// binding with no proof, `P` and `R` give the proof and its request, and every binding check is listed
/// beside the server's answer.
@Suite("DPoP binding in a terminal (RFC 9449)", .serialized)
struct DPoPTerminalTests {
    static let url = "https://api.test/orders"

    /// An issuer key file, a DPoP key, and a token bound to it.
    struct Setup {
        let scratch: Scratch
        let issuerKey: String
        let dpopKey: SigningKey
        let token: String

        init() throws {
            scratch = try Scratch()
            let key = try SigningKey.generate(.es256, kid: "dpop-issuer")
            issuerKey = try scratch.write("key.pem", try #require(key.verificationKey.pem))
            dpopKey = try SigningKey.generate(.es256)
            token = try key.sign(claims: ["sub": "erin", "exp": .integer(Int64(Date().timeIntervalSince1970) + 3600),
                                          "cnf": .object(["jkt": .string(dpopKey.verificationKey.thumbprint)])])
        }

        func proof(method: String = "GET") throws -> String {
            try DPoPProof.make(method: method, url: DPoPTerminalTests.url, accessToken: token, key: dpopKey)
        }
    }

    @Test("a bound token without a proof is refused as Bearer; P and R give the proof and request, and every check passes")
    func pasteProof() async throws {
        let setup = try Setup()
        let session = try TmuxSession(["inspect", "--key", setup.issuerKey, setup.token], width: 200, height: 60)
        defer { session.close() }
        let bearer = try await session.waitFor("Binding", "401 Unauthorized")
        let flat = HintsTerminalTests.verificationPanel(bearer)
        #expect(flat.contains("bound to key \(setup.dpopKey.verificationKey.thumbprint): a server refuses it as Bearer"), "\(bearer)")
        #expect(flat.contains("scheme FAIL binding_mismatch"), "\(bearer)")
        #expect(flat.contains("sender constraint ok bound by cnf"), "\(bearer)")
        #expect(flat.contains("WWW-Authenticate: DPoP error=\"invalid_token\""), "\(bearer)")

        try session.press("R")
        _ = try await session.waitFor("Request: method and URL")
        try session.press("C-u")
        try session.type("GET \(Self.url)")
        try session.press("Enter")
        _ = try await session.waitFor("request GET \(Self.url)")
        try session.press("P")
        _ = try await session.waitFor("DPoP proof (empty: sent as Bearer)")
        try session.paste(try setup.proof())
        try session.press("Enter")
        let accepted = try await session.waitFor("bound to DPoP key", "200 OK")
        let checks = HintsTerminalTests.verificationPanel(accepted)
        for fragment in ["cnf.jkt ok", "htm ok GET", "htu ok \(Self.url)", "proof iat ok", "ath ok", "jti replay skip"] {
            #expect(checks.contains(fragment), "\(fragment) in:\n\(accepted)")
        }
        #expect(!checks.contains("FAIL"), "\(accepted)")
        _ = try await session.quit()
    }

    @Test("--dpop for another method: htm fails, and the 401 carries the DPoP challenge; it fits 80x24")
    func mismatchAtStart() async throws {
        let setup = try Setup()
        let proof = try setup.scratch.write("proof.txt", try setup.proof(method: "POST"))
        for (width, height) in [(200, 60), (80, 24)] {
            let session = try TmuxSession(["inspect", "--key", setup.issuerKey, "--dpop", "@" + proof, "--htm", "GET", "--htu", Self.url, setup.token],
                                          width: width, height: height)
            defer { session.close() }
            let screen = try await session.waitFor("htm", "401 Unauthorized")
            let flat = HintsTerminalTests.verificationPanel(screen)
            // At 80x24 the checks scroll (← then ↑↓) above the answer, which stays in view and names the failure.
            if width == 200 { #expect(flat.contains("htm FAIL invalid_dpop_proof"), "\(screen)") }
            #expect(flat.contains("WWW-Authenticate: DPoP error=\"invalid_dpop_proof\""), "\(width)x\(height):\n\(screen)")
            #expect(flat.contains("htm is 'POST', the request's method is GET"), "\(width)x\(height):\n\(screen)")
            _ = try await session.quit()
        }
    }
}
