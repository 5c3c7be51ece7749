import Foundation

/// An OpenSSH public key line, `type base64 [comment]` (as in `id_ed25519.pub`), read into the numbers of
/// the key: RFC 4253 §6.6 (`ssh-rsa`), RFC 5656 §3.1 (`ecdsa-sha2-nistp256/384/521`), RFC 8709 §4 (`ssh-ed25519`).
///
/// The blob inside is parsed here, not by OpenSSL: every length is checked against what is left, the type
/// inside must equal the line's, and nothing may follow the key. OpenSSL then validates the numbers as it
/// does for a JWK (see ``VerificationKey/init(openSSH:kid:algorithm:policy:)``).
struct OpenSSHPublicKey: Equatable {
    enum Components: Equatable {
        case rsa(modulus: [UInt8], exponent: [UInt8])
        case ecdsa(curve: Curve, x: [UInt8], y: [UInt8])
        case ed25519(publicKey: [UInt8])
    }

    let type: String
    let components: Components
    let comment: String?

    /// Key types read, with the curve of each ECDSA one.
    static let supportedTypes: [(type: String, curve: Curve?)] = [
        ("ssh-rsa", nil), ("ecdsa-sha2-nistp256", .p256), ("ecdsa-sha2-nistp384", .p384), ("ecdsa-sha2-nistp521", .p521), ("ssh-ed25519", .ed25519),
    ]

    /// Key types that are not JWS keys, and why; said instead of "unsupported" so the person knows it is not a typo.
    private static let refusedTypes: [(prefix: String, reason: String)] = [
        ("ssh-dss", "DSA keys have no JWS algorithm"),
        ("sk-", "security-key (FIDO) keys sign a structure of their own, not a JWS signing input"),
    ]

    /// The longest line read: a 16384-bit RSA key takes under 3 KiB of base64.
    static let maximumLength = 16 * 1024

    /// Whether `text`'s first word names an OpenSSH key type, so that a key file is read as one.
    static func looksLikeOpenSSH(_ text: String) -> Bool {
        guard let word = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).first else { return false }
        return ["ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-"].contains { word.hasPrefix($0) }
    }

    /// Reads one line; a trailing line break is allowed, other lines are not.
    /// - Throws: `invalid_key` saying what is wrong and where.
    init(_ text: String) throws(LayabAuthError) {
        guard text.utf8.count <= Self.maximumLength else {
            throw Self.invalid("the text has \(text.utf8.count) bytes; one key line is at most \(Self.maximumLength)")
        }
        let lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        guard lines.count == 1, let line = lines.first else {
            throw Self.invalid(lines.isEmpty ? "the text is empty" : "found \(lines.count) lines; a public key file holds one line `type base64 [comment]`")
        }
        let words = line.split(maxSplits: 2, omittingEmptySubsequences: true) { $0 == " " || $0 == "\t" }
        guard let first = words.first else { throw Self.invalid("the line holds only white space") }
        let type = String(first)
        if let refused = Self.refusedTypes.first(where: { type.utf8.starts(with: $0.prefix.utf8) }) {
            throw Self.invalid("\"\(LayabAuthError.shown(type))\" is not supported: \(refused.reason)")
        }
        guard let curve = Self.supportedTypes.first(where: { $0.type.utf8.elementsEqual(type.utf8) }).map(\.curve) else {
            throw Self.invalid("unsupported key type \"\(LayabAuthError.shown(type))\" (expected \(Self.supportedTypes.map(\.type).joined(separator: ", ")))")
        }
        guard words.count >= 2 else { throw Self.invalid("\(type) is followed by no base64 key") }
        guard let blob = Data(base64Encoded: String(words[1])) else {
            throw Self.invalid("the key after \(type) is not standard base64 (RFC 4648 §4, with padding)")
        }
        var reader = SSHWireReader(Array(blob))
        let inner = try reader.string("the key type")
        guard inner.elementsEqual(type.utf8) else {
            throw Self.invalid("the line says \(type), the key inside says \"\(LayabAuthError.shown(String(decoding: inner, as: UTF8.self)))\"")
        }
        switch curve {
        case nil:
            // RFC 4253 §6.6: e before n.
            let exponent = try reader.positiveInteger("e")
            let modulus = try reader.positiveInteger("n")
            components = .rsa(modulus: modulus, exponent: exponent)
        case .ed25519?:
            let key = try reader.string("the Ed25519 key")
            guard key.count == 32 else { throw Self.invalid("an Ed25519 public key has 32 bytes, found \(key.count) (RFC 8709 §4)") }
            components = .ed25519(publicKey: key)
        case let curve?:
            let identifier = try reader.string("the curve identifier")
            let expected = type.dropFirst("ecdsa-sha2-".count)
            guard identifier.elementsEqual(expected.utf8) else {
                throw Self.invalid("the key type is \(type), the curve identifier inside is \"\(LayabAuthError.shown(String(decoding: identifier, as: UTF8.self)))\" (RFC 5656 §3.1)")
            }
            let point = try reader.string("the point Q")
            let size = curve.coordinateByteCount
            guard point.first == 0x04 else {
                throw Self.invalid("the point Q of \(type) is not in uncompressed form (first byte \(point.first.map(Self.hex) ?? "missing"), expected 0x04; RFC 5656 §3.1)")
            }
            guard point.count == 1 + 2 * size else {
                throw Self.invalid("the point Q of \(type) has \(point.count) bytes, expected \(1 + 2 * size) (0x04, then x and y of \(size) bytes)")
            }
            components = .ecdsa(curve: curve, x: Array(point[1...size]), y: Array(point[(1 + size)...]))
        }
        let trailing = reader.remaining
        guard trailing == 0 else { throw Self.invalid("\(trailing) byte\(trailing == 1 ? " follows" : "s follow") the key inside the blob") }
        self.type = type
        self.comment = words.count > 2 ? String(words[2]) : nil
    }

    /// The key as a public JWK (RFC 7518 §6), the one form LayabAuth imports and validates keys from.
    var jwk: JSONObject {
        switch components {
        case let .rsa(modulus, exponent):
            ["kty": "RSA", "n": .string(Base64URL.encode(modulus)), "e": .string(Base64URL.encode(exponent))]
        case let .ecdsa(curve, x, y):
            ["kty": "EC", "crv": .string(curve.rawValue), "x": .string(Base64URL.encode(x)), "y": .string(Base64URL.encode(y))]
        case let .ed25519(publicKey):
            ["kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode(publicKey))]
        }
    }

    private static func hex(_ byte: UInt8) -> String { (byte < 0x10 ? "0x0" : "0x") + String(byte, radix: 16) }

    static func invalid(_ reason: String) -> LayabAuthError {
        LayabAuthError(.invalidKey, "OpenSSH public key: \(reason)")
    }
}
