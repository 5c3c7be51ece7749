import LayabAuth
import Testing

/// One test per attack class that JWT libraries keep shipping: each forged token must be refused with
/// its specific code. `docs/threat_model.md` maps every defence to the test here that proves it.
@Suite("Attack suite")
struct AttackSuiteTests {
    static let now = 1_800_000_000.0

    struct Fixture {
        let rsa: SigningKey
        let ec: SigningKey
        let verifier: Verifier

        init(algorithms: Set<Algorithm> = [.rs256, .es256], extraKeys: [VerificationKey] = []) throws {
            rsa = try SigningKey.generate(.rs256, kid: "rsa-1")
            ec = try SigningKey.generate(.es256, kid: "ec-1")
            verifier = try Verifier(keys: KeySet(keys: [rsa.verificationKey, ec.verificationKey] + extraKeys),
                                configuration: VerifierConfiguration(algorithms: algorithms, issuers: ["https://issuer.example"],
                                                                     audiences: ["api"], clock: { AttackSuiteTests.now }))
        }

        var claims: JSONObject {
            ["iss": "https://issuer.example", "aud": "api", "sub": "mallory", "exp": .integer(Int64(AttackSuiteTests.now) + 600)]
        }
    }

    static func segment(_ json: String) -> String { Base64URL.encode(Array(json.utf8)) }

    static func hmac(_ secret: [UInt8], header: String, claims: JSONObject) throws -> String {
        let input = segment(header) + "." + segment(JSONValue.object(claims).jsonText)
        // The attacker computes HS256 with a secret of his choosing; minting uses the same primitive.
        let signer = try SigningKey(hmacSecret: secret.count >= 32 ? secret : secret + Array(repeating: 0, count: 32 - secret.count), algorithm: .hs256)
        return input + "." + Base64URL.encode(try signer.signature(for: Array(input.utf8)))
    }

