import LayabAuth
import Testing

@Suite("Policy: scopes")
struct ScopePolicyTests {
    static func verify(_ claims: JSONObject, requiring scopes: ScopeRequirement?,
                       _ adjust: (inout VerifierConfiguration) -> Void = { _ in }) throws -> VerifiedToken
    {
        let (key, verifier) = try PolicyFixtures.ecSetup(adjust)
        return try verifier.verify(key.sign(claims: PolicyFixtures.validClaims(claims)), requiring: scopes)
    }

    static let grantingClaims: [(String, JSONObject)] = [
        ("scope, space-delimited", ["scope": "read write"]),
        ("scope with extra spaces", ["scope": "  read   write "]),
        ("scp as a string", ["scp": "read write"]),
        ("scp as an array", ["scp": ["read", "write"]]),
        ("scopes as an array", ["scopes": ["read", "write"]]),
        ("scope and scp together", ["scope": "read", "scp": ["write"]]),
        ("scp and scopes together", ["scp": "write", "scopes": ["read"]]),
    ]

    /// A space-delimited `scope` splits on the space byte when it is ASCII, short (held in the string
    /// itself) or long (in a buffer); other text splits on the space Character, so a space followed by a
    /// combining mark is no separator.
    static let splits: [(String, [String])] = [
        ("read write", ["read", "write"]),
        ("  read   write ", ["read", "write"]),
        ("", []),
        ("   ", []),
        ("x", ["x"]),
        ("org.example.read org.example.write-all  org.example.admin", ["org.example.read", "org.example.write-all", "org.example.admin"]),
        (String(repeating: "a", count: 40) + " " + String(repeating: "b", count: 40), [String(repeating: "a", count: 40), String(repeating: "b", count: 40)]),
        ("caf\u{E9} th\u{E9}", ["caf\u{E9}", "th\u{E9}"]),
        ("read \u{301}write", ["read \u{301}write"]),
        ("read\u{A0}write tab\tsep", ["read\u{A0}write", "tab\tsep"]),
    ]

    @Test("scope splits on spaces exactly", arguments: splits)
    func scopeSplit(_ text: String, _ expected: [String]) {
        let scopes = ScopeExtractor.standard.extract("", Claims(["scope": .string(text)]))
        #expect(scopes.map { Array($0.unicodeScalars) } == expected.map { Array($0.unicodeScalars) })
    }

    @Test("the standard extractor reads scope, scp and scopes", arguments: grantingClaims)
    func standardClaims(_ name: String, _ claims: JSONObject) throws {
        let verified = try Self.verify(claims, requiring: .all("read", "write"))
        #expect(Set(verified.scopes) == ["read", "write"])
    }

    @Test("the granted scopes are united without duplicates, in the order found")
    func union() throws {
        let verified = try Self.verify(["scope": "read write", "scp": ["write", "admin"], "scopes": ["read", "audit"]], requiring: nil)
        #expect(verified.scopes == ["read", "write", "admin", "audit"])
        // Two spellings of "café" are two scopes.
        let spellings = try Self.verify(["scope": "caf\u{E9}", "scp": ["cafe\u{301}"]], requiring: nil)
        #expect(spellings.scopes.map { Array($0.unicodeScalars) } == [Array("caf\u{E9}".unicodeScalars), Array("cafe\u{301}".unicodeScalars)])
    }

    static let refusedGrants: [Vector<(claims: JSONObject, requirement: ScopeRequirement)>] = [
        Vector("no scope claim at all", ([:], .all("read")), .insufficientScope),
        Vector("one of two missing", (["scope": "read"], .all("read", "write")), .insufficientScope),
        Vector("a prefix is not the scope", (["scope": "read:all"], .all("read")), .insufficientScope),
        Vector("a longer scope is not the scope", (["scope": "rea"], .all("read")), .insufficientScope),
        Vector("case matters", (["scope": "Read"], .all("read")), .insufficientScope),
        Vector("comma is not a delimiter", (["scope": "read,write"], .all("read")), .insufficientScope),
        Vector("tab is not a delimiter", (["scope": "read\twrite"], .all("read")), .insufficientScope),
        Vector("scope as an unsplit array element", (["scopes": ["read write"]], .all("read")), .insufficientScope),
        Vector("scp as a number", (["scp": 1], .all("read")), .insufficientScope),
        Vector("scope in another claim", (["roles": ["read"]], .all("read")), .insufficientScope),
        Vector("any: none of them", (["scope": "read"], .any("admin", "root")), .insufficientScope),
        Vector("decomposed é is another scope", (["scope": "cafe\u{301}"], .all("café")), .insufficientScope),
        Vector("the Kelvin sign is not K", (["scope": "\u{212A}ubernetes"], .all("Kubernetes")), .insufficientScope),
    ]

