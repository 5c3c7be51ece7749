@testable import LayabAuth
import Testing

/// The parser finds a token's registered claims and header members while it reads them (`JSONParser.parse(_:finding:)`),
/// before it makes strings of their names. What it finds must be exactly what a search of the parsed members finds,
/// and duplicates must be refused exactly as before.
@Suite("Parser: registered members found while reading")
struct ParsedMemberTests {
    /// Claims as a token's payload makes them.
    static func parsedClaims(_ text: String) throws -> Claims {
        let bytes = Array(text.utf8)
        let (value, positions) = try bytes.withUnsafeBufferPointer { try JSONParser.parse($0, finding: RegisteredClaim.names.known) }
        let object = try #require(value.objectValue)
        return Claims(object, positions: positions)
    }

    @Test("claims found by the parser answer every lookup as claims made from the members", arguments: RegisteredClaimTests.objects)
    func sameAsSearch(_ name: String, _ object: JSONObject) throws {
        let claims = try Self.parsedClaims(JSONValue.object(object).jsonText)
        for claim in RegisteredClaim.allCases {
            #expect(claims[claim] == object[claim.name], "\(claim.name)")
        }
        #expect(claims == Claims(object))
    }

    @Test("a name written with escapes is the same name")
    func escapedName() throws {
        let claims = try Self.parsedClaims(#"{"\u0065xp": 1800000000, "s\u0063ope": "read", "\u0069ss": "https://idp.example"}"#)
        #expect(claims.expiresAt == 1_800_000_000)
        #expect(claims.issuer == "https://idp.example")
        #expect(claims[.scope] == .string("read"))
    }

    @Test("a registered name twice is refused, whichever spelling comes first", arguments: [
        #"{"exp": 1, "exp": 2}"#,
        #"{"exp": 1, "\u0065xp": 2}"#,
        #"{"\u0065xp": 1, "exp": 2}"#,
        #"{"scope": "a", "sub": "x", "aud": "y", "scope": "b"}"#,
    ])
    func duplicates(_ text: String) {
        #expect(throws: JSONParseError.self) { try Self.parsedClaims(text) }
        // The plain parser refuses the same documents.
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test("names that only resemble a registered one are other members", arguments: [
        #"{"EXP": 1}"#, #"{"exp ": 1}"#, #"{"ex": 1}"#, #"{"expx": 1}"#, #"{"exp\u0000": 1}"#, #"{"ëxp": 1}"#, #"{"scopes_": "a"}"#,
    ])
    func lookalikes(_ text: String) throws {
        let claims = try Self.parsedClaims(text)
        for claim in RegisteredClaim.allCases { #expect(claims[claim] == nil, "\(claim.name)") }
        #expect(claims.members.count == 1)
    }

    @Test("only the top-level object's members are registered claims")
    func nested() throws {
        let claims = try Self.parsedClaims(#"{"act": {"sub": "admin", "exp": 5}, "list": [{"iss": "x"}], "sub": "alice"}"#)
        #expect(claims.subject == "alice")
        #expect(claims.expiresAt == nil)
        #expect(claims.issuer == nil)
        // The nested objects keep their members.
        #expect(claims["act"]?["sub"] == .string("admin"))
    }

    @Test("registered claims beyond 32,767 members are still found")
    func farMembers() throws {
        // Only a token decoded for display can be this large; its registered claims must still be found.
        let members = (0..<40_000).map { "\"m\($0)\":0" }.joined(separator: ",")
        let text = "{\(members),\"exp\":1800000000,\"sub\":\"far\"}"
        let claims = try Self.parsedClaims(text)
        #expect(claims.expiresAt == 1_800_000_000)
        #expect(claims.subject == "far")
        let object = try #require(try JSONParser.parse(text).objectValue)
        #expect(Claims(object).expiresAt == 1_800_000_000)
        #expect(Claims(object).subject == "far")
    }

    @Test("the header's members are found by the parser, escaped spellings too")
    func header() throws {
        let header = #"{"\u0061lg":"HS256","typ":"at+jwt","kid":"k1"}"#
        let token = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(#"{"sub":"a"}"#.utf8)) + ".c2ln"
        let decoded = try DecodedToken.decode(token)
        #expect(decoded.header.algorithm == .hs256)
        #expect(decoded.header.type == "at+jwt")
        #expect(decoded.header.kid == "k1")
        let duplicate = #"{"alg":"HS256","\u0061lg":"none"}"#
        let refused = Base64URL.encode(Array(duplicate.utf8)) + "." + Base64URL.encode(Array(#"{"sub":"a"}"#.utf8)) + ".c2ln"
        #expect(throws: LayabAuthError.self) { try DecodedToken.decode(refused) }
    }

    @Test("tables of lowercase names skip the second duplicate check; others do not")
    func canonicalUniqueness() {
        #expect(RegisteredClaim.names.known.namesAreCanonicallyUnique)
        #expect(JOSEHeader.memberNames.namesAreCanonicallyUnique)
        // "ES256K": a name with capitals could, in principle, have canonically equivalent spellings (the Kelvin sign is "K").
        #expect(!KnownNames(Algorithm.allCases.map(\.rawValue)).namesAreCanonicallyUnique)
    }

    @Test("every algorithm name is found, and only it")
    func algorithms() {
        for algorithm in Algorithm.allCases { #expect(Algorithm.named(algorithm.rawValue) == algorithm) }
        for name in ["hs256", "HS256 ", "HS25", "\u{212A}", "ES256K\u{0}", "Ed25519x", "", "RS256\u{0}\u{0}"] {
            #expect(Algorithm.named(name) == nil, "\(name.debugDescription)")
        }
    }
}
