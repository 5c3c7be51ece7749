import LayabAuth
import Testing

@Suite("Policy: bearer extraction (RFC 6750 §2.1)")
struct BearerPolicyTests {
    @Test("the scheme is matched case-insensitively", arguments: ["Bearer", "bearer", "BEARER", "bEaReR"])
    func schemeCase(_ scheme: String) throws {
        #expect(try BearerCredential.extract(fromAuthorization: "\(scheme) abc.def.ghi") == "abc.def.ghi")
    }

    @Test("every b64token character is accepted, with trailing '=' padding")
    func fullAlphabet() throws {
        let token = "AZaz09-._~+/=="
        #expect(try BearerCredential.extract(fromAuthorization: "Bearer \(token)") == token)
    }

    @Test("surrounding whitespace of the header value is not part of the token")
    func surroundingWhitespace() throws {
        #expect(try BearerCredential.extract(fromAuthorization: "  Bearer a.b.c  ") == "a.b.c")
    }

    static let refused: [Vector<String?>] = [
        Vector("no Authorization header", nil, .missingToken),
        Vector("empty header", "", .missingToken),
        Vector("only whitespace", "   ", .missingToken),
        Vector("Basic scheme", "Basic dXNlcjpwYXNzd29yZA==", .missingToken),
        Vector("Digest scheme", "Digest username=\"alice\"", .missingToken),
        Vector("scheme glued to the token", "Bearera.b.c", .missingToken),
        Vector("Bearer without credential", "Bearer", .invalidRequest),
        Vector("Bearer followed by spaces only", "Bearer    ", .invalidRequest),
        Vector("two values", "Bearer a.b.c d.e.f", .invalidRequest),
        Vector("two bearer credentials, comma separated", "Bearer a.b.c, Bearer d.e.f", .invalidRequest),
        Vector("auth-param syntax", "Bearer token=\"a.b.c\"", .invalidRequest),
        Vector("quote in the token", "Bearer a.b\"c", .invalidRequest),
        Vector("semicolon", "Bearer a.b.c;", .invalidRequest),
        Vector("percent-encoding", "Bearer a%2Eb.c", .invalidRequest),
        Vector("'=' inside the token", "Bearer ab=cd.e.f", .invalidRequest),
        Vector("only padding, no token character", "Bearer ===", .invalidRequest),
        Vector("padding before the token", "Bearer =a.b.c", .invalidRequest),
        Vector("non-ASCII", "Bearer tökén.a.b", .invalidRequest),
        Vector("CRLF header injection", "Bearer a.b.c\r\nX-Injected: 1", .invalidRequest),
        Vector("NUL byte", "Bearer a.b\u{0}.c", .invalidRequest),
        Vector("oversized header", "Bearer " + String(repeating: "a", count: DecodedToken.defaultMaximumSize + 65), .tokenTooLarge),
    ]

    @Test("refused Authorization values", arguments: refused)
    func refusedValues(_ vector: Vector<String?>) {
        expectFailure(vector.code) { try BearerCredential.extract(fromAuthorization: vector.input) }
    }

    @Test("the size limit follows the configured maximum")
    func configuredLimit() throws {
        let token = String(repeating: "a", count: 200)
        expectFailure(.tokenTooLarge) { try BearerCredential.extract(fromAuthorization: "Bearer \(token)", maximumSize: 100) }
        #expect(try BearerCredential.extract(fromAuthorization: "Bearer \(token)", maximumSize: 200) == token)
    }

    @Test("an unlimited size (Int.max) is a limit like any other")
    func unlimitedSize() throws {
        #expect(try BearerCredential.extract(fromAuthorization: "Bearer a.b.c", maximumSize: .max) == "a.b.c")
        let (key, verifier) = try PolicyFixtures.ecSetup { $0.maximumTokenSize = .max }
        let token = try key.sign(claims: PolicyFixtures.validClaims())
        #expect(try verifier.verify(bearer: "Bearer \(token)").claims.subject == "alice")
    }

    @Test("the verifier answers the extraction codes for bearer headers")
    func throughTheVerifier() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try key.sign(claims: PolicyFixtures.validClaims())
        #expect(try verifier.verify(bearer: "Bearer \(token)").claims.subject == "alice")
        #expect(try verifier.verify(bearer: "bearer \(token)").claims.subject == "alice")
        expectFailure(.missingToken) { try verifier.verify(bearer: nil) }
        expectFailure(.missingToken) { try verifier.verify(bearer: "Basic \(token)") }
        expectFailure(.invalidRequest) { try verifier.verify(bearer: "Bearer \(token) \(token)") }
        expectFailure(.invalidRequest) { try verifier.verify(bearer: "Bearer") }
        let small = try Verifier(keys: verifier.keys, configuration: PolicyFixtures.configuration { $0.maximumTokenSize = 64 })
        expectFailure(.tokenTooLarge) { try small.verify(bearer: "Bearer \(token)") }
    }

    @Test("messages name the scheme found and the offending character")
    func messages() {
        let basic = expectFailure(.missingToken) { try BearerCredential.extract(fromAuthorization: "Basic abc") }
        #expect(basic?.message.contains("\"Basic\"") == true)
        let quote = expectFailure(.invalidRequest) { try BearerCredential.extract(fromAuthorization: "Bearer ab;c") }
        #expect(quote?.message.contains("';' at position 2") == true)
        let padding = expectFailure(.invalidRequest) { try BearerCredential.extract(fromAuthorization: "Bearer ===") }
        #expect(padding?.message.contains("starts with '='") == true)
    }

    @Test("one Authorization header carries the token, none or another scheme is nil, two are invalid_request whichever would verify")
    func headerCount() throws {
        #expect(try BearerCredential.token(fromAuthorizationValues: []) == nil)
        #expect(try BearerCredential.token(fromAuthorizationValues: ["Bearer abc"]) == "abc")
        #expect(try BearerCredential.token(fromAuthorizationValues: ["Basic YWxpY2U6cHc="]) == nil)
        #expect(try BearerCredential.token(fromAuthorizationValues: [""]) == nil)
        expectFailure(.invalidRequest) { _ = try BearerCredential.token(fromAuthorizationValues: ["Bearer"]) }
        expectFailure(.tokenTooLarge) { _ = try BearerCredential.token(fromAuthorizationValues: ["Bearer " + String(repeating: "a", count: 200)], maximumSize: 100) }
        let error = expectFailure(.invalidRequest) { _ = try BearerCredential.token(fromAuthorizationValues: ["Bearer abc", "Bearer abc"]) }
        #expect(error?.message == "the request carries 2 Authorization headers; one credential is allowed")
        #expect(error?.httpStatus == 400)
    }
}