    @Test("missing scopes are insufficient_scope", arguments: refusedGrants)
    func refused(_ vector: Vector<(claims: JSONObject, requirement: ScopeRequirement)>) {
        let error = expectFailure(vector.code) { try Self.verify(vector.input.claims, requiring: vector.input.requirement) }
        #expect(error?.requiredScopes == vector.input.requirement.scopes)
        #expect(error?.httpStatus == 403)
    }

    @Test("any: one granted scope is enough", arguments: ["admin", "root"])
    func anyScope(_ granted: String) throws {
        #expect(throws: Never.self) { try Self.verify(["scope": .string("read \(granted)")], requiring: .any("admin", "root")) }
    }

    @Test("an empty requirement is always satisfied")
    func emptyRequirement() throws {
        #expect(throws: Never.self) { try Self.verify([:], requiring: ScopeRequirement([])) }
        #expect(throws: Never.self) { try Self.verify([:], requiring: ScopeRequirement([], mode: .any)) }
    }

    @Test("the error lists exactly the missing scopes")
    func exactlyWhichAreMissing() throws {
        let requirement = ScopeRequirement.all("a", "b", "c", "d")
        let evaluation = requirement.evaluate(granted: ["d", "x", "b"])
        #expect(evaluation.missing == ["a", "c"])
        #expect(evaluation.present == ["b", "d"])
        #expect(!evaluation.isSatisfied)
        let error = expectFailure(.insufficientScope) { try Self.verify(["scope": "d x b"], requiring: requirement) }
        #expect(error?.message == "missing scopes [a, c]; the token grants [d, x, b]", "message: \(error?.message ?? "-")")
        let single = expectFailure(.insufficientScope) { try Self.verify([:], requiring: .all("admin")) }
        #expect(single?.message == "missing scope [admin]; the token grants no scopes", "message: \(single?.message ?? "-")")
        let any = expectFailure(.insufficientScope) { try Self.verify(["scope": "read"], requiring: .any("admin", "root")) }
        #expect(any?.message == "none of the accepted scopes [admin, root] is granted; the token grants [read]", "message: \(any?.message ?? "-")")
    }

    @Test("a custom extractor receives the raw token and the claims")
    func customExtractor() throws {
        let (key, _) = try PolicyFixtures.ecSetup()
        let token = try key.sign(claims: PolicyFixtures.validClaims(["realm_access": ["roles": ["reader", "auditor"]], "scope": "write"]))
        let extractor = ScopeExtractor { raw, claims in
            // Keycloak-style roles, and proof that the raw token arrives.
            guard raw == token else { return ["raw token not passed"] }
            return claims["realm_access"]?["roles"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        let verifier = PolicyFixtures.verifier([key.verificationKey]) { $0.scopeExtractor = extractor }
        #expect(try verifier.verify(token, requiring: .all("reader", "auditor")).scopes == ["reader", "auditor"])
        // The standard claims are not read by a custom extractor.
        expectFailure(.insufficientScope) { try verifier.verify(token, requiring: .all("write")) }
    }

    @Test("ScopeExtractor.claim reads one claim only")
    func singleClaimExtractor() throws {
        let claims: JSONObject = ["permissions": ["orders:read", "orders:write"], "scope": "admin"]
        let verified = try Self.verify(claims, requiring: .all("orders:read")) { $0.scopeExtractor = .claim("permissions") }
        #expect(verified.scopes == ["orders:read", "orders:write"])
        expectFailure(.insufficientScope) { try Self.verify(claims, requiring: .all("admin")) { $0.scopeExtractor = .claim("permissions") } }
    }

    @Test("insufficient_scope is 403 with error and scope in WWW-Authenticate (RFC 6750 §3.1)")
    func insufficientScopeMapping() throws {
        let error = try #require(expectFailure(.insufficientScope) { try Self.verify(["scope": "read"], requiring: .all("read", "admin")) })
        #expect(error.httpStatus == 403)
        #expect(error.oauthError == "insufficient_scope")
        let header = error.wwwAuthenticate(realm: "api")
        #expect(header.hasPrefix("Bearer realm=\"api\", error=\"insufficient_scope\", error_description=\""), "header: \(header)")
        #expect(header.hasSuffix(", scope=\"read admin\""), "header: \(header)")
    }

    @Test("scopes are checked after the claims: an expired token is expired, whatever its scopes")
    func scopeAfterClaims() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try key.sign(claims: ["exp": .integer(PolicyFixtures.nowSeconds - 3600)])
        expectFailure(.expired) { try verifier.verify(token, requiring: .all("admin")) }
    }
}
