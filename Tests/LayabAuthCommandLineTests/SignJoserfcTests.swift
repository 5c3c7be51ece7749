import Foundation
import LayabAuth
import LayabAuthJWKS
import TestSupport
import Testing

/// `Tests/LayabAuthTests/Differential/joserfc_oracle.py`, the differential tests' joserfc judge, called from
/// this target, which runs the real binary (the other target's `JoserfcOracle` is not visible here).
enum JoserfcScript {
    static let scriptPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LayabAuthTests/Differential/joserfc_oracle.py").path

    /// Where joserfc cannot be imported the suite is skipped, except under CI (`CI=true`), where it fails.
    static let importable = (try? oracle(["command": "capabilities"]))?["joserfc"] != nil
    static var shouldRun: Bool { importable || ["true", "1"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "") }
    static var skipComment: Comment { "joserfc is not importable by python3; install it with `python3 -m pip install joserfc` or `make python-deps`" }

    /// One request to the oracle script, its JSON answer.
    static func oracle(_ request: [String: Any]) throws -> [String: Any] {
        try answer(try JSONSerialization.data(withJSONObject: request))
    }

    /// The answer to a request already encoded, which (unlike a dictionary of `Any`) may cross to another thread.
    static func answer(_ request: Data) throws -> [String: Any] {
        let run = try Subprocess.runBlocking("/usr/bin/env", ["python3", scriptPath], input: [UInt8](request))
        guard run.status == 0, let answer = try JSONSerialization.jsonObject(with: Data(run.standardOutput)) as? [String: Any] else {
            throw OracleFailure(description: "joserfc_oracle.py: \(run)")
        }
        return answer
    }

    struct OracleFailure: Error, CustomStringConvertible { let description: String }
}

/// Tokens made by `layabauth sign` judged by joserfc, a second implementation, for every algorithm.
@Suite("layabauth sign, verified by joserfc", .fewAtATime, .enabled(if: JoserfcScript.shouldRun, JoserfcScript.skipComment))
struct SignJoserfcTests {
    @Test("joserfc accepts the token with the published key (the secret for HMAC)", arguments: Algorithm.allCases)
    func joserfcVerifies(algorithm: Algorithm) async throws {
        let directory = try TemporaryDirectory()
        let jwksPath = directory.path("jwks.json")
        let secret = Array(repeating: UInt8(0x5A), count: 64)
        let keyArguments = algorithm.family == .hmac
            ? ["--secret-file", try directory.write("secret", bytes: secret), "--algorithm", algorithm.rawValue]
            : ["--generate", algorithm.rawValue, "--public-jwks", jwksPath]
        let signed = try await layabauth(["sign", "--iss", "https://issuer.test", "--aud", "api", "--exp", "10m"] + keyArguments)
        #expect(signed.status == 0, "\(signed)")
        let token = signed.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let jwks: Any = algorithm.family == .hmac
            ? ["keys": [["kty": "oct", "k": Base64URL.encode(secret)]]]
            : try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jwksPath)))
        let request = try JSONSerialization.data(withJSONObject: [
            "command": "verify", "now": Int(Date().timeIntervalSince1970), "leeway": 30, "algorithms": [algorithm.rawValue],
            "cases": [["name": algorithm.rawValue, "token": token, "jwks": jwks]],
        ])
        let (accepted, error) = try await OwnThread.run {
            let verdict = (try JoserfcScript.answer(request)["verdicts"] as? [[String: Any]])?.first
            return (verdict?["accepted"] as? Bool, "\(verdict?["error"] ?? "no verdict")")
        }
        #expect(accepted == true, "joserfc: \(error)")
    }
}
