@testable import LayabAuth
import Testing

/// Registered claims are found in one pass when `Claims` is made; every lookup must still give what a
/// search of the members gives, byte for byte.
@Suite("Claims: registered claims found in one pass")
struct RegisteredClaimTests {
    @Test("each registered name is recognised, and only its exact bytes")
    func names() {
        for claim in RegisteredClaim.allCases { #expect(RegisteredClaim(name: claim.name) == claim) }
        let others = ["EXP", "Exp", "ex", "exp ", " exp", "exp\u{0}", "scopesX", "scop", "sc", "", "ëxp", "e\u{301}xp", "aud\u{200B}",
                      "\u{212A}id", "scopes\u{0}", "nbf2", "issuer", "subject"]
        for name in others { #expect(RegisteredClaim(name: name) == nil, "\(name.debugDescription)") }
    }

    @Test("no two names of 1 to 7 bytes have the same short key")
    func shortKeys() {
        // Every name of 1 to 3 bytes over a small alphabet (NUL included), and lengths 4 to 7 of one letter
        // and of NUL bytes: a key must tell "a" from "a\0" and "\0\0\0\0" from "\0\0\0\0\0".
        let alphabet = Array("abejnopstuxy\u{0}".utf8)
        var names: [String] = []
        for a in alphabet {
            names.append(String(decoding: [a], as: UTF8.self))
            for b in alphabet {
                names.append(String(decoding: [a, b], as: UTF8.self))
                for c in alphabet { names.append(String(decoding: [a, b, c], as: UTF8.self)) }
            }
        }
        for length in 4...7 { names.append(String(repeating: "s", count: length)); names.append(String(repeating: "\u{0}", count: length)) }
        names.append("\u{E9}t\u{E9}")
        var seen: [UInt64: String] = [:]
        for name in names {
            guard let key = name.shortKey else { Issue.record("\(name.debugDescription) has no short key"); continue }
            if let earlier = seen[key] { Issue.record("\(earlier.debugDescription) and \(name.debugDescription) have the same key") }
            seen[key] = name
        }
        #expect("".shortKey == nil)
        #expect("abcdefgh".shortKey == nil)
        // A long string (in a buffer of its own) keys like a short one.
        let long = String(repeating: "x", count: 40)
        #expect(String(long.prefix(5)).shortKey == "xxxxx".shortKey)
    }

    static let objects: [(String, JSONObject)] = [
        ("empty", [:]),
        ("a typical access token", ["iss": "https://idp.example", "sub": "alice", "aud": ["api"], "exp": 1_800_000_600, "iat": 1_800_000_000,
                                     "scope": "read write", "jti": "id-1", "azp": "client"]),
        ("names that differ only in case or length", ["EXP": 1, "ex": 2, "expx": 3, "Scope": "x", "scopes": ["a"], "scp": "b"]),
        ("every registered claim", JSONObject(RegisteredClaim.allCases.map { ($0.name, JSONValue.string($0.name + "-value")) })),
        ("registered claims after 300 other members",
         JSONObject((0..<300).map { ("m\($0)", JSONValue.integer(Int64($0))) } + [("exp", 7), ("scope", "late"), ("sub", "bob")])),
    ]

    @Test("every lookup gives what a search of the members gives", arguments: objects)
    func lookups(_ name: String, _ object: JSONObject) {
        let claims = Claims(object)
        for claim in RegisteredClaim.allCases {
            #expect(claims[claim] == object[claim.name], "\(claim.name)")
            #expect(claims[claim.name] == object[claim.name], "\(claim.name)")
        }
        for member in object { #expect(claims[member.name] == member.value, "\(member.name)") }
        #expect(claims["missing"] == nil)
    }

    @Test("late registered claims are still found and checked")
    func lateClaims() throws {
        let claims = Claims(Self.objects[4].1)
        #expect(claims.expiresAt == 7)
        #expect(claims.subject == "bob")
        #expect(ScopeExtractor.standard.extract("", claims) == ["late"])
    }

    @Test("claims with the same members are equal and hash alike")
    func equality() {
        let a = Claims(["sub": "alice", "exp": 1]), b = Claims(["sub": "alice", "exp": 1])
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != Claims(["exp": 1, "sub": "alice"]))
    }
}
