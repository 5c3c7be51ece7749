import Foundation
import LayabAuth
import Synchronization

/// Every differential case, minted by both libraries and judged by both. Built once per test process
/// (two calls to joserfc_oracle.py: one to mint, one to verify) and shared by the tests.
struct DifferentialRun: Sendable {
    /// "LAYABDIF". Set `LAYABAUTH_DIFFERENTIAL_SEED` (decimal or 0x-hex) to draw other mutations.
    static let defaultSeed: UInt64 = 0x4C41_5941_4244_4946
    static let seedVariable = "LAYABAUTH_DIFFERENTIAL_SEED"

    let seed: UInt64
    let joserfcVersion: String
    let judged: [JudgedCase]
    /// Wall-clock time of each phase, for the summary.
    let timings: [(phase: String, duration: Duration)]

    /// Started on first use, on a thread of its own; tests await it without holding a thread of the
    /// cooperative pool (a lazily initialised static that blocked would stall every other test for the
    /// length of the run on a two-core machine).
    static let shared = BackgroundWork { try perform() }

    static var seed: UInt64 {
        guard let text = ProcessInfo.processInfo.environment[seedVariable], !text.isEmpty else { return defaultSeed }
        if text.lowercased().hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16) ?? defaultSeed }
        return UInt64(text) ?? defaultSeed
    }

    /// Both libraries are configured alike: every algorithm both implement is allowed, `exp` is required,
    /// 30 s of leeway, and the same clock.
    static let algorithms = Algorithm.allCases

    static func perform() throws -> DifferentialRun {
        let version = try JoserfcOracle.availability.get()
        let seed = Self.seed
        var timings: [(String, Duration)] = []
        let clock = ContinuousClock()
        func timed<T>(_ phase: String, _ body: () throws -> T) rethrows -> T {
            let start = clock.now
            defer { timings.append((phase, clock.now - start)) }
            return try body()
        }
        let variants = Dictionary(uniqueKeysWithValues: DifferentialProfile.all.map { ($0.name, SignedVariants.make(for: $0)) })
        // joserfc works in its own process while LayabAuth works here: the two cores each get one.
        let joserfcMinting = BackgroundWork { try mintWithJoserfc(variants) }
        let mintedByLayabAuth = try timed("LayabAuth mints") { try mintWithLayabAuth(variants) }
        let mintedByJoserfc = try timed("then waits for joserfc") { try joserfcMinting.value() }
        let minted = mintedByJoserfc.merging(mintedByLayabAuth) { first, _ in first }
        let second = try SecondKeys()

        var cases: [DifferentialCase] = []
        for slice in DifferentialSlice.all {
            let profile = slice.profile
            guard let (keyMembers, tokens) = minted[slice], let signed = variants[profile.name], tokens.count == signed.count else {
                throw OracleError("\(slice.testDescription): minting produced no tokens or the wrong number")
            }
            func keySet(_ style: KeyStyle) -> JSONValue {
                let bound = JSONObject(keyMembers.members.map { ($0.name, $0.value) } + [("alg", .string(profile.algorithm.rawValue)), ("use", "sig")])
                return switch style {
                case .bound: ["keys": [.object(bound)]]
                case .unbound: ["keys": [.object(keyMembers)]]
                case .withSecondKey: ["keys": [.object(bound), second.jwk(beside: profile)]]
                case .withoutKid: ["keys": [.object(JSONObject(bound.members.filter { $0.name != "kid" }.map { ($0.name, $0.value) }))]]
                case .forEncryption:
                    ["keys": [.object(JSONObject(keyMembers.members.map { ($0.name, $0.value) } + [("alg", .string(profile.algorithm.rawValue)), ("use", "enc")]))]]
                case let .operations(operations):
                    ["keys": [.object(JSONObject(keyMembers.members.map { ($0.name, $0.value) }
                            + [("alg", .string(profile.algorithm.rawValue)), ("key_ops", .array(operations.map(JSONValue.string)))]))]]
                }
            }
            for (variant, token) in zip(signed, tokens) {
                cases.append(DifferentialCase(profile: profile.name, minter: slice.minter, kind: variant.kind, label: variant.label,
                                              token: token, jwks: keySet(variant.keys), expectation: variant.expectation))
            }
            let otherIndex = signed.indices.dropFirst().first { signed[$0].kind == .claims && signed[$0].expectation == .both(.accepted) } ?? 0
            var generator = SeededGenerator(seed: seed, label: slice.testDescription)
            for mutation in TokenMutations.make(from: tokens[0], other: tokens[otherIndex], profile: profile, generator: &generator) {
                cases.append(DifferentialCase(profile: profile.name, minter: slice.minter, kind: mutation.kind, label: mutation.label,
                                              token: mutation.token, jwks: keySet(.bound), expectation: mutation.expectation))
            }
        }

        let joserfcJudging = BackgroundWork { [cases] in try judgeWithJoserfc(cases) }
        let layabAuthVerdicts = timed("LayabAuth verifies") { judgeWithLayabAuth(cases) }
        let joserfcVerdicts = try timed("then waits for joserfc") { try joserfcJudging.value() }
        let judged = cases.indices.map { JudgedCase(testCase: cases[$0], layabAuth: layabAuthVerdicts[$0], joserfc: joserfcVerdicts[$0]) }
        return DifferentialRun(seed: seed, joserfcVersion: version, judged: judged, timings: timings)
    }

    // MARK: Minting

    static func mintWithJoserfc(_ variants: [String: [SignedVariant]]) throws -> [DifferentialSlice: (JSONObject, [String])] {
        let profiles = DifferentialProfile.all.filter { $0.minters.contains(.joserfc) }
        let request: [String: Any] = [
            "command": "mint",
            "profiles": profiles.map { profile -> [String: Any] in
                ["name": profile.name, "alg": profile.algorithm.rawValue, "kid": profile.kid, "key": profile.key.oracleSpec,
                 "messages": (variants[profile.name] ?? []).map { oracleMessage($0.request) }]
            },
        ]
        let answer = try JoserfcOracle.call(request)
        guard let minted = answer["profiles"] as? [[String: Any]], minted.count == profiles.count else {
            throw OracleError("the mint answer does not list \(profiles.count) profiles")
        }
        var result: [DifferentialSlice: (JSONObject, [String])] = [:]
        for (profile, entry) in zip(profiles, minted) {
            guard entry["name"] as? String == profile.name, let jwk = entry["jwk"] as? [String: Any], let tokens = entry["tokens"] as? [String] else {
                throw OracleError("the mint answer for \(profile.name) is incomplete")
            }
            let members = jwk.keys.sorted().filter { !["alg", "use", "key_ops"].contains($0) }.map { ($0, jsonValue(jwk[$0] as Any)) }
            result[DifferentialSlice(profile: profile, minter: .joserfc)] = (JSONObject(members), tokens)
        }
        return result
    }

    static func mintWithLayabAuth(_ variants: [String: [SignedVariant]]) throws -> [DifferentialSlice: (JSONObject, [String])] {
        var result: [DifferentialSlice: (JSONObject, [String])] = [:]
        var rsaKeys: [Int: String] = [:]
        for profile in DifferentialProfile.all where profile.minters.contains(.layabAuth) {
            let minter = try LayabAuthMinter(profile, rsaKeys: &rsaKeys)
            let tokens = try (variants[profile.name] ?? []).map { try minter.sign($0.request) }
            result[DifferentialSlice(profile: profile, minter: .layabAuth)] = (minter.keyMembers, tokens)
        }
        return result
    }

    static func oracleMessage(_ request: SigningRequest) -> [String: Any] {
        switch request {
        case let .compact(header, payload): ["mode": "compact", "header": foundationObject(.object(header)), "payload": payload]
        case let .raw(algorithm, signingInput): ["mode": "raw", "alg": algorithm.rawValue, "signing_input": signingInput]
        case let .confusion(signingInput): ["mode": "confusion", "alg": "HS256", "signing_input": signingInput]
        }
    }

    // MARK: Judging

    static func judgeWithJoserfc(_ cases: [DifferentialCase]) throws -> [LibraryVerdict] {
        let answer = try JoserfcOracle.call([
            "command": "verify",
            "now": SignedVariants.now,
            "leeway": SignedVariants.leeway,
            "algorithms": algorithms.map(\.rawValue),
            "cases": cases.map { ["name": $0.name, "token": $0.token, "jwks": foundationObject($0.jwks)] },
        ])
        guard let verdicts = answer["verdicts"] as? [[String: Any]], verdicts.count == cases.count else {
            throw OracleError("the verify answer does not hold \(cases.count) verdicts")
        }
        return try zip(cases, verdicts).map { testCase, verdict in
            guard verdict["name"] as? String == testCase.name, let accepted = verdict["accepted"] as? Bool else {
                throw OracleError("verdict out of order or incomplete for \(testCase.name): \(verdict)")
            }
            return LibraryVerdict(accepted: accepted, code: nil, detail: verdict["error"] as? String ?? "")
        }
    }

    static func judgeWithLayabAuth(_ cases: [DifferentialCase]) -> [LibraryVerdict] {
        var verifiers: [String: Result<Verifier, LayabAuthError>] = [:]
        let configuration = VerifierConfiguration(algorithms: Set(algorithms), leeway: Double(SignedVariants.leeway),
                                                  requiredClaims: ["exp"], clock: { Double(SignedVariants.now) })
        return cases.map { testCase in
            let text = testCase.jwks.jsonText
            let verifier = verifiers[text] ?? Result { () throws(LayabAuthError) in
                try Verifier(keys: try KeySet(jwksJSON: text, origin: .configured), configuration: configuration)
            }
            verifiers[text] = verifier
            do {
                _ = try verifier.get().verify(testCase.token)
                return LibraryVerdict(accepted: true, code: nil, detail: "")
            } catch let error as LayabAuthError {
                return LibraryVerdict(accepted: false, code: error.code, detail: error.description)
            } catch {
                return LibraryVerdict(accepted: false, code: nil, detail: "\(error)")
            }
        }
    }

    // MARK: JSON between Foundation and LayabAuth

    static func foundationObject(_ value: JSONValue) -> Any {
        switch value {
        case .null: NSNull()
        case let .bool(bool): bool
        case let .integer(integer): integer
        case let .number(number): number
        case let .string(string): string
        case let .array(elements): elements.map(foundationObject)
        case let .object(object): Dictionary(object.members.map { ($0.name, foundationObject($0.value)) }, uniquingKeysWith: { _, last in last })
        }
    }

    static func jsonValue(_ object: Any) -> JSONValue {
        switch object {
        case let string as String: .string(string)
        case let bool as Bool: .bool(bool)
        case let integer as Int: .integer(Int64(integer))
        case let number as Double: .number(number)
        case let array as [Any]: .array(array.map(jsonValue))
        case let dictionary as [String: Any]: .object(JSONObject(dictionary.keys.sorted().map { ($0, jsonValue(dictionary[$0] as Any)) }))
        default: .null
        }
    }
}

