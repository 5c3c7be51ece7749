/// A JWS signature algorithm (RFC 7518 §3, RFC 8037, RFC 8812, RFC 9864).
///
/// `none` is not a case: an unsecured JWS can never be represented, let alone accepted.
public enum Algorithm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case hs256 = "HS256", hs384 = "HS384", hs512 = "HS512"
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256", ps384 = "PS384", ps512 = "PS512"
    case es256 = "ES256", es384 = "ES384", es512 = "ES512"
    case es256k = "ES256K"
    /// RFC 8037 EdDSA: Ed25519 or Ed448, as the key's `crv` says.
    case eddsa = "EdDSA"
    /// RFC 9864 fully-specified identifiers.
    case ed25519 = "Ed25519", ed448 = "Ed448"

    public var description: String { rawValue }

    /// The algorithm whose registered name is exactly `name`, byte for byte; nil for any other spelling.
    ///
    /// Use this, not `init(rawValue:)`, for names that come from outside: the synthesized initializer compares
    /// with Swift's `==`, which takes `"ES256\u{212A}"` (KELVIN SIGN) for `ES256K`.
    public static func named(_ name: String) -> Algorithm? { names.name(of: name) }

    private static let names = MemberNames<Algorithm>(\.rawValue)

    /// The algorithm whose registered name differs from `name` only in the case of ASCII letters (`"hs256"`,
    /// `"ED25519"`), for a message that names the registered spelling; nil for a registered name itself and
    /// for any other text. Never for accepting a token: `alg` is compared byte for byte (``named(_:)``), and
    /// only ASCII letters are folded here, so a look-alike (`"ES256\u{212A}"`) is not taken for anything.
    package static func differingOnlyInCase(from name: String) -> Algorithm? {
        func folded(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
        guard named(name) == nil else { return nil }
        return allCases.first { $0.rawValue.utf8.elementsEqual(name.utf8) { folded($0) == folded($1) } }
    }

    /// The algorithm family, which fixes the key type it may be used with.
    public enum Family: Sendable, Hashable {
        case hmac, rsaPKCS1, rsaPSS, ecdsa, eddsa
    }

    public var family: Family {
        switch self {
        case .hs256, .hs384, .hs512: .hmac
        case .rs256, .rs384, .rs512: .rsaPKCS1
        case .ps256, .ps384, .ps512: .rsaPSS
        case .es256, .es384, .es512, .es256k: .ecdsa
        case .eddsa, .ed25519, .ed448: .eddsa
        }
    }

    /// The digest (nil for EdDSA, which hashes internally).
    public var hash: HashFunction? {
        switch self {
        case .hs256, .rs256, .ps256, .es256, .es256k: .sha256
        case .hs384, .rs384, .ps384, .es384: .sha384
        case .hs512, .rs512, .ps512, .es512: .sha512
        case .eddsa, .ed25519, .ed448: nil
        }
    }

    /// The curve an ECDSA or fully-specified EdDSA algorithm requires.
    public var requiredCurve: Curve? {
        switch self {
        case .es256: .p256
        case .es384: .p384
        case .es512: .p521
        case .es256k: .secp256k1
        case .ed25519: .ed25519
        case .ed448: .ed448
        default: nil
        }
    }

    /// Algorithms that are safe to accept from public-key sets: every asymmetric one.
    public static let asymmetric: Set<Algorithm> = Set(allCases.filter { $0.family != .hmac })

    /// Whether a header `alg` value spells "none" in any case (always refused, RFC 8725 §3.1).
    static func isNone(_ name: String) -> Bool {
        let utf8 = name.utf8
        // Non-ASCII text keeps `lowercased()`'s full Unicode case mapping; ASCII folds byte by byte.
        if utf8.contains(where: { $0 >= 0x80 }) { return name.lowercased() == "none" }
        return utf8.count == 4 && utf8.elementsEqual("none".utf8) { $0 | 0x20 == $1 }
    }
}

public enum HashFunction: String, Sendable, Hashable {
    case sha256 = "SHA-256", sha384 = "SHA-384", sha512 = "SHA-512"

    /// Output size in bytes; also the RSA-PSS salt length JWS uses and the minimum HMAC key size.
    public var byteCount: Int {
        switch self {
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }
}

/// Elliptic curves and Edwards curves a JWK can name in `crv`.
public enum Curve: String, Sendable, Hashable, CaseIterable {
    case p256 = "P-256", p384 = "P-384", p521 = "P-521", secp256k1 = "secp256k1"
    case ed25519 = "Ed25519", ed448 = "Ed448"

    /// Bytes of one coordinate (and of r and s in a JWS ECDSA signature); Edwards: the public key size.
    public var coordinateByteCount: Int {
        switch self {
        case .p256, .secp256k1: 32
        case .p384: 48
        case .p521: 66
        case .ed25519: 32
        case .ed448: 57
        }
    }

    public var isEdwards: Bool { self == .ed25519 || self == .ed448 }

    /// OpenSSL's name for the group or key type.
    var openSSLName: String {
        switch self {
        case .p256: "prime256v1"
        case .p384: "secp384r1"
        case .p521: "secp521r1"
        case .secp256k1: "secp256k1"
        case .ed25519: "ED25519"
        case .ed448: "ED448"
        }
    }

    /// The order n of the base point, big-endian, for the ECDSA range check 0 < r, s < n.
    var order: [UInt8]? {
        switch self {
        case .p256: Curve.orderP256
        case .p384: Curve.orderP384
        case .p521: Curve.orderP521
        case .secp256k1: Curve.orderSecp256k1
        case .ed25519, .ed448: nil
        }
    }

    private static let orderP256 = Curve.hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
    private static let orderP384 = Curve.hex("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973")
    private static let orderP521 = Curve.hex("01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409")
    private static let orderSecp256k1 = Curve.hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")

    private static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            bytes.append(hexDigit(high) << 4 | hexDigit(low))
        }
        return bytes
    }

    private static func hexDigit(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: 0
        }
    }
}
