import LayabAuth
import Testing

@Suite("Policy: header and payload JSON")
struct JSONPolicyTests {
    static let exp = PolicyFixtures.nowSeconds + 300

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Header texts that must be refused as `malformed` before any key is looked at.
    static let badHeaders: [Vector<[UInt8]>] = [
        Vector("an array", bytes("[\"ES256\"]"), .malformed),
        Vector("a string", bytes("\"ES256\""), .malformed),
        Vector("null", bytes("null"), .malformed),
        Vector("a number", bytes("1"), .malformed),
        Vector("empty object text", bytes(""), .malformed),
        Vector("duplicate alg", bytes("{\"alg\":\"ES256\",\"alg\":\"ES256\"}"), .malformed),
        Vector("duplicate alg, second one none", bytes("{\"alg\":\"ES256\",\"alg\":\"none\"}"), .malformed),
        Vector("duplicate kid", bytes("{\"alg\":\"ES256\",\"kid\":\"ec-1\",\"kid\":\"ec-2\"}"), .malformed),
        Vector("duplicate alg spelled with an escape", bytes("{\"alg\":\"ES256\",\"al\\u0067\":\"none\"}"), .malformed),
        Vector("invalid UTF-8 in a value", [UInt8]("{\"alg\":\"ES256\",\"kid\":\"".utf8) + [0xFF] + bytes("\"}"), .malformed),
        Vector("invalid UTF-8 in a name", [UInt8]("{\"alg\":\"ES256\",\"".utf8) + [0xC3, 0x28] + bytes("\":1}"), .malformed),
        Vector("overlong UTF-8 '/'", [UInt8]("{\"alg\":\"ES256\",\"kid\":\"".utf8) + [0xC0, 0xAF] + bytes("\"}"), .malformed),
        Vector("UTF-8-encoded surrogate", [UInt8]("{\"alg\":\"ES256\",\"kid\":\"".utf8) + [0xED, 0xA0, 0x80] + bytes("\"}"), .malformed),
        Vector("truncated UTF-8 sequence", [UInt8]("{\"alg\":\"ES256\",\"kid\":\"".utf8) + [0xE2, 0x82] + bytes("\"}"), .malformed),
        Vector("lone high surrogate", bytes("{\"alg\":\"ES256\",\"kid\":\"\\ud800\"}"), .malformed),
        Vector("lone low surrogate", bytes("{\"alg\":\"ES256\",\"kid\":\"\\udc00\"}"), .malformed),
        Vector("high surrogate before a non-surrogate escape", bytes("{\"alg\":\"ES256\",\"kid\":\"\\ud800\\u0041\"}"), .malformed),
        Vector("high surrogate before plain text", bytes("{\"alg\":\"ES256\",\"kid\":\"\\ud800x\"}"), .malformed),
        Vector("number overflowing to infinity", bytes("{\"alg\":\"ES256\",\"n\":1e400}"), .malformed),
        Vector("negative number overflowing to infinity", bytes("{\"alg\":\"ES256\",\"n\":-1E+400}"), .malformed),
        Vector("nesting of 65 levels", bytes("{\"alg\":\"ES256\",\"x\":" + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"), .malformed),
        Vector("trailing garbage", bytes("{\"alg\":\"ES256\"}x"), .malformed),
        Vector("a second object", bytes("{\"alg\":\"ES256\"}{}"), .malformed),
        Vector("a byte order mark", [0xEF, 0xBB, 0xBF] + bytes("{\"alg\":\"ES256\"}"), .malformed),
        Vector("a trailing comma", bytes("{\"alg\":\"ES256\",}"), .malformed),
        Vector("single quotes", bytes("{'alg':'ES256'}"), .malformed),
        Vector("a comment", bytes("{\"alg\":\"ES256\"/* c */}"), .malformed),
        Vector("an unquoted name", bytes("{alg:\"ES256\"}"), .malformed),
        Vector("a raw control character in a string", bytes("{\"alg\":\"ES256\",\"kid\":\"a\u{1}b\"}"), .malformed),
        Vector("an invalid escape", bytes("{\"alg\":\"ES256\",\"kid\":\"\\x41\"}"), .malformed),
        Vector("NaN", bytes("{\"alg\":\"ES256\",\"n\":NaN}"), .malformed),
        Vector("a leading zero", bytes("{\"alg\":\"ES256\",\"n\":01}"), .malformed),
        Vector("a leading plus", bytes("{\"alg\":\"ES256\",\"n\":+1}"), .malformed),
        Vector("unterminated", bytes("{\"alg\":\"ES256\""), .malformed),
    ]

    @Test("the header must be one strict JSON object", arguments: badHeaders)
    func badHeader(_ vector: Vector<[UInt8]>) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try PolicyFixtures.forge(header: vector.input, payload: Self.bytes("{\"exp\":\(Self.exp)}"), signedBy: key)
        let decoded = expectFailure(vector.code) { try DecodedToken.decode(token) }
        #expect(decoded?.message.contains("header") == true, "message: \(decoded?.message ?? "-")")
        expectFailure(vector.code) { try verifier.verify(token) }
    }

    /// Payloads that must be refused as `malformed`, even under a valid signature.
    static let badPayloads: [Vector<[UInt8]>] = [
        Vector("an array", bytes("[{\"exp\":\(exp)}]"), .malformed),
        Vector("a string", bytes("\"alice\""), .malformed),
        Vector("a number", bytes("\(exp)"), .malformed),
        Vector("null", bytes("null"), .malformed),
        Vector("empty", [], .malformed),
        Vector("not JSON at all", bytes("exp=\(exp)"), .malformed),
        Vector("duplicate sub", bytes("{\"exp\":\(exp),\"sub\":\"alice\",\"sub\":\"admin\"}"), .malformed),
        Vector("duplicate exp", bytes("{\"exp\":\(exp),\"exp\":\(exp + 100_000)}"), .malformed),
        Vector("duplicate scope, escaped", bytes("{\"exp\":\(exp),\"scope\":\"read\",\"sc\\u006fpe\":\"admin\"}"), .malformed),
        Vector("duplicate in a nested object", bytes("{\"exp\":\(exp),\"ctx\":{\"role\":\"user\",\"role\":\"admin\"}}"), .malformed),
        Vector("duplicate after sixteen members", bytes("{\"exp\":\(exp)," + (0..<20).map { "\"m\($0)\":\($0)" }.joined(separator: ",") + ",\"m3\":0}"), .malformed),
        Vector("invalid UTF-8", [UInt8]("{\"exp\":\(exp),\"sub\":\"".utf8) + [0xFE, 0xFF] + bytes("\"}"), .malformed),
        Vector("overlong UTF-8", [UInt8]("{\"exp\":\(exp),\"sub\":\"".utf8) + [0xE0, 0x80, 0xAF] + bytes("\"}"), .malformed),
        Vector("lone surrogate", bytes("{\"exp\":\(exp),\"sub\":\"\\udfff\"}"), .malformed),
        Vector("nesting of 65 levels", bytes("{\"exp\":\(exp),\"x\":" + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"), .malformed),
        Vector("nesting of 1000 objects", bytes(String(repeating: "{\"a\":", count: 1000) + "1" + String(repeating: "}", count: 1000)), .malformed),
        Vector("exp overflowing to infinity", bytes("{\"exp\":1e400}"), .malformed),
        Vector("trailing garbage", bytes("{\"exp\":\(exp)}garbage"), .malformed),
        Vector("trailing NUL", bytes("{\"exp\":\(exp)}") + [0], .malformed),
    ]

    @Test("the payload must be one strict JSON object of claims", arguments: badPayloads)
    func badPayload(_ vector: Vector<[UInt8]>) throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let token = try PolicyFixtures.forge(header: Self.bytes("{\"alg\":\"ES256\",\"kid\":\"ec-1\"}"), payload: vector.input, signedBy: key)
        // The signature is good: the refusal is about the payload itself.
        #expect(throws: Never.self) { try verifier.verifySignature(token) }
        let error = expectFailure(vector.code) { try verifier.verify(token) }
        #expect(error?.message.contains("payload") == true, "message: \(error?.message ?? "-")")
        let decoded = try DecodedToken.decode(token)
        #expect(decoded.claims == nil)
        #expect(decoded.payloadError?.code == vector.code)
    }

    @Test("nesting up to 64 levels is accepted")
    func nestingLimit() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        // The claims object is level 1, so 63 arrays inside it reach level 64.
        let payload = "{\"exp\":\(Self.exp),\"x\":" + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}"
        let token = try PolicyFixtures.forge(header: "{\"alg\":\"ES256\"}", payload: payload, signedBy: key)
        #expect(throws: Never.self) { try verifier.verify(token) }
    }

