import LayabAuth
import LayabInspector
import Testing

/// Issue 14, "show everything that decodes, exactly", on the rendered screen.
@Suite("Everything that decodes, shown exactly (issue 14)")
struct DecodedDisplayTests {
    static func base64(_ json: String) -> String { Base64URL.encode(Array(json.utf8)) }

    func screen(_ token: String, width: Int = 200, height: Int = 120) throws -> Screen {
        try TestIssuer().state(showing: token).screen(width: width, height: height)
    }

    @Test("a damaged signature segment, a cut-off one and a token over 16 KiB show their header and claims under the refusal",
          arguments: ["damaged", "cut off", "oversized"])
    func refusedButDecoded(_ damage: String) throws {
        let issuer = try TestIssuer()
        var token = try issuer.token(extra: damage == "oversized" ? [("pad", .string(String(repeating: "x", count: 17 * 1024)))] : [])
        if damage == "damaged" { token = String(token.dropLast(4)) + "*!*!" }
        if damage == "cut off", let dot = token.lastIndex(of: ".") { token = String(token[..<dot]) }
        let screen = issuer.state(showing: token).screen(width: 200, height: 120)
        #expect(!screen.contains("Nothing decoded."), "\(screen.dump)")
        #expect(screen.contains("Refused by every verifier: \(damage == "oversized" ? "token_too_large" : "malformed")"), "\(screen.dump)")
        #expect(screen.row(containing: "iss ")?.contains(#"Issuer    "https://issuer.test""#) == true, "\(screen.dump)")
        #expect(screen.row(containing: "kid ")?.contains(#""test-key""#) == true, "\(screen.dump)")
        if damage == "oversized" { #expect(screen.contains("more characters, all in the JSON below"), "\(screen.dump)") }
    }

    @Test("a JWE's protected header: alg, enc and kid")
    func encryptedHeader() throws {
        let header = Self.base64(#"{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"enc-key-1"}"#)
        let screen = try screen("\(header).a2V5.aXY.Y2lwaGVydGV4dA.dGFn")
        #expect(screen.contains("Refused by every verifier: encrypted_token_unsupported"), "\(screen.dump)")
        #expect(screen.contains("Protected header"), "\(screen.dump)")
        #expect(screen.contains(#""enc": "A256GCM""#) && screen.contains("Content encryption"), "\(screen.dump)")
        #expect(screen.contains(#""kid": "enc-key-1""#), "\(screen.dump)")
        #expect(screen.contains("Payload encrypted (JWE): 10 bytes of ciphertext, not decrypted"), "\(screen.dump)")
    }

    @Test("claim names are never cut: a GitHub Actions token's repository_… claims each read whole")
    func namesWhole() throws {
        let issuer = try TestIssuer()
        let names = ["repository_owner_id", "repository_visibility", "repository_id", "repository_owner", "job_workflow_ref",
                     "preferred_username", "a_claim_name_longer_than_a_third_of_the_panel_width"]
        let token = try issuer.token(extra: names.map { ($0, .string("value-of-\($0)")) })
        for width in [200, 120] {
            let screen = issuer.state(showing: token).screen(width: width, height: 160)
            for name in names {
                #expect(screen.contains(name + " "), "\(name) at width \(width): \(screen.dump)")
            }
            #expect(!screen.contains("repository_…"), "\(screen.dump)")
        }
    }

    @Test("integers print as the token has them, beyond Int64 too")
    func bigIntegers() throws {
        let header = Self.base64(#"{"alg":"ES256","kid":"test-key"}"#)
        let payload = Self.base64(#"{"sub":"bob","big":123456789012345678901234567890,"neg":-98765432109876543210,"f":0.10000000000000000000001}"#)
        let screen = try screen("\(header).\(payload).c2ln")
        #expect(!screen.contains("e+29"), "\(screen.dump)")
        #expect(screen.contains(#""big": 123456789012345678901234567890,"#), "\(screen.dump)")
        #expect(screen.row(containing: "big ")?.contains("123456789012345678901234567890") == true, "\(screen.dump)")
        #expect(screen.contains("-98765432109876543210"), "\(screen.dump)")
        #expect(screen.contains("0.10000000000000000000001"), "\(screen.dump)")
    }

    @Test("combining marks and joiners are kept in their cell and their code points shown")
    func combiningAndJoiners() throws {
        let issuer = try TestIssuer()
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}"
        let token = try issuer.token(extra: [("nfd", .string("e\u{301}\u{301}\u{301}")), ("family", .string(family)),
                                            ("hidden", .string("ad\u{200B}min\u{202E}txt"))])
        let screen = issuer.state(showing: token).screen(width: 200, height: 120)
        // The JSON keeps e with its three accents in one cell, the family in one wide cell.
        #expect(screen.contains(#""nfd": "e\#u{301}\#u{301}\#u{301}""#), "\(screen.dump)")
        #expect(screen.contains(#""family": "\#(family)""#), "\(screen.dump)")
        let accented = try #require(screen.find("\"e", inRowContaining: "\"nfd\""))
        #expect(screen[accented.x + 1, accented.y].combining == ["\u{301}", "\u{301}", "\u{301}"])
        #expect(screen[accented.x + 2, accented.y].scalar == "\"")
        let people = try #require(screen.find("\"\u{1F468}", inRowContaining: "\"family\""))
        #expect(screen[people.x + 1, people.y].scalars == Array(family.unicodeScalars))
        #expect(screen[people.x + 2, people.y].scalar == nil && screen[people.x + 3, people.y].scalar == "\"")
        // The code points tell NFC from NFD, and show the invisible and the bidi override.
        #expect(screen.contains(#"value code points e\u{301}\u{301}\u{301}"#), "\(screen.dump)")
        #expect(screen.contains(#"value code points \#u{1F468}\u{200d}\#u{1F469}"#), "\(screen.dump)")
        #expect(screen.contains(#""hidden": "ad\u{200b}min\u{202e}txt""#), "\(screen.dump)")
    }

    @Test("long ages read as years, months and days")
    func longAges() throws {
        let issuer = try TestIssuer()
        // iat 2023-03-01T00:00:00Z, the clock at 2027-01-15T08:00:00Z.
        let token = try issuer.token(issuedAt: 1_677_628_800 - fixedNow)
        let screen = issuer.state(showing: token).screen(width: 200, height: 120)
        #expect(screen.contains("2023-03-01T00:00:00Z  3y 10m 14d ago"), "\(screen.dump)")
        #expect(!screen.contains("1416d"), "\(screen.dump)")
    }
}
