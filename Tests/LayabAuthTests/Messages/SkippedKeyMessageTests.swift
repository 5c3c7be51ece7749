import LayabAuth
import Testing

@Suite("Messages name the real cause")
struct SkippedKeyMessageTests {
    static let weakRSA = #"{"kty":"RSA","kid":"tiny","n":"wMAThM3Qx6THqLr6Ev8Hw5ZbNmONo5CjzRd6dPFHhAZ3R0T7dPNHQ_4HOzcMqCSvg-5nMklV2WRsHcYwN5RjxQ","e":"AQAB"}"#

    @Test("a token whose kid names a skipped key says why the key was skipped")
    func skippedKid() throws {
        let good = try SigningKey.generate(.es256, kid: "good")
        let jwks = "{\"keys\":[\(Self.weakRSA),\(JSONValue.object(good.verificationKey.publicJWK).jsonText)]}"
        let keys = try KeySet(jwksJSON: jwks)
        #expect(keys.skipped.count == 1)
        let verifier = try Verifier(keys: keys, configuration: VerifierConfiguration(algorithms: [.rs256, .es256], requiredClaims: []))
        let stranger = try SigningKey.generate(.rs256, kid: "tiny")
        let error = expectFailure(.keyNotFound) { try verifier.verify(try stranger.sign(claims: [:])) }
        #expect(error?.message.contains("was skipped") == true, "\(error?.message ?? "-")")
        #expect(error?.message.contains("bits") == true, "\(error?.message ?? "-")")
    }

    @Test("a key set whose every key was skipped says so instead of 'no keys configured'")
    func allSkipped() throws {
        let keys = try KeySet(jwksJSON: "{\"keys\":[\(Self.weakRSA)]}")
        let signer = try SigningKey.generate(.rs256, kid: "tiny")
        let error = expectFailure(.keyNotFound) {
            try Verifier(keys: keys, configuration: VerifierConfiguration(requiredClaims: [])).verify(try signer.sign(claims: [:]))
        }
        #expect(error?.message.contains("1 skipped") == true, "\(error?.message ?? "-")")
    }

    @Test("a stray character in a segment of impossible length is named, not the length")
    func strayCharacter() {
        #expect(throws: Base64URL.DecodingError.invalidCharacter(offset: 4, byte: UInt8(ascii: "?"))) { try Base64URL.decode("abcd?") }
        #expect(throws: Base64URL.DecodingError.invalidLength(5)) { try Base64URL.decode("abcde") }
    }
}
