import LayabAuth
import Testing

/// Issue 14: the inspector showed "Nothing decoded." for tokens whose header and payload decode, because
/// display decoding threw what `decode` throws. It now returns every part that decodes, with the error
/// `decode` throws as the refusal; `decode` and `verify` are unchanged.
@Suite("Regressions: display decoding shows every part that decodes (issue 14)")
struct DisplayDecodingTests {
    static let header = Base64URL.encode(Array(#"{"alg":"ES256","kid":"k1"}"#.utf8))
    static let payload = Base64URL.encode(Array(#"{"sub":"alice","big":123456789012345678901234567890}"#.utf8))

    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let token: String
        let code: LayabAuthError.Code
        var hasClaims = true
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "damaged signature segment", token: "\(header).\(payload).sig!nature", code: .malformed),
        Vector(name: "signature segment cut off", token: "\(header).\(payload)", code: .malformed),
        Vector(name: "payload not base64url", token: "\(header).pay*load.c2ln", code: .malformed, hasClaims: false),
        Vector(name: "over 16 KiB", token: "\(header).\(payload).\(String(repeating: "A", count: 17 * 1024))", code: .tokenTooLarge),
    ]

    @Test("header and claims are shown, decode and verify refuse with the same error", arguments: vectors)
    func partsShown(_ vector: Vector) throws {
        let shown = try DecodedToken.decodeForDisplay(vector.token)
        #expect(shown.header.kid == "k1")
        #expect(shown.refusal?.code == vector.code)
        #expect((shown.claims?.subject == "alice") == vector.hasClaims)
        let strict = expectFailure(vector.code) { try DecodedToken.decode(vector.token) }
        #expect(shown.refusal == strict)
        let verifier = try Verifier(keys: KeySet(keys: [SigningKey.generate(.es256, kid: "k1").verificationKey]),
                                    configuration: VerifierConfiguration(requiredClaims: []))
        expectFailure(vector.code) { try verifier.verify(vector.token) }
        #expect(verifier.report(vector.token).errors.first == strict)
    }

    @Test("a JWE's protected header is shown (alg, enc, kid), its payload is not decrypted")
    func encryptedHeader() throws {
        let header = Base64URL.encode(Array(#"{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"enc-1"}"#.utf8))
        let token = "\(header).a2V5.aXY.Y2lwaGVydGV4dA.dGFn"
        let shown = try DecodedToken.decodeForDisplay(token)
        #expect(shown.isEncrypted)
        #expect(shown.refusal?.code == .encryptedTokenUnsupported)
        #expect(shown.header.algorithmName == "RSA-OAEP-256" && shown.header.kid == "enc-1")
        #expect(shown.header.members["enc"] == "A256GCM")
        #expect(shown.claims == nil && shown.payload == Array("ciphertext".utf8))
        expectFailure(.encryptedTokenUnsupported) { try DecodedToken.decode(token) }
    }

    @Test("a refused token whose header does not decode throws the first refusal, as decode does")
    func headerUndecodable() {
        let jwe = "bm90IGpzb24.a.b.c.d"
        let error = expectFailure(.encryptedTokenUnsupported) { try DecodedToken.decodeForDisplay(jwe) }
        #expect(error == expectFailure(.encryptedTokenUnsupported) { try DecodedToken.decode(jwe) })
        let huge = String(repeating: "A", count: DecodedToken.displayCeiling + 1)
        expectFailure(.tokenTooLarge) { try DecodedToken.decodeForDisplay(huge) }
    }

    @Test("numbers beyond Int64 keep their literal text for display; the value is unchanged")
    func numberLiterals() throws {
        let shown = try DecodedToken.decodeForDisplay("\(Self.header).\(Self.payload).c2ln")
        var literals = shown.payloadNumberLiterals
        let claims = try #require(shown.claims)
        #expect(JSONValue.object(claims.members).jsonText(literals: &literals) == #"{"sub":"alice","big":123456789012345678901234567890}"#)
        #expect(claims["big"] == .number(1.2345678901234568e+29))
        #expect(JSONValue.object(claims.members).jsonText == #"{"sub":"alice","big":1.2345678901234568e+29}"#)
    }

    @Test("ages of a year or more read as years, months and days")
    func longAges() {
        // 2023-03-01T00:00:00Z to 2027-01-15T08:00:00Z: 3 years, 10 months, 14 days and 8 hours.
        #expect(TimeText.relative(1_677_628_800, now: 1_800_000_000) == "3y 10m 14d ago")
        #expect(TimeText.relative(1_800_000_000, now: 1_677_628_800) == "in 3y 10m 14d")
        #expect(TimeText.duration(from: 1_704_067_200, to: 1_735_689_600) == "1y")
        #expect(TimeText.relative(1_800_000_000 - 200 * 86_400 - 3600, now: 1_800_000_000) == "200d 1h ago")
    }

    /// The refusal's own message said "expired 1413d 8h ago"; it reads as the panels do now.
    @Test("an expired token's message gives a long age in years, months and days")
    func longAgeInMessages() throws {
        let key = try SigningKey.generate(.es256, kid: "k1")
        let token = try key.sign(claims: ["exp": .integer(1_677_628_800)])
        let verifier = try Verifier(keys: KeySet(keys: [key.verificationKey]), configuration: VerifierConfiguration(clock: { 1_800_000_000 }))
        let error = #expect(throws: LayabAuthError.self) { try verifier.verify(token) }
        #expect(error?.message.hasPrefix("the token expired 3y 10m 14d ago") == true, "\(error?.message ?? "")")
    }
}
