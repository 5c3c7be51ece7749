import LayabAuth
import Testing

/// Issue 13, "Validation of configuration": a leeway that is NaN, infinite or negative, or a token size limit
/// under one byte, is refused when the verifier is built, and a configuration changed to one afterwards refuses
/// every token instead of verifying under it.
@Suite("Regression: configuration validation at construction")
struct ConfigurationValidationTests {
    static let now = 1_800_000_000.0

    static let invalid: [(name: String, configuration: VerifierConfiguration)] = [
        ("leeway", VerifierConfiguration(leeway: .nan)),
        ("leeway", VerifierConfiguration(leeway: .infinity)),
        ("leeway", VerifierConfiguration(leeway: -1)),
        ("maximumTokenSize", VerifierConfiguration(maximumTokenSize: 0)),
        ("maximumTokenSize", VerifierConfiguration(maximumTokenSize: -5)),
        ("algorithms", VerifierConfiguration(algorithms: [])),
        ("tryCompatibleKeys", VerifierConfiguration(kidlessPolicy: .tryCompatibleKeys(limit: 0))),
    ]

    @Test("an unusable setting is refused by the verifier's initializer, naming the setting", arguments: invalid.indices)
    func refusedAtConstruction(_ index: Int) throws {
        let (name, configuration) = Self.invalid[index]
        let error = #expect(throws: LayabAuthError.self) { try Verifier(keys: .empty, configuration: configuration) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains(name) == true, "\(error?.message ?? "")")
        #expect(throws: LayabAuthError.self) { try configuration.validate() }
    }

    @Test("the default configuration and a leeway of 0 are accepted")
    func validConfigurations() throws {
        try VerifierConfiguration().validate()
        _ = try Verifier(keys: .empty, configuration: VerifierConfiguration(leeway: 0))
    }

    /// A NaN leeway made every `exp` comparison false: an expired token verified. Now it is refused with
    /// invalid_configuration, whether the leeway was NaN from the start or set later.
    @Test("a leeway changed to NaN after construction never lets an expired token through")
    func nanLeewayAfterConstruction() throws {
        let key = try SigningKey.generate(.es256, kid: "k1")
        let expired = try key.sign(claims: ["sub": "alice", "exp": .integer(Int64(Self.now - 3600))])
        var verifier = try Verifier(keys: KeySet(keys: [key.verificationKey]), configuration: VerifierConfiguration(clock: { Self.now }))
        #expect(throws: LayabAuthError.self) { try verifier.verify(expired) }
        verifier.configuration.leeway = .nan
        let error = #expect(throws: LayabAuthError.self) { try verifier.verify(expired) }
        #expect(error?.code == .invalidConfiguration)
        #expect(verifier.report(expired).signature.error?.code == .invalidConfiguration)
        #expect(throws: LayabAuthError.self) { try verifier.verifySignature(expired) }
    }

    @Test("a server answers an invalid configuration with 500 and no detail")
    func serverAnswer() throws {
        let error = LayabAuthError.invalidConfiguration("leeway", Double.nan, "it must be a finite number of seconds, 0 or more")
        let challenge = error.challenge(realm: "api")
        #expect(challenge.status == 500)
        #expect(!challenge.body.contains("leeway"), "\(challenge.body)")
    }
}
