import Foundation
import LayabAuth
@testable import LayabInspector
import Testing

/// Issue 14, copy out: `y` (clipboard) and `w` (file) then a key copy the token, the header or claims JSON,
/// or the selected key's JWK or PEM, as text without the screen's borders and indentation.
@Suite("Copy out (issue 14)")
struct CopyOutTests {
    static func copy(_ state: inout InspectorState, _ menu: Character, _ item: Character) -> [InspectorState.Effect] {
        #expect(state.handle(.character(menu)).isEmpty)
        #expect(state.notice == CopyOut.menu(menu == "y" ? .clipboard : .file))
        return state.handle(.character(item))
    }

    static func copied(_ effects: [InspectorState.Effect]) -> CopyOut.Copy? {
        guard effects.count == 1, case let .copyOut(copy) = effects[0] else { return nil }
        return copy
    }

    @Test("y t copies the token as verified, y c the claims as pretty JSON, y h the header: no borders, no screen indentation")
    func tokenAndJSON() throws {
        let issuer = try TestIssuer()
        let token = try issuer.token()
        var state = issuer.state(showing: "Bearer " + token.prefix(40) + "\n  " + token.dropFirst(40))
        let tokenCopy = try #require(Self.copied(Self.copy(&state, "y", "t")))
        #expect(tokenCopy.text == token)
        #expect(tokenCopy.destination == .clipboard)
        // c in the menu picks the claims; it does not clear the token.
        let claims = try #require(Self.copied(Self.copy(&state, "y", "c")))
        #expect(state.token == token)
        let decoded = try Verifier.decodeUnverified(token)
        #expect(claims.text == decoded.claims?.json.prettyJSONText())
        #expect(claims.text.hasPrefix("{\n  \"iss\": \"https://issuer.test\",\n  \"sub\": \"bob\","), "\(claims.text)")
        #expect(!claims.text.contains("│") && !claims.text.contains("─"))
        let parsed = try JSONSerialization.jsonObject(with: Data(claims.text.utf8)) as? [String: Any]
        #expect(parsed?["sub"] as? String == "bob")
        let header = try #require(Self.copied(Self.copy(&state, "y", "h")))
        #expect(header.text == "{\n  \"alg\": \"ES256\",\n  \"typ\": \"JWT\",\n  \"kid\": \"test-key\"\n}", "\(header.text)")
    }

    @Test("w then a key: a copy for a file, named after the item and the key's kid (made safe)")
    func fileNames() throws {
        let issuer = try TestIssuer(kid: "../evil kid\u{1B}[2J")
        var state = issuer.state(showing: try issuer.token())
        #expect(Self.copied(Self.copy(&state, "w", "t"))?.fileName == "layabauth-token.txt")
        #expect(Self.copied(Self.copy(&state, "w", "c"))?.fileName == "layabauth-claims.json")
        let jwk = try #require(Self.copied(Self.copy(&state, "w", "j")))
        #expect(jwk.destination == .file)
        #expect(jwk.fileName == "layabauth-key-___evil_kid__2J.jwk.json")
        #expect(Self.copied(Self.copy(&state, "w", "p"))?.fileName == "layabauth-key-___evil_kid__2J.pem")
    }

    @Test("the selected key's JWK and PEM; an HMAC secret is never copied out")
    func keys() throws {
        let issuer = try TestIssuer()
        let other = try SigningKey.generate(.rs256, kid: "second")
        var state = issuer.state(showing: try issuer.token())
        state.keys = KeySet(keys: [issuer.key.verificationKey, other.verificationKey])
        state.handle(.tab)
        state.handle(.down)
        let jwk = try #require(Self.copied(Self.copy(&state, "y", "j")))
        #expect(jwk.text == JSONValue.object(other.verificationKey.publicJWK).prettyJSONText())
        #expect(jwk.text.contains("\"kid\": \"second\"") && jwk.text.contains("\"kty\": \"RSA\""), "\(jwk.text)")
        let pem = try #require(Self.copied(Self.copy(&state, "y", "p")))
        #expect(pem.text == other.verificationKey.pem)
        #expect(pem.text.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))

        state.keys = KeySet(keys: [try VerificationKey(hmacSecret: Array(repeating: 7, count: 32))])
        state.keySelection = 0
        #expect(Self.copy(&state, "y", "j").isEmpty)
        #expect(state.notice == "nothing copied: the key is an HMAC secret: secrets are not copied out")
        #expect(Self.copy(&state, "y", "p").isEmpty)
    }

    @Test("nothing to copy, Esc or another key: nothing copied, the menu closes, the next key works as usual")
    func nothing() throws {
        var state = InspectorState()
        #expect(Self.copy(&state, "y", "t").isEmpty)
        #expect(state.notice == "nothing copied: no token to copy")
        #expect(Self.copy(&state, "y", "j").isEmpty)
        #expect(state.notice == "nothing copied: no key to copy (Tab: key browser)")
        state.tokenText = "not.a.token"
        #expect(Self.copy(&state, "y", "c").isEmpty)
        #expect(state.notice?.hasPrefix("nothing copied: the token does not decode: ") == true, "\(state.notice ?? "-")")
        #expect(Self.copy(&state, "y", "x").isEmpty)
        #expect(state.notice == "nothing copied: y then t, h, c, j or p")
        state.handle(.character("y"))
        state.handle(.escape)
        #expect(state.notice == "nothing copied")
        #expect(state.copyMenu == nil)
        state.handle(.character("?"))
        #expect(state.showHelp)
    }

    @Test("OSC 52: ESC ] 52 ; c ; base64 BEL, which decodes back to the text")
    func osc52() throws {
        let text = "eyJhbGciOiJFUzI1NiJ9.e30.sig\n{\"é\": 1}"
        let sequence = Clipboard.sequence(for: text)
        #expect(sequence.hasPrefix("\u{1B}]52;c;") && sequence.hasSuffix("\u{07}"))
        let payload = String(sequence.dropFirst(7).dropLast())
        #expect(Data(base64Encoded: payload).map { String(decoding: $0, as: UTF8.self) } == text)
    }

    @Test("a file copy is a new file of mode 600 with a final line break; an existing file is never overwritten")
    func files() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("layabauth-copy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try CopyFile.create("token-one", named: "layabauth-key-k1.jwk.json", in: directory)
        let second = try CopyFile.create("token-two", named: "layabauth-key-k1.jwk.json", in: directory)
        #expect(first == directory + "/layabauth-key-k1.jwk.json")
        #expect(second == directory + "/layabauth-key-k1-2.jwk.json")
        #expect(try String(contentsOfFile: first, encoding: .utf8) == "token-one\n")
        #expect(try String(contentsOfFile: second, encoding: .utf8) == "token-two\n")
        let mode = try FileManager.default.attributesOfItem(atPath: first)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: CopyFile.Failure.self) { try CopyFile.create("x", named: "a.txt", in: directory + "/missing") }
    }
}
