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

    @Test("a member name is found exactly when its bytes are a registered name's")
    func exactLookup() {
        // Every name of 1 to 3 bytes over a small alphabet (NUL included), every registered name with a byte
        // added, and lengths 4 to 7: a lookup must tell "iss" from "is" and "iss\0", "scope" from "scopes".
        let alphabet = Array("abcdeijnopstuxy\u{0}".utf8)
        var names: [String] = RegisteredClaim.allCases.flatMap { [$0.name + "\u{0}", $0.name + "s", "x" + $0.name, String($0.name.dropLast())] }
        for a in alphabet {
            names.append(String(decoding: [a], as: UTF8.self))
            for b in alphabet {
                names.append(String(decoding: [a, b], as: UTF8.self))
                for c in alphabet { names.append(String(decoding: [a, b, c], as: UTF8.self)) }
            }
        }
        for length in 4...7 { names.append(String(repeating: "s", count: length)); names.append(String(repeating: "\u{0}", count: length)) }
        let registered = Dictionary(uniqueKeysWithValues: RegisteredClaim.allCases.map { (Array($0.name.utf8), $0) })
        for name in names {
            #expect(RegisteredClaim(name: name) == registered[Array(name.utf8)], "\(name.debugDescription)")
        }
        // A string in a buffer of its own (not a small string) is found like a literal.
        let long = String(repeating: "x", count: 40) + "scopes"
        #expect(RegisteredClaim(name: String(long.suffix(6))) == .scopes)
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
