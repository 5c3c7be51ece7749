import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Synchronization
import Testing

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let seconds: Mutex<Double>
    init(_ start: Double = 1_800_000_000) { seconds = Mutex(start) }
    var now: Double { seconds.withLock { $0 } }
    func advance(_ delta: Double) { seconds.withLock { $0 += delta } }
    var function: @Sendable () -> Double { { [self] in now } }
}

/// Keys and tokens of a test identity provider.
struct Issuer {
    let keys: [SigningKey]
    let name = "https://issuer.test"

    init(kids: [String] = ["k1"]) throws {
        keys = try kids.map { try SigningKey.generate(.es256, kid: $0) }
    }

    var jwks: String { KeySet(keys: keys.map(\.verificationKey)).publicJWKS.jsonText }

    func token(kid: String? = nil, lifetime: Double = 3600, now: Double) throws -> String {
        let key = kid.flatMap { kid in keys.first { $0.kid == kid } } ?? keys[0]
        return try key.sign(claims: ["iss": .string(name), "sub": "alice", "exp": .integer(Int64(now + lifetime)), "iat": .integer(Int64(now))])
    }
}

func configuration(_ clock: ManualClock) -> VerifierConfiguration {
    VerifierConfiguration(clock: clock.function)
}

/// Waits (bounded) until `condition` holds.
func eventually(timeout: Double = 60, _ condition: () async -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}

/// Runs `body` and expects a `jwks_unavailable` (or other) error whose message contains `fragment`.
func expectError(_ code: LayabAuthError.Code = .jwksUnavailable, containing fragment: String,
                 sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected \(code.rawValue) containing \"\(fragment)\", got success", sourceLocation: sourceLocation)
    } catch let error as LayabAuthError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(fragment), "message: \(error.message)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}
