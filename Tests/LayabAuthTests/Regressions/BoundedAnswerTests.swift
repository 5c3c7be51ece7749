import LayabAuth
import Testing

/// Text a token carries reaches a client's `WWW-Authenticate` header and JSON body before any signature is
/// checked: it is quoted at most 64 characters long, and the whole `error_description` is capped, so that no
/// token makes a header line a proxy refuses (nginx answers 502 beyond its buffer).
@Suite("Bounded answers: no token makes a header line over 1 KiB")
struct BoundedAnswerTests {
    static let long = String(repeating: "A", count: 11_000)

    /// Hostile tokens, unsigned where the refusal comes before any key is looked at.
    static func hostileTokens() throws -> [(name: String, token: String, configuration: VerifierConfiguration)] {
        let key = try SigningKey.generate(.es256, kid: "k")
        func raw(header: String, payload: String = #"{"exp":4000000000}"#) -> String {
            Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8)) + ".c2ln"
        }
        let manyNames = (0..<500).map { "\"\(String(repeating: "c", count: 100))\($0)\"" }.joined(separator: ",")
        let audiences = (0..<500).map { "\"\(String(repeating: "a", count: 100))\($0)\"" }.joined(separator: ",")
        let big = VerifierConfiguration(issuers: ["https://issuer.test"], audiences: ["api"], maximumTokenSize: 1 << 20)
        return [
            ("an alg of 11,000 characters", raw(header: #"{"alg":"\#(long)"}"#), big),
            ("alg none spelled with 11,000 characters after it", raw(header: #"{"alg":"none\#(long)"}"#), big),
            ("a duplicate member name of 11,000 characters", raw(header: #"{"alg":"ES256","\#(long)":1,"\#(long)":2}"#), big),
            ("crit with 500 long names", raw(header: #"{"alg":"ES256","crit":[\#(manyNames)]}"#), big),
            ("b64 of 11,000 characters", raw(header: #"{"alg":"ES256","b64":"\#(long)"}"#), big),
            ("a kid of 11,000 characters", raw(header: #"{"alg":"ES256","kid":"\#(long)"}"#), big),
            ("an issuer of 11,000 characters", try key.sign(claims: ["iss": .string(long), "aud": "api", "exp": 4_000_000_000]), big),
            ("500 long audiences", try key.sign(header: ["alg": "ES256", "kid": "k"],
                                                payload: Array(#"{"iss":"https://issuer.test","aud":[\#(audiences)],"exp":4000000000}"#.utf8)), big),
        ]
    }

    @Test("every header line and the body's error_description stay under 1 KiB")
    func bounded() throws {
        let key = try SigningKey.generate(.es256, kid: "k")
        for (name, token, configuration) in try Self.hostileTokens() {
            let verifier = try Verifier(keys: KeySet(keys: [key.verificationKey]), configuration: configuration)
            let error: LayabAuthError
            do {
                _ = try verifier.verify(token)
                Issue.record("\(name): accepted")
                continue
            } catch let refusal {
                error = refusal
            }
            let challenge = error.challenge(realm: "api")
            for header in challenge.headers {
                #expect((header.name + ": " + header.value).utf8.count <= 1024, "\(name): \(header.name) has \(header.value.utf8.count) bytes")
            }
            let body = try JSONValue(parsing: challenge.body)
            let description = body["error_description"]?.stringValue ?? ""
            #expect(description.utf8.count <= 1024, "\(name): error_description has \(description.utf8.count) bytes")
            #expect(error.message.utf8.count <= 4096, "\(name): the message has \(error.message.utf8.count) bytes")
        }
    }

    @Test("a long description is cut with an ellipsis, within the limit")
    func descriptionCap() {
        let error = LayabAuthError(.malformed, String(repeating: "x", count: 2_000))
        #expect(error.errorDescription.count == LayabAuthError.maximumDescriptionLength)
        #expect(error.errorDescription.hasSuffix("..."))
        let short = LayabAuthError(.malformed, "short")
        #expect(short.errorDescription == "short")
    }

    @Test("quoted untrusted text: printable, at most 64 characters and an ellipsis")
    func shownText() throws {
        let key = try SigningKey.generate(.es256, kid: "k")
        let token = try key.sign(claims: ["exp": 4_000_000_000], extraHeader: ["alg": .string("X" + String(repeating: "y", count: 100))])
        let error = expectFailure(.unsupportedAlgorithm) { try Verifier(keys: KeySet(keys: [key.verificationKey])).verify(token) }
        #expect(error?.message.contains("X" + String(repeating: "y", count: 63) + "…\"") == true, "\(error?.message ?? "")")
    }
}
