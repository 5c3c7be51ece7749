import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Testing

/// The selection among many issuers is a lookup (issue 19): it must choose exactly what the scan chose.
@Suite("Many issuers: selection among a hundred, by the exact bytes of iss")
struct IssuerSelectionIndexTests {
    static let template = "https://login.example/{tenantid}/v2.0"

    /// 100 exact issuers, then a template; every entry serves the same keys (only the selection is looked at).
    static func verifier() throws -> (MultiIssuerVerifier, TestIssuer) {
        let keys = try TestIssuer(name: "unused", algorithms: [.es256])
        var issuers = try (0..<100).map { try TrustedIssuer(match: .exact("https://issuer-\($0).test/"), source: StaticKeySource(keys.keySet)) }
        issuers.append(try .template(template, jwksURI: "http://127.0.0.1:9/jwks.json"))
        return (try MultiIssuerVerifier(issuers), keys)
    }

    @Test("each of a hundred exact issuers selects its own entry", arguments: [0, 1, 42, 99])
    func exact(_ position: Int) throws {
        let (verifier, keys) = try Self.verifier()
        let selection = verifier.selection(for: try keys.token(claims: ["iss": .string("https://issuer-\(position).test/")]))
        #expect(selection.index == position)
    }

    @Test("a look-alike or a near miss of an exact issuer selects nothing", arguments: [
        "https://issuer-1.test", "https://ISSUER-1.test/", "https://issuer-1.tes\u{212A}/", "https://issuer-100.test/", "",
    ])
    func lookAlike(_ issuer: String) throws {
        let (verifier, keys) = try Self.verifier()
        let selection = verifier.selection(for: try keys.token(claims: ["iss": .string(issuer)]))
        #expect(selection.index == nil)
        guard case let .refused(error) = selection else { return }
        #expect(error.code == .issuerMismatch)
    }

    @Test("behind the exact issuers, a template still selects its tenants")
    func template() throws {
        let (verifier, keys) = try Self.verifier()
        let selection = verifier.selection(for: try keys.token(claims: ["iss": "https://login.example/t-1/v2.0", "tid": "t-1"]))
        #expect(selection.index == 100)
        guard case let .selected(_, _, tenant) = selection else { return }
        #expect(tenant == "t-1")
    }
}