    @Test("alg none in every capitalisation, with and without a signature", arguments: ["none", "None", "NONE", "nOnE", "noNe"])
    func algNone(_ spelling: String) throws {
        let fixture = try Fixture()
        let body = Self.segment(JSONValue.object(fixture.claims).jsonText)
        let header = Self.segment(#"{"alg":"\#(spelling)","kid":"rsa-1"}"#)
        expectFailure(.unsupportedAlgorithm) { try fixture.verifier.verify(header + "." + body + ".") }
        expectFailure(.unsupportedAlgorithm) { try fixture.verifier.verify(header + "." + body + "." + Self.segment("sig")) }
    }

    @Test("HMAC with the RSA or EC public key as the secret (PEM, DER and JWK forms), HS and RS both allowed")
    func keyConfusion() throws {
        let fixture = try Fixture(algorithms: [.rs256, .es256, .hs256])
        for (name, key) in [("rsa", fixture.rsa), ("ec", fixture.ec)] {
            let pem = try #require(key.verificationKey.pem)
            let der = try Base64URL.decode(pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: ""))
            let jwk = JSONValue.object(key.verificationKey.publicJWK).jsonText
            for secret in [Array(pem.utf8), der, Array(jwk.utf8)] {
                let kid = key.kid ?? ""
                let withKid = try Self.hmac(secret, header: #"{"alg":"HS256","kid":"\#(kid)"}"#, claims: fixture.claims)
                let error = expectFailure(.invalidKey) { try fixture.verifier.verify(withKid) }
                #expect(error?.message.contains("HS256") == true, "\(name): \(error?.message ?? "-")")
                let withoutKid = try Self.hmac(secret, header: #"{"alg":"HS256"}"#, claims: fixture.claims)
                expectFailure(.keyNotFound) { try fixture.verifier.verify(withoutKid) }
            }
        }
    }

    @Test("algorithm and key type mismatches")
    func algorithmMismatch() throws {
        let fixture = try Fixture(algorithms: [.rs256, .es256, .ps256, .es384])
        // An ES256 token naming the RSA key, a PS256 token naming the EC key, an ES384 token on a P-256 key.
        let attacker = try SigningKey.generate(.es256, kid: "rsa-1")
        expectFailure(.invalidKey) { try fixture.verifier.verify(try attacker.sign(claims: fixture.claims)) }
        let pss = try SigningKey.generate(.ps256, kid: "ec-1")
        expectFailure(.invalidKey) { try fixture.verifier.verify(try pss.sign(claims: fixture.claims)) }
        let p384 = try SigningKey.generate(.es384, kid: "ec-1")
        expectFailure(.invalidKey) { try fixture.verifier.verify(try p384.sign(claims: fixture.claims)) }
    }

    @Test("embedded jwk, jku, x5u and x5c headers carrying or pointing to the attacker's key", arguments: ["jwk", "jku", "x5u", "x5c"])
    func embeddedKeys(_ member: String) throws {
        let fixture = try Fixture()
        let attacker = try SigningKey.generate(.rs256, kid: "attacker")
        let value: JSONValue = switch member {
        case "jwk": .object(attacker.verificationKey.publicJWK)
        case "x5c": ["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"]
        default: "https://attacker.example/keys.json"
        }
        // With the attacker's own kid: no such key here.
        expectFailure(.keyNotFound) { try fixture.verifier.verify(try attacker.sign(claims: fixture.claims, extraHeader: [member: value])) }
        // Claiming the legitimate kid: the legitimate key does not verify the attacker's signature.
        let impersonating = try SigningKey.generate(.rs256, kid: "rsa-1")
        expectFailure(.badSignature) { try fixture.verifier.verify(try impersonating.sign(claims: fixture.claims, extraHeader: [member: value])) }
    }

    @Test("an unknown crit extension is refused even under a valid signature")
    func unknownCrit() throws {
        let fixture = try Fixture()
        let token = try fixture.rsa.sign(claims: fixture.claims, extraHeader: ["crit": ["exp-ext"], "exp-ext": true])
        expectFailure(.unsupportedCriticalHeader) { try fixture.verifier.verify(token) }
    }

    @Test("duplicate JSON members in the header and in the payload")
    func duplicateMembers() throws {
        let fixture = try Fixture()
        let duplicateHeader = Self.segment(#"{"alg":"RS256","kid":"rsa-1","alg":"none"}"#)
        let body = Self.segment(JSONValue.object(fixture.claims).jsonText)
        expectFailure(.malformed) { try fixture.verifier.verify(duplicateHeader + "." + body + "." + Self.segment("x")) }
        let duplicatePayload = Array(#"{"sub":"alice","sub":"admin","iss":"https://issuer.example","aud":"api","exp":1800000600}"#.utf8)
        let signed = try fixture.rsa.sign(header: ["alg": "RS256", "kid": "rsa-1"], payload: duplicatePayload)
        expectFailure(.malformed) { try fixture.verifier.verify(signed) }
    }

    @Test("kid values with path separators, SQL, NUL and 10 KiB of text are opaque and find nothing",
          arguments: ["../../etc/passwd", "/dev/null", "' OR '1'='1", "rsa-1\u{0}", "rsa-1; DROP TABLE keys", String(repeating: "k", count: 10_240)])
    func hostileKid(_ kid: String) throws {
        let fixture = try Fixture()
        let attacker = try SigningKey.generate(.rs256, kid: kid)
        let error = expectFailure(.keyNotFound) { try fixture.verifier.verify(try attacker.sign(claims: fixture.claims)) }
        // Shown safely: printable and bounded.
        #expect((error?.message.count ?? 0) < 400)
        #expect(error?.message.contains("\u{0}") == false)
    }

    @Test("oversized tokens and tokens made of thousands of dots are refused before decoding")
    func sizeAndDots() throws {
        let fixture = try Fixture()
        expectFailure(.tokenTooLarge) { try fixture.verifier.verify(String(repeating: "a", count: 16 * 1024 + 1)) }
        expectFailure(.tokenTooLarge) { try fixture.verifier.verify(String(repeating: ".", count: 100_000)) }
        expectFailure(.malformed) { try fixture.verifier.verify(String(repeating: ".", count: 5_000)) }
        expectFailure(.malformed) { try fixture.verifier.verify(String(repeating: "a.", count: 3_000)) }
    }

    @Test("deeply nested JSON in the header and the payload")
    func deepNesting() throws {
        let fixture = try Fixture()
        let deep = String(repeating: "[", count: 2_000) + String(repeating: "]", count: 2_000)
        let header = Self.segment(#"{"alg":"RS256","kid":"rsa-1","x":\#(deep)}"#)
        expectFailure(.malformed) { try fixture.verifier.verify(header + "." + Self.segment("{}") + "." + Self.segment("s")) }
        let payload = Array(#"{"exp":1800000600,"x":\#(deep)}"#.utf8)
        expectFailure(.malformed) { try fixture.verifier.verify(try fixture.rsa.sign(header: ["alg": "RS256", "kid": "rsa-1"], payload: payload)) }
    }

    @Test("non-canonical base64url: padding, the standard alphabet, whitespace, stray trailing bits")
    func nonCanonicalBase64() throws {
        let fixture = try Fixture()
        let token = try fixture.rsa.sign(claims: fixture.claims)
        let parts = token.split(separator: ".").map(String.init)
        // A 256-byte RSA signature ends in a character carrying 2 bits and 4 zero bits (A, Q, g or w):
        // "B" sets one of the unused bits, the same bytes in a second spelling.
        let variants = [
            parts[0] + "=." + parts[1] + "." + parts[2],
            parts[0] + "." + parts[1] + "." + parts[2] + "+/",
            parts[0] + "." + parts[1] + " ." + parts[2],
            parts[0] + "." + parts[1] + "." + String(parts[2].dropLast()) + "B",
        ]
        for variant in variants {
            expectFailure(.malformed) { try fixture.verifier.verify(variant) }
        }
    }

    @Test("ECDSA r = 0, s = 0, r or s ≥ n, DER encoding and wrong lengths (psychic signatures, CVE-2022-21449)")
    func ecdsaShapes() throws {
        let fixture = try Fixture()
        let token = try fixture.ec.sign(claims: fixture.claims)
        let parts = token.split(separator: ".").map(String.init)
        let input = parts[0] + "." + parts[1]
        let order: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                              0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51]
        let real = try Base64URL.decode(parts[2])
        let zero = [UInt8](repeating: 0, count: 32)
        let bad: [[UInt8]] = [zero + zero, zero + Array(real[32...]), Array(real[..<32]) + zero, order + Array(real[32...]),
                              Array(real[..<32]) + order, [0xff] + Array(repeating: 0xff, count: 31) + Array(real[32...])]
        for signature in bad {
            expectFailure(.badSignature) { try fixture.verifier.verify(input + "." + Base64URL.encode(signature)) }
        }
        let der: [UInt8] = [0x30, 0x44, 0x02, 0x20] + Array(real[..<32]) + [0x02, 0x20] + Array(real[32...])
        let derError = expectFailure(.badSignature) { try fixture.verifier.verify(input + "." + Base64URL.encode(der)) }
        #expect(derError?.message.contains("DER") == true)
        expectFailure(.badSignature) { try fixture.verifier.verify(input + "." + Base64URL.encode(Array(real.dropLast()))) }
        expectFailure(.badSignature) { try fixture.verifier.verify(input + "." + Base64URL.encode(real + [0])) }
    }

    @Test("RSA signatures of the wrong length")
    func rsaLengths() throws {
        let fixture = try Fixture()
        let parts = try fixture.rsa.sign(claims: fixture.claims).split(separator: ".").map(String.init)
        let signature = try Base64URL.decode(parts[2])
        for wrong in [Array(signature.dropLast()), [0] + signature, Array(signature.prefix(128))] {
            expectFailure(.badSignature) { try fixture.verifier.verify(parts[0] + "." + parts[1] + "." + Base64URL.encode(wrong)) }
        }
    }

    @Test("RSA keys below the minimum are refused at import")
    func weakRSA() throws {
        let weak = try SigningKey.generate(.rs256, kid: "weak", rsaBits: 1024)
        expectFailure(.invalidKey) { try VerificationKey(jwk: weak.verificationKey.publicJWK) }
        expectFailure(.invalidKey) { try VerificationKey(pem: weak.verificationKey.pem ?? "") }
    }

    @Test("exp, nbf and iat as strings, 1e400, negative, or missing when required")
    func hostileTimes() throws {
        let fixture = try Fixture()
        func token(_ members: JSONObject) throws -> String {
            var claims = fixture.claims
            for member in members { claims[member.name] = member.value }
            return try fixture.rsa.sign(claims: claims)
        }
        expectFailure(.invalidClaim) { try fixture.verifier.verify(try token(["exp": "1800000600"])) }
        expectFailure(.invalidClaim) { try fixture.verifier.verify(try token(["nbf": "0"])) }
        expectFailure(.invalidClaim) { try fixture.verifier.verify(try token(["iat": true])) }
        expectFailure(.expired) { try fixture.verifier.verify(try token(["exp": -1])) }
        // A float exp is a valid NumericDate.
        _ = try fixture.verifier.verify(try token(["exp": .number(Self.now + 60.5)]))
        let overflow = Array(#"{"iss":"https://issuer.example","aud":"api","exp":1e400}"#.utf8)
        expectFailure(.malformed) { try fixture.verifier.verify(try fixture.rsa.sign(header: ["alg": "RS256", "kid": "rsa-1"], payload: overflow)) }
        var noExp = fixture.claims
        noExp["exp"] = nil
        expectFailure(.missingClaim) { try fixture.verifier.verify(try fixture.rsa.sign(claims: noExp)) }
    }

    @Test("iss substring, prefix, case and trailing-slash tricks",
          arguments: ["https://issuer.example.attacker.test", "https://issuer.exampl", "HTTPS://ISSUER.EXAMPLE", "https://issuer.example/",
                      "https://issuer.example ", "https://attacker.test/https://issuer.example"])
    func issuerTricks(_ issuer: String) throws {
        let fixture = try Fixture()
        var claims = fixture.claims
        claims["iss"] = .string(issuer)
        expectFailure(.issuerMismatch) { try fixture.verifier.verify(try fixture.rsa.sign(claims: claims)) }
    }

    @Test("aud as nested arrays or other types")
    func audienceShapes() throws {
        let fixture = try Fixture()
        for aud: JSONValue in [[["api"]], ["api": true], 42, ["api", 1]] {
            var claims = fixture.claims
            claims["aud"] = aud
            expectFailure(.invalidClaim) { try fixture.verifier.verify(try fixture.rsa.sign(claims: claims)) }
        }
    }

    @Test("JWE and JWS JSON serialisation")
    func otherSerialisations() throws {
        let fixture = try Fixture()
        expectFailure(.encryptedTokenUnsupported) { try fixture.verifier.verify("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d") }
        expectFailure(.malformed) { try fixture.verifier.verify(#"{"payload":"e30","signatures":[{"protected":"eyJhbGciOiJSUzI1NiJ9","signature":"x"}]}"#) }
    }

    @Test("a token signed by a key rotated out of the key set stops verifying")
    func rotatedOut() throws {
        let fixture = try Fixture()
        let token = try fixture.rsa.sign(claims: fixture.claims)
        _ = try fixture.verifier.verify(token)
        let rotated = try Verifier(keys: KeySet(keys: [fixture.ec.verificationKey]), configuration: fixture.verifier.configuration)
        expectFailure(.keyNotFound) { try rotated.verify(token) }
    }
}

import Foundation
