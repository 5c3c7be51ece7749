import Foundation
import LayabAuth
import Testing

/// LayabAuth against joserfc (PyPI), an independent JOSE implementation: both mint, both verify, and every
/// verdict is compared. See docs/conformance.md, "Differential testing against joserfc".
///
/// ```
/// swift test --skip-build --filter Differential
/// LAYABAUTH_DIFFERENTIAL_VERBOSE=1 swift test --skip-build --filter DifferentialSummary   # every case
/// LAYABAUTH_DIFFERENTIAL_SEED=42 swift test --skip-build --filter Differential             # other mutations
/// ```
@Suite("Differential testing against joserfc", .enabled(if: JoserfcOracle.shouldRun, JoserfcOracle.skipComment))
struct DifferentialTests {
    static func run() async throws -> DifferentialRun {
        try await DifferentialRun.shared.result()
    }

    @Test("joserfc and LayabAuth reach the same verdict, or differ as documented", arguments: DifferentialSlice.all)
    func agreement(_ slice: DifferentialSlice) async throws {
        let cases = try await Self.run().judged.filter { $0.testCase.profile == slice.profile.name && $0.testCase.minter == slice.minter }
        #expect(cases.count >= (slice.profile.keyPolicy == nil ? 100 : 2), "\(slice.testDescription): only \(cases.count) cases")
        #expect(cases.contains { $0.testCase.kind == .valid || $0.testCase.kind == .keyPolicy }, "\(slice.testDescription): no valid token")
        for judged in cases {
            if let problem = judged.problem { Issue.record(Comment(rawValue: problem)) }
        }
    }

    @Test("The judge can fail: joserfc accepts LayabAuth's token, refuses it tampered, and refuses it with another key")
    func judgeCanFail() async throws {
        let key = try SigningKey.generate(.es256, kid: "judge")
        let otherKey = try SigningKey.generate(.es256, kid: "judge")
        let token = try key.sign(claims: ["sub": "alice", "exp": .integer(SignedVariants.now + 60)])
        let tampered = String(token.dropLast()) + (token.last == "A" ? "Q" : "A")
        let jwks = { (key: SigningKey) in DifferentialRun.foundationObject(["keys": [.object(key.verificationKey.publicJWK)]]) }
        let request = try JSONSerialization.data(withJSONObject: [
            "command": "verify", "now": SignedVariants.now, "leeway": 0, "algorithms": ["ES256"],
            "cases": [["name": "original", "token": token, "jwks": jwks(key)], ["name": "tampered", "token": tampered, "jwks": jwks(key)],
                      ["name": "other key", "token": token, "jwks": jwks(otherKey)]],
        ])
        // The script takes a second or so: it runs on a thread of its own, not on the cooperative pool.
        let verdicts = try await BackgroundWork {
            let answer = try JoserfcOracle.call(try JSONSerialization.jsonObject(with: request) as? [String: Any] ?? [:])
            return (answer["verdicts"] as? [[String: Any]] ?? []).map { $0["accepted"] as? Bool }
        }.result()
        #expect(verdicts == [true, false, false])
    }
}

/// The counts docs/conformance.md reports. Run it alone with `swift test --skip-build --filter DifferentialSummary`.
@Suite("Differential summary", .enabled(if: JoserfcOracle.shouldRun, JoserfcOracle.skipComment))
struct DifferentialSummaryTests {
    @Test("At least 2,000 cases, every one agreeing; print the counts per algorithm, mutation kind and policy")
    func summary() async throws {
        let run = try await DifferentialRun.shared.result()
        let judged = run.judged
        let verbose = ProcessInfo.processInfo.environment["LAYABAUTH_DIFFERENTIAL_VERBOSE"] != nil
        if verbose {
            for item in judged {
                print("[differential] \(item.testCase.name) → LayabAuth \(item.layabAuth); joserfc \(item.joserfc)")
            }
        }
        print("[differential] joserfc \(run.joserfcVersion), seed \(run.seed) (0x\(String(run.seed, radix: 16))); "
            + run.timings.map { "\($0.phase) \($0.duration)" }.joined(separator: ", "))

        func line(_ title: String, _ items: [JudgedCase]) -> String {
            let count = { (minter: Minter) in items.filter { $0.testCase.minter == minter }.count }
            let policy = items.filter { if case .policy = $0.testCase.expectation { true } else { false } }.count
            let accepted = items.filter { $0.layabAuth.accepted && $0.joserfc.accepted }.count
            let rejected = items.filter { !$0.layabAuth.accepted && !$0.joserfc.accepted }.count
            return "| \(title) | \(count(.joserfc)) | \(count(.layabAuth)) | \(items.count) | \(accepted) | \(rejected) | \(policy) | \(items.filter(\.agrees).count) |"
        }
        let header = "| %@ | minted by joserfc | minted by LayabAuth | total | both accept | both reject | policy | agree |"
        print("[differential] " + header.replacingOccurrences(of: "%@", with: "algorithm (key)"))
        for profile in DifferentialProfile.all {
            print("[differential] " + line(profile.name, judged.filter { $0.testCase.profile == profile.name }))
        }
        print("[differential] " + line("total", judged))
        print("[differential] " + header.replacingOccurrences(of: "%@", with: "mutation kind"))
        for kind in MutationKind.allCases {
            let items = judged.filter { $0.testCase.kind == kind }
            if !items.isEmpty { print("[differential] " + line(kind.rawValue, items)) }
        }
        print("[differential] | policy difference | cases | LayabAuth | joserfc | why |")
        var unused: [PolicyDifference] = []
        for policy in PolicyDifference.allCases {
            let items = judged.filter { $0.testCase.expectation == .policy(policy) }
            if items.isEmpty { unused.append(policy) }
            let layabAuth = policy.layabAuthRefusal.map { "rejects (\($0.map(\.rawValue).sorted().joined(separator: ", ")))" } ?? "accepts"
            print("[differential] | \(policy.rawValue) | \(items.count) | \(layabAuth) | \(policy.joserfcAccepts ? "accepts" : "rejects") | \(policy.rationale) |")
        }
        let agreeing = judged.filter(\.agrees).count
        let rate = judged.isEmpty ? 0 : Double(agreeing) / Double(judged.count) * 100
        print("[differential] total \(judged.count) cases, \(agreeing) agree (\(String(format: "%.2f", rate)) %), "
            + "\(judged.filter { !$0.asIntended }.count) not as intended")

        #expect(judged.count >= 2000)
        #expect(agreeing == judged.count, "\(judged.count - agreeing) disagreements; run the Differential tests for each one")
        let unintended = judged.filter { !$0.asIntended }.count
        #expect(unintended == 0, "\(unintended) cases not as intended")
        #expect(unused.isEmpty, "policy differences no case exercises: \(unused.map(\.rawValue))")
    }
}

/// Whether the judge is there at all: required under CI=true, a visible known issue elsewhere.
@Suite("Differential oracle availability")
struct DifferentialOracleAvailabilityTests {
    @Test("python3 can import joserfc (required with CI=true)")
    func available() {
        switch JoserfcOracle.availability {
        case let .success(version):
            #expect(!version.isEmpty)
        case let .failure(error):
            if JoserfcOracle.isCI {
                Issue.record("CI=true requires joserfc for the differential tests: \(error)")
            } else {
                withKnownIssue("the differential tests against joserfc did not run") { Issue.record(JoserfcOracle.skipComment) }
            }
        }
    }
}
