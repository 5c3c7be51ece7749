import LayabAuth
import Testing

/// Keys as real providers publish them (issue 13, "Keys real providers publish"): glewlwyd drops the leading
/// zero byte of an EC coordinate for about one P-256 key in 128, Envoy's test key sets carry a P-521 `y` of 65
/// bytes, and some sets carry an RSA `n` with a leading zero byte. Such keys are accepted with a note; the
/// point is still checked to be on the curve, and anything longer than the curve allows is still refused.
@Suite("Keys real providers publish: short EC coordinates, RSA n with a leading zero, standard base64")
struct RealWorldKeyTests {
    static let claims: JSONObject = ["sub": "alice", "exp": .integer(4_000_000_000)]

    /// A key of `algorithm` whose public `coordinate` starts with a zero byte, generated until one does.
    static func keyWithLeadingZero(_ algorithm: Algorithm, in coordinate: String) throws -> (key: SigningKey, jwk: JSONObject, full: [UInt8]) {
        for _ in 0..<20_000 {
            let key = try SigningKey.generate(algorithm, kid: "short")
            let jwk = key.verificationKey.publicJWK
            let bytes = try Base64URL.decode(try #require(jwk[coordinate]?.stringValue))
            if bytes.first == 0 { return (key, jwk, bytes) }
        }
        throw LayabAuthError(.invalidKey, "no \(algorithm) key with a leading zero in \(coordinate) in 20,000 tries")
    }

    /// A JWK Set of the one JWK `jwk` with `member` replaced by `bytes`.
    static func document(_ jwk: JSONObject, _ member: String, _ bytes: [UInt8]) -> String {
        var changed = jwk
        changed[member] = .string(Base64URL.encode(bytes))
        return JSONValue.object(["keys": [.object(changed)]]).jsonText
    }

    @Test("an EC coordinate one byte short (leading zero dropped) is left-padded, noted, and verifies tokens",
          arguments: [(Algorithm.es256, "x"), (.es256, "y"), (.es384, "x"), (.es512, "y")])
    func shortCoordinate(_ algorithm: Algorithm, _ coordinate: String) throws {
        let (key, jwk, full) = try Self.keyWithLeadingZero(algorithm, in: coordinate)
        let set = try KeySet(jwksJSON: Self.document(jwk, coordinate, Array(full.dropFirst())))
        #expect(set.skipped.isEmpty, "\(set.skipped.map(\.description))")
        let imported = try #require(set.keys.first)
        let size = full.count
        let section = coordinate == "x" ? "6.2.1.2" : "6.2.1.3"
        #expect(imported.notes == ["\(coordinate) is \(size - 1) bytes, left-padded to \(size); RFC 7518 §\(section) requires the full length"])
        // The same key as published correctly: same thumbprint, same public JWK.
        #expect(imported.thumbprint == key.verificationKey.thumbprint)
        #expect(imported.publicJWK[coordinate] == jwk[coordinate])
        #expect(key.verificationKey.notes.isEmpty)
        let verified = try Verifier(keys: set).verify(try key.sign(claims: Self.claims))
        #expect(verified.key?.thumbprint == key.verificationKey.thumbprint)
    }

    @Test("Envoy's P-521 y of 65 bytes: accepted, noted, and the ES512 tokens it signs verify")
    func envoyP521() throws {
        let (key, jwk, full) = try Self.keyWithLeadingZero(.es512, in: "y")
        #expect(full.count == 66)
        let short = Array(full.dropFirst())
        #expect(short.count == 65)
        let set = try KeySet(jwksJSON: Self.document(jwk, "y", short))
        let imported = try #require(set.keys.first, "\(set.skipped.map(\.description))")
        #expect(imported.notes == ["y is 65 bytes, left-padded to 66; RFC 7518 §6.2.1.3 requires the full length"])
        _ = try Verifier(keys: set).verify(try key.sign(claims: Self.claims))
    }

    @Test("a coordinate longer than the curve's size is still refused, even when the extra byte is zero")
    func longCoordinate() throws {
        let key = try SigningKey.generate(.es256, kid: "long")
        let jwk = key.verificationKey.publicJWK
        let x = try Base64URL.decode(try #require(jwk["x"]?.stringValue))
        let set = try KeySet(jwksJSON: Self.document(jwk, "x", [0] + x))
        #expect(set.keys.isEmpty)
        #expect(set.skipped.map(\.reason) == ["P-256 coordinates must be 32 bytes (RFC 7518 §6.2.1.2), found x 33 and y 32; a longer coordinate is never read"])
    }

    @Test("a short coordinate whose padded point is off the curve is refused, saying both")
    func shortCoordinateOffCurve() throws {
        let key = try SigningKey.generate(.es256, kid: "truncated")
        let jwk = key.verificationKey.publicJWK
        var x = try Base64URL.decode(try #require(jwk["x"]?.stringValue))
        // A byte that was not zero cut off: padding brings back another point, almost surely off the curve.
        if x[0] == 0 { x[0] = 1 }
        let set = try KeySet(jwksJSON: Self.document(jwk, "x", Array(x.dropFirst())))
        #expect(set.keys.isEmpty)
        let reason = try #require(set.skipped.first?.reason)
        #expect(reason.hasPrefix("P-256 coordinates must be 32 bytes (RFC 7518 §6.2.1.2), found x 31 and y 32; left-padded with zeros, the point is not on P-256"), "\(reason)")
    }

    @Test("a short coordinate of a key once good, with another byte changed, is refused: padding forgives only zeros")
    func shortCoordinateWithChangedByte() throws {
        let (_, jwk, full) = try Self.keyWithLeadingZero(.es256, in: "y")
        var short = Array(full.dropFirst())
        short[short.count - 1] ^= 1
        let set = try KeySet(jwksJSON: Self.document(jwk, "y", short))
        #expect(set.keys.isEmpty)
        #expect(set.skipped.first?.reason.contains("left-padded with zeros, the point is not on P-256") == true, "\(set.skipped)")
    }

    @Test("an RSA n with a leading zero byte: the number itself is used, noted, and verifies tokens")
    func rsaModulusWithLeadingZero() throws {
        let key = try SigningKey.generate(.rs256, kid: "rsa")
        let jwk = key.verificationKey.publicJWK
        let n = try Base64URL.decode(try #require(jwk["n"]?.stringValue))
        let set = try KeySet(jwksJSON: Self.document(jwk, "n", [0] + n))
        let imported = try #require(set.keys.first, "\(set.skipped.map(\.description))")
        #expect(imported.bits == 2048)
        #expect(imported.notes == ["n has 1 leading zero byte, removed; RFC 7518 §2 (Base64urlUInt) requires the minimum number of octets"])
        #expect(imported.thumbprint == key.verificationKey.thumbprint)
        #expect(imported.publicJWK["n"] == jwk["n"])
        _ = try Verifier(keys: set).verify(try key.sign(claims: Self.claims))
    }

    @Test("the size rules apply to the real modulus: zeros in front of a 1024-bit n do not make it 2048 bits")
    func paddedWeakModulus() throws {
        let key = try SigningKey.generate(.rs256, kid: "weak", rsaBits: 1024)
        let jwk = key.verificationKey.publicJWK
        let n = try Base64URL.decode(try #require(jwk["n"]?.stringValue))
        let set = try KeySet(jwksJSON: Self.document(jwk, "n", [UInt8](repeating: 0, count: 128) + n))
        #expect(set.keys.isEmpty)
        #expect(set.skipped.map(\.reason) == ["the RSA key has 1024 bits, at least 2048 are required"])
    }

    @Test("an RSA e of 0x00 01 00 01 is 65537, with a note; a modulus of zeros is refused")
    func rsaExponentWithLeadingZero() throws {
        let key = try SigningKey.generate(.rs256, kid: "rsa")
        let jwk = key.verificationKey.publicJWK
        let set = try KeySet(jwksJSON: Self.document(jwk, "e", [0, 1, 0, 1]))
        let imported = try #require(set.keys.first, "\(set.skipped.map(\.description))")
        #expect(imported.notes == ["e has 1 leading zero byte, removed; RFC 7518 §2 (Base64urlUInt) requires the minimum number of octets"])
        #expect(imported.publicJWK["e"] == "AQAB")
        let zero = try KeySet(jwksJSON: Self.document(jwk, "n", [0, 0, 0]))
        #expect(zero.skipped.map(\.reason) == ["\"n\" is zero"])
    }

    @Test("standard base64 in a JWK member is refused, naming the character, the member and the rule",
          arguments: [("n", "+"), ("n", "/"), ("x", "'=' padding")])
    func standardBase64(_ member: String, _ offending: String) throws {
        var jwk: JSONObject
        var text: String
        repeat {
            let key = try SigningKey.generate(member == "n" ? .rs256 : .es256, kid: "std")
            jwk = key.verificationKey.publicJWK
            // The same bytes in standard base64 (RFC 4648 §4), as one provider publishes them.
            let bytes = try Base64URL.decode(try #require(jwk[member]?.stringValue))
            text = Self.standardBase64(bytes)
        } while offending.count == 1 && text.first(where: { "+/".contains($0) }) != Character(offending)
            || offending.count > 1 && (text.contains("+") || text.contains("/") || !text.hasSuffix("="))
        jwk[member] = .string(text)
        let set = try KeySet(jwksJSON: JSONValue.object(["keys": [.object(jwk)]]).jsonText)
        #expect(set.keys.isEmpty)
        let reason = try #require(set.skipped.first?.reason)
        let shown = offending.count == 1 ? "'\(offending)'" : offending
        #expect(reason.hasPrefix("\"\(member)\": RFC 7515 §2 base64url: \(shown) is not allowed (offset "), "\(reason)")
        #expect(reason.hasSuffix("); standard base64 is not base64url"), "\(reason)")
    }

    static func standardBase64(_ bytes: [UInt8]) -> String {
        var text = Base64URL.encode(bytes).map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 }
        while text.count % 4 != 0 { text.append("=") }
        return String(text)
    }
}
