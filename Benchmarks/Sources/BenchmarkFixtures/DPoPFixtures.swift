import Foundation
import LayabAuth
import LayabAuthTesting

/// One proof algorithm's DPoP key, a DPoP-bound access token and proofs for it, minted before anything is
/// measured: the DPoP benchmarks time verification only, never minting.
public struct DPoPFixture: Sendable {
    public static let method = "GET"
    public static let uri = "https://api.example/orders"

    public let algorithm: Algorithm
    public let key: SigningKey
    /// When the proofs and the token were made: the benchmarks pass it as `now`, so that the proofs stay within
    /// their `iat` window however long a run lasts.
    public let now: Double
    /// An access token whose `cnf.jkt` is the thumbprint of ``key``, verified by the ES256 fixture's verifier.
    public let token: VerifiedToken
    /// One proof for ``token``, verified again and again by the proof-only benchmark.
    public let proof: String
    /// The policy the proofs are verified under (default settings; its replay store is not used by
    /// `DPoPProof.verify`).
    public let policy: SenderConstraintPolicy

    /// The raw OpenSSL verification of ``proof``'s own signature, as the `Verify … OpenSSL` rows do for tokens.
    public var proofSignature: AlgorithmFixture {
        AlgorithmFixture(algorithm: algorithm, signingKey: key, token: proof, verifier: Fixtures.fixture(.es256).verifier, secret: nil)
    }

    /// `count` proofs for ``token``, each with its own `jti`: one per request of the binding benchmark.
    public func proofs(_ count: Int) -> [String] {
        (0..<count).map { _ in Self.mint(key: key, token: token.raw, now: now) }
    }

    /// The request a proof from ``proofs(_:)`` comes with.
    public static func presentation(_ proof: String) -> TokenPresentation {
        TokenPresentation(scheme: .dpop, dpopProofs: [proof], method: method, uri: uri)
    }

    static func mint(key: SigningKey, token: String, now: Double) -> String {
        do {
            return try TestIssuer.dpopProof(method: method, url: uri, accessToken: token, key: key, now: now)
        } catch {
            fatalError("minting a DPoP proof: \(error)")
        }
    }

    public static let all: [Algorithm: DPoPFixture] = {
        let now = SystemClock.now()
        let issuer = Fixtures.fixture(.es256)
        var fixtures: [Algorithm: DPoPFixture] = [:]
        for algorithm in algorithms {
            do {
                let key = try TestIssuer.dpopKey(algorithm)
                var claims = Fixtures.claims(now: now)
                claims["cnf"] = .object(["jkt": .string(key.verificationKey.thumbprint)])
                let token = try issuer.verifier.verify(try issuer.signingKey.sign(claims: claims))
                let proof = mint(key: key, token: token.raw, now: now)
                let policy = SenderConstraintPolicy()
                // Every fixture must verify before anything is measured.
                _ = try DPoPProof.verify(proof, policy: policy)
                fixtures[algorithm] = DPoPFixture(algorithm: algorithm, key: key, now: now, token: token, proof: proof, policy: policy)
            } catch {
                fatalError("DPoP fixture for \(algorithm): \(error)")
            }
        }
        return fixtures
    }()

    /// The proof algorithms measured: the two that clients use most.
    public static let algorithms: [Algorithm] = [.es256, .eddsa]

    public static func fixture(_ algorithm: Algorithm) -> DPoPFixture {
        guard let fixture = all[algorithm] else { fatalError("no DPoP fixture for \(algorithm)") }
        return fixture
    }
}