    @Test("large but finite numbers and escaped text are accepted")
    func lenientWhereJSONAllows() throws {
        let (key, verifier) = try PolicyFixtures.ecSetup()
        let payload = "{\"exp\":\(Self.exp),\"big\":123456789012345678901234567890,\"small\":-1.5e-300,\"sub\":\"\\u00e9\\ud83d\\ude00\\/\"}"
        let token = try PolicyFixtures.forge(header: "{\"alg\":\"ES256\"}", payload: payload, signedBy: key)
        let verified = try verifier.verify(token)
        #expect(verified.claims.subject == "é😀/")
    }

    @Test("JSONParser reports the offending offset", arguments: [
        ("{\"a\":1, \"a\":2}", 8, "duplicate member name \"a\""),
        ("{\"alg\":\"x\"} x", 12, "unexpected data after the JSON value"),
        ("[1e400]", 1, "number 1e400 is out of range"),
    ])
    func parserOffsets(_ text: String, _ offset: Int, _ reason: String) {
        do {
            let value = try JSONParser.parse(text)
            Issue.record("parsed \(value)")
        } catch {
            #expect(error.offset == offset)
            #expect(error.reason == reason)
        }
    }

    @Test("jsonText escapes what RFC 8259 requires and parses back to the same bytes", arguments: [
        "", "plain", "quote \" backslash \\ slash /", "\u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}\u{7F}",
        "\"\u{301} a quote followed by a combining mark", "\\\u{301}", "é and e\u{301}, \u{212A}, 日本, 🙂",
        String(repeating: "x", count: 12_000) + "\n" + String(repeating: "é", count: 100),
    ])
    func serializationRoundTrip(_ text: String) throws {
        let json = JSONValue.object(["value": .string(text), text: .integer(1)]).jsonText
        #expect(!json.utf8.contains { $0 < 0x20 }, "raw control bytes in \(json.prefix(80))")
        let parsed = try JSONParser.parse(json)
        #expect(parsed["value"]?.stringValue.map { Array($0.utf8) } == Array(text.utf8))
        #expect(parsed.objectValue?.names.last.map { Array($0.utf8) } == Array(text.utf8))
    }
}
