import LayabAuth
import Testing

/// An algorithm with the shape of key that signs it, and who mints tokens with it.
struct DifferentialProfile: Sendable, Hashable, CustomStringConvertible {
    enum KeyShape: Sendable, Hashable {
        case rsa(bits: Int, exponent: Int)
        case ec(Curve)
        case okp(Curve)
        case oct(bytes: Int)

        /// The request joserfc_oracle.py understands.
        var oracleSpec: [String: Any] {
            switch self {
            case let .rsa(bits, exponent): ["kty": "RSA", "bits": bits, "exponent": exponent]
            case let .ec(curve): ["kty": "EC", "crv": curve.rawValue]
            case let .okp(curve): ["kty": "OKP", "crv": curve.rawValue]
            case let .oct(bytes): ["kty": "oct", "bytes": bytes]
            }
        }
    }

    let name: String
    let algorithm: Algorithm
    let key: KeyShape
    /// Another algorithm the same key signs, for the "alg changed" cases; nil when there is none (ECDSA).
    let alternative: Algorithm?
    /// Set when LayabAuth refuses this key by policy: only a valid token and a tampered one are run.
    let keyPolicy: PolicyDifference?
    let minters: [Minter]

    var description: String { name }

    /// The key's kid: the profile name in lower case, letters and digits only.
    var kid: String {
        "k-" + String(name.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
    }

    var isAsymmetric: Bool { algorithm.family != .hmac }

    init(_ name: String, _ algorithm: Algorithm, _ key: KeyShape, alternative: Algorithm? = nil, keyPolicy: PolicyDifference? = nil,
         minters: [Minter] = Minter.allCases)
    {
        self.name = name
        self.algorithm = algorithm
        self.key = key
        self.alternative = alternative
        self.keyPolicy = keyPolicy
        self.minters = minters
    }

    /// Every algorithm both libraries implement, with the keys they are used with, then the keys LayabAuth refuses.
    static let all: [DifferentialProfile] = [
        DifferentialProfile("HS256", .hs256, .oct(bytes: 64), alternative: .hs384),
        DifferentialProfile("HS384", .hs384, .oct(bytes: 64), alternative: .hs512),
        DifferentialProfile("HS512", .hs512, .oct(bytes: 64), alternative: .hs256),
        DifferentialProfile("RS256", .rs256, .rsa(bits: 2048, exponent: 65537), alternative: .ps256),
        DifferentialProfile("RS384", .rs384, .rsa(bits: 2048, exponent: 65537), alternative: .ps384),
        DifferentialProfile("RS512", .rs512, .rsa(bits: 2048, exponent: 65537), alternative: .ps512),
        DifferentialProfile("RS512 (RSA-4096)", .rs512, .rsa(bits: 4096, exponent: 65537), alternative: .rs256),
        DifferentialProfile("PS256", .ps256, .rsa(bits: 2048, exponent: 65537), alternative: .rs256),
        DifferentialProfile("PS384", .ps384, .rsa(bits: 2048, exponent: 65537), alternative: .rs384),
        DifferentialProfile("PS512", .ps512, .rsa(bits: 2048, exponent: 65537), alternative: .rs512),
        DifferentialProfile("ES256", .es256, .ec(.p256)),
        DifferentialProfile("ES384", .es384, .ec(.p384)),
        DifferentialProfile("ES512", .es512, .ec(.p521)),
        DifferentialProfile("ES256K", .es256k, .ec(.secp256k1)),
        DifferentialProfile("EdDSA (Ed25519)", .eddsa, .okp(.ed25519), alternative: .ed25519),
        DifferentialProfile("EdDSA (Ed448)", .eddsa, .okp(.ed448), alternative: .ed448),
        DifferentialProfile("Ed25519", .ed25519, .okp(.ed25519), alternative: .eddsa),
        DifferentialProfile("Ed448", .ed448, .okp(.ed448), alternative: .eddsa),
        // Keys LayabAuth refuses. LayabAuth itself can only make the 1024-bit RSA key.
        DifferentialProfile("RS256 (RSA-1024)", .rs256, .rsa(bits: 1024, exponent: 65537), keyPolicy: .minimumRSASize),
        DifferentialProfile("RS256 (RSA-2048, e = 3)", .rs256, .rsa(bits: 2048, exponent: 3), keyPolicy: .rsaPublicExponent, minters: [.joserfc]),
        DifferentialProfile("HS256 (16-byte secret)", .hs256, .oct(bytes: 16), keyPolicy: .minimumHMACSize, minters: [.joserfc]),
        DifferentialProfile("HS512 (32-byte secret)", .hs512, .oct(bytes: 32), keyPolicy: .minimumHMACSize, minters: [.joserfc]),
    ]
}

/// One profile minted by one library: the unit the parameterised test reports on.
struct DifferentialSlice: Sendable, Hashable, CustomTestStringConvertible {
    let profile: DifferentialProfile
    let minter: Minter

    var testDescription: String { "\(profile.name) minted by \(minter)" }

    static let all: [DifferentialSlice] = DifferentialProfile.all.flatMap { profile in
        profile.minters.map { DifferentialSlice(profile: profile, minter: $0) }
    }
}
