import JWTKit
import LayabAuth

/// The claims jwt-kit decodes and checks: the same checks LayabAuth's configuration asks for (signature,
/// `exp`, `iss`, `aud`), with the scope string decoded as the application would read it.
public struct PeerPayload: JWTPayload {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    public var scope: String

    public func verify(using _: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try aud.verifyIntendedAudience(includes: Fixtures.audience)
        guard iss.value == Fixtures.issuer else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "unexpected issuer")
        }
    }
}

/// jwt-kit 5 holding the same public key (or secret) as the LayabAuth fixture, imported from its PEM.
public enum JWTKitPeer {
    public static func keys(for fixture: AlgorithmFixture) async throws -> JWTKeyCollection {
        let keys = JWTKeyCollection()
        let kid = JWKIdentifier(string: fixture.verificationKey.kid ?? "")
        let pem = fixture.verificationKey.pem ?? ""
        switch fixture.algorithm {
        case .rs256:
            await keys.add(rsa: try Insecure.RSA.PublicKey(pem: pem), digestAlgorithm: .sha256, kid: kid)
        case .ps256:
            await keys.add(pss: try Insecure.RSA.PublicKey(pem: pem), digestAlgorithm: .sha256, kid: kid)
        case .es256:
            await keys.add(ecdsa: try ES256PublicKey(pem: pem), kid: kid)
        case .es384:
            await keys.add(ecdsa: try ES384PublicKey(pem: pem), kid: kid)
        case .eddsa:
            guard let x = fixture.verificationKey.publicJWK["x"]?.stringValue else { fatalError("no x in the Ed25519 JWK") }
            await keys.add(eddsa: try EdDSA.PublicKey(x: x, curve: .ed25519), kid: kid)
        case .hs256:
            await keys.add(hmac: HMACKey(from: fixture.secret ?? []), digestAlgorithm: .sha256, kid: kid)
        default:
            fatalError("no jwt-kit peer for \(fixture.algorithm)")
        }
        // The peer must accept the very token LayabAuth accepts.
        _ = try await keys.verify(fixture.token, as: PeerPayload.self)
        return keys
    }
}