/// The second key of the `withSecondKey` sets: another key type than the profile's (an HMAC secret bound to
/// another algorithm for HS profiles), so that exactly one key of the set fits the token's algorithm.
struct SecondKeys {
    let edwards: JSONObject
    let ec: JSONObject
    let secret: [UInt8]

    init() throws {
        edwards = try SigningKey.generate(.ed25519, kid: "k-second").verificationKey.publicJWK
        ec = try SigningKey.generate(.es256, kid: "k-second").verificationKey.publicJWK
        var generator = SystemRandomNumberGenerator()
        secret = (0..<64).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    func jwk(beside profile: DifferentialProfile) -> JSONValue {
        switch profile.algorithm.family {
        case .hmac:
            let other: Algorithm = profile.algorithm == .hs512 ? .hs256 : .hs512
            return .object(JSONObject([("kty", "oct"), ("kid", "k-second"), ("alg", .string(other.rawValue)), ("use", "sig"),
                                       ("k", .string(Base64URL.encode(secret)))]))
        case .eddsa: return .object(ec)
        default: return .object(edwards)
        }
    }
}

/// Work on a thread of its own, waited for with ``value()`` (blocking, for other background threads) or
/// ``result()`` (suspending, for tests on the cooperative pool).
final class BackgroundWork<Value: Sendable>: Sendable {
    private enum State {
        case running(waiters: [CheckedContinuation<Result<Value, OracleError>, Never>])
        case finished(Result<Value, OracleError>)
    }

