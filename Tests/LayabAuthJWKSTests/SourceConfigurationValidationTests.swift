import Foundation
import LayabAuth
@testable import LayabAuthJWKS
import Testing

/// Issue 13, "Validation of configuration": HTTP options and cache policies no source can honour are refused
/// when the source is built (a body cap of `Int.max` used to trap in the file reader), and so is a verifier
/// configuration given to a `JWKSVerifier`.
@Suite("Regression: key sources refuse unusable options at construction")
struct SourceConfigurationValidationTests {
    static let options: [(name: String, options: HTTPOptions)] = [
        ("maximumBodySize", HTTPOptions(maximumBodySize: .max)),
        ("maximumBodySize", HTTPOptions(maximumBodySize: 0)),
        ("connectTimeout", HTTPOptions(connectTimeout: .nan)),
        ("totalTimeout", HTTPOptions(totalTimeout: -1)),
        ("maximumRedirects", HTTPOptions(maximumRedirects: -1)),
    ]

    static let policies: [(name: String, policy: KeyCachePolicy)] = [
        ("minimumLifetime", KeyCachePolicy(minimumLifetime: .nan)),
        ("retryAfterFailure", KeyCachePolicy(retryAfterFailure: .infinity)),
        ("unknownKidCooldown", KeyCachePolicy(unknownKidCooldown: -1)),
        ("maximumStaleness", KeyCachePolicy(maximumStaleness: .nan)),
        ("maximumStaleness", KeyCachePolicy(maximumStaleness: -60)),
        ("maximumLifetime", KeyCachePolicy(minimumLifetime: 600, maximumLifetime: 60)),
    ]

    @Test("options no retrieval can honour are refused by every source and by JWKSVerifier", arguments: options.indices)
    func unusableOptions(_ index: Int) throws {
        let (name, options) = Self.options[index]
        let errors = [
            #expect(throws: LayabAuthError.self) { try RemoteKeySource(.file("/dev/null"), options: options) },
            #expect(throws: LayabAuthError.self) { try RemoteKeySource(uri: "https://issuer.test/jwks.json", options: options) },
            #expect(throws: LayabAuthError.self) { try DiscoveryKeySource(issuer: "https://issuer.test", options: options) },
            #expect(throws: LayabAuthError.self) { try JWKSVerifier(jwksURI: "https://issuer.test/jwks.json", options: options) },
        ]
        for error in errors {
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.message.contains(name) == true, "\(error?.message ?? "")")
        }
    }

    @Test("cache policies no cache can follow are refused", arguments: policies.indices)
    func unusablePolicies(_ index: Int) throws {
        let (name, policy) = Self.policies[index]
        let error = #expect(throws: LayabAuthError.self) { try RemoteKeySource(.file("/dev/null"), cachePolicy: policy) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains(name) == true, "\(error?.message ?? "")")
        #expect(throws: LayabAuthError.self) { try DiscoveryKeySource(issuer: "https://issuer.test", cachePolicy: policy) }
    }

    @Test("an unlimited staleness and the defaults are accepted")
    func acceptedPolicies() throws {
        try KeyCachePolicy(maximumStaleness: .infinity).validate()
        try KeyCachePolicy.default.validate()
        try HTTPOptions().validate()
        try HTTPOptions(maximumBodySize: HTTPOptions.largestBodyLimit).validate()
    }

    @Test("a JWKSVerifier refuses a verifier configuration with a NaN leeway, and one changed to it later")
    func verifierConfiguration() async throws {
        let source = StaticKeySource(.empty)
        let error = #expect(throws: LayabAuthError.self) { try JWKSVerifier(source: source, configuration: VerifierConfiguration(leeway: .nan)) }
        #expect(error?.code == .invalidConfiguration)
        #expect(throws: LayabAuthError.self) { try JWKSVerifier(issuer: "https://issuer.test", configuration: VerifierConfiguration(maximumTokenSize: 0)) }
        var verifier = try JWKSVerifier(source: source, tokenCache: VerifiedTokenCache())
        verifier.configuration.leeway = -.infinity
        await #expect(throws: LayabAuthError.self) { try await verifier.verify("a.b.c") }
        #expect(await verifier.report("a.b.c").signature.error?.code == .invalidConfiguration)
    }

    /// The file reader asked for `limit + 1` bytes: with `Int.max` that trapped. Sources refuse such a limit
    /// now, and the reader itself no longer overflows.
    @Test("the file reader takes a limit of Int.max without trapping")
    func fileReaderLimit() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("layabauth-limit-\(UInt32.random(in: 0...UInt32.max)).json").path
        try Data("{\"keys\":[]}".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try FileSource.read(path, limit: .max).count == 11)
    }
}
