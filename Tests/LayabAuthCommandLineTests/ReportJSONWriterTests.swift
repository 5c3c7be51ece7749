import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabConsole
import Testing

/// The bytes `layabauth verify --json` writes for each kind of result, from the ``JSONWriter``, equal those of the
/// ``JSONValue`` trees it printed before (kept in `ReportJSONReference`): valid, rejected with several errors,
/// unreadable, too long, not UTF-8, introspected, with step-up and RFC 9068 members, and claims that need every
/// kind of escape.
@Suite("verify --json: the writer's bytes equal the tree's")
struct ReportJSONWriterTests {
    /// One kind of result, and its line in both forms.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let lines: @Sendable (_ line: Int?) async throws -> (reference: String, written: [UInt8])
        var testDescription: String { name }
    }

    /// Claims that need every escape JSON and the terminal ask for, and numbers of every form.
    static let awkwardClaims: JSONObject = [
        "text": "quote\" backslash\\ slash/ line\n tab\t nul\u{0} esc\u{1B}[31m del\u{7F} c1\u{80}\u{85}\u{9F} past c1\u{A0}\u{FF}",
        "bidi": "\u{202A}\u{202D}\u{202E}\u{2066}\u{2069} near \u{2029}\u{202F}\u{2065}\u{206A}",
        "unicode": "é e\u{301} \u{212A} 🔑 \u{10FFFF} \u{FEFF}",
        "na\u{7F}me\u{202E}": "member names are escaped too",
        "numbers": [1.5, -0.25, 1e300, 12_345_678_901_234_567_890.0, 0, -9_223_372_036_854_775_807, 1e15, 123456789012345.0],
        "nested": ["a": [true, false, nil, [], ["b": [:]]], "empty": ""],
    ]

    static let issuer = Result { try TestIssuer() }
    static let impostor = Result { try TestIssuer(kid: "k1") }

    static func verifier(_ issuer: TestIssuer) throws -> JWKSVerifier {
        try JWKSVerifier(source: StaticKeySource(KeySet(keys: [issuer.key.verificationKey])),
                         configuration: VerifierConfiguration(issuers: [issuer.name], audiences: ["api"]))
    }

    static func report(_ token: @escaping @Sendable (TestIssuer, TestIssuer) throws -> String, scopes: [String] = [],
                       authentication: AuthenticationRequirement? = nil) -> @Sendable (Int?) async throws -> (reference: String, written: [UInt8])
    {
        { line in
            let issuer = try Self.issuer.get(), impostor = try Self.impostor.get()
            let report = try await verifier(issuer).report(try token(issuer, impostor), requiring: scopes.isEmpty ? nil : ScopeRequirement(scopes),
                                                            authentication: authentication)
            return both(ReportJSONReference.object(report, line: line)) { ReportJSON.write(report, line: line, to: &$0) }
        }
    }

    /// The reference line of `object` and the line `write` writes.
    static func both(_ object: JSONObject, _ write: (inout JSONWriter) -> Void) -> (reference: String, written: [UInt8]) {
        var writer = JSONWriter()
        write(&writer)
        writer.lineBreak()
        return (ReportJSONReference.line(object), writer.bytes)
    }

    static func unreadable(_ error: LayabAuthError) -> @Sendable (Int?) async throws -> (reference: String, written: [UInt8]) {
        { line in
            both(ReportJSONReference.unreadable(error, line: line)) { ReportJSON.writeUnreadable(error, line: line, to: &$0) }
        }
    }

    static func introspected(_ report: IntrospectionReport) -> @Sendable (Int?) async throws -> (reference: String, written: [UInt8]) {
        { line in
            return both(ReportJSONReference.object(report, line: line)) { ReportJSON.write(report, line: line, to: &$0) }
        }
    }

    static let cases: [Case] = [
        Case(name: "valid", lines: report { issuer, _ in try issuer.token() }),
        Case(name: "valid, claims and a header member that need every escape",
             lines: report { issuer, _ in try issuer.token(awkwardClaims, extraHeader: ["x\u{1B}": "\u{9B}2J\u{202E}"]) }),
        Case(name: "valid, scopes required and present", lines: report({ issuer, _ in try issuer.token() }, scopes: ["read", "write"])),
        Case(name: "rejected with several errors (expired, audience, issuer, scope)",
             lines: report({ issuer, _ in
                 try issuer.token(["exp": .integer(Int64(Date().timeIntervalSince1970) - 7200), "aud": "other", "iss": "https://elsewhere.test"])
             }, scopes: ["admin", "read"])),
        Case(name: "bad signature, with hints", lines: report { _, impostor in try impostor.token() }),
        Case(name: "undecodable", lines: report { _, _ in "not.a.token" }),
        Case(name: "encrypted (JWE)", lines: report { _, _ in "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5.aXY.Y2lwaGVydGV4dA.dGFn" }),
        Case(name: "RFC 9068 access token profile satisfied",
             lines: report { issuer, _ in try issuer.token(["client_id": "cli", "jti": "j-1"], extraHeader: ["typ": "at+jwt"]) }),
        Case(name: "step-up requirement unmet",
             lines: report({ issuer, _ in try issuer.token(["acr": "silver", "auth_time": .number(Date().timeIntervalSince1970 - 999.5)]) },
                           authentication: AuthenticationRequirement(acceptedACRs: ["gold", "platinum"], maxAge: 300))),
        Case(name: "step-up requirement met", lines: report({ issuer, _ in try issuer.token(["acr": "gold"]) },
                                                             authentication: AuthenticationRequirement(acceptedACRs: ["gold"]))),
        Case(name: "unreadable: too long", lines: unreadable(LayabAuthError(.tokenTooLarge, "line 7 has 1048580 bytes, the limit for a line is 1049600"))),
        Case(name: "unreadable: not UTF-8", lines: unreadable(LayabAuthError(.malformed, "line 7 is not UTF-8 text: byte 0xff at offset 3 (a token is ASCII)"))),
        Case(name: "unreadable: empty", lines: unreadable(LayabAuthError(.missingToken, "line 7 is empty"))),
        Case(name: "unreadable: a message quoting controls", lines: unreadable(LayabAuthError(.malformed, "found \"\u{1B}]0;\u{7F}\u{85}\u{202E}\""))),
        Case(name: "introspected, active", lines: introspected(IntrospectionReport(
            endpoint: "https://idp.test/introspect", claims: Claims(["active": true, "sub": "svc\u{202E}", "exp": 1_900_000_000.5, "scope": "read"]),
            answerError: nil, scopes: nil))),
        Case(name: "introspected, inactive", lines: introspected(IntrospectionReport(
            endpoint: "https://idp.test/introspect", claims: nil, answerError: LayabAuthError(.inactiveToken, "the endpoint says the token is not active")))),
        Case(name: "introspection unavailable, no endpoint", lines: introspected(IntrospectionReport(
            endpoint: nil, claims: nil, answerError: LayabAuthError(.introspectionUnavailable, "discovery failed")))),
    ]

    @Test("one result, with and without a line number", arguments: cases)
    func sameBytes(_ kind: Case) async throws {
        for line in [nil, 7, 1_000_000] as [Int?] {
            let (reference, written) = try await kind.lines(line)
            #expect(String(decoding: written, as: UTF8.self) == reference, "line \(line.map(String.init) ?? "none")")
            #expect(written == Array(reference.utf8))
        }
    }

    @Test("values one by one: every escape, number and nesting as the tree writes them")
    func values() {
        let values: [JSONValue] = [.object(Self.awkwardClaims), [], [:], "", nil, true, .integer(.min), .integer(.max), .number(-0.0), .number(0.1),
                                   .number(1e-7), .number(2.5e-300), "\u{C2}\u{E2}\u{80}", "\u{2028}\u{2029}\u{202A}"]
        for value in values {
            var writer = JSONWriter()
            writer.value(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == TerminalText.json(value.jsonText), "\(value)")
        }
    }
}