    private let state = Mutex<State>(.running(waiters: []))
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> Value) {
        let thread = Thread {
            let outcome: Result<Value, OracleError>
            do { outcome = .success(try body()) } catch let error as OracleError { outcome = .failure(error) } catch {
                outcome = .failure(OracleError("\(error)"))
            }
            self.finish(outcome)
        }
        thread.start()
    }

    private func finish(_ outcome: Result<Value, OracleError>) {
        let waiters = state.withLock { state in
            guard case .running(let waiters) = state else { return [CheckedContinuation<Result<Value, OracleError>, Never>]() }
            state = .finished(outcome)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
        done.signal()
    }

    /// Blocks the calling thread until the work is done. Only for threads outside the cooperative pool.
    func value() throws -> Value {
        done.wait()
        done.signal()  // a second call does not wait forever
        guard case .finished(let outcome) = state.withLock({ $0 }) else { throw OracleError("the background work ended without a result") }
        return try outcome.get()
    }

    /// Suspends until the work is done, holding no thread meanwhile.
    func result() async throws -> Value {
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, OracleError>, Never>) in
            let finished: Result<Value, OracleError>? = state.withLock { state in
                switch state {
                case .finished(let outcome): return outcome
                case .running(let waiters):
                    state = .running(waiters: waiters + [continuation])
                    return nil
                }
            }
            if let finished { continuation.resume(returning: finished) }
        }
        return try outcome.get()
    }
}
