import Foundation
import Testing
import TestSupport

/// joserfc (PyPI) run as a subprocess: `joserfc_oracle.py`, beside this file, reads one JSON request on stdin
/// and answers with one JSON document on stdout. It mints tokens with joserfc and judges tokens with joserfc,
/// so that a second, independent implementation stands beside every LayabAuth verdict.
///
/// The script is excluded from the test target in Package.swift (not a source, not a resource); it is found
/// from this file's path.
enum JoserfcOracle {
    /// `joserfc_oracle.py` in this file's folder.
    static let scriptPath: String =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("joserfc_oracle.py").path

    /// CI sets `CI=true`: there, a missing joserfc fails the differential tests instead of skipping them.
    static let isCI: Bool = {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased()
        return value == "true" || value == "1"
    }()

    /// joserfc's version when `python3` can import it, else why not.
    static let availability: Result<String, OracleError> = {
        do {
            let answer = try call(["command": "capabilities"])
            guard let version = answer["joserfc"] as? String else { throw OracleError("the capabilities answer has no version: \(answer)") }
            return .success(version)
        } catch let error as OracleError {
            return .failure(error)
        } catch {
            return .failure(OracleError("\(error)"))
        }
    }()

    static var isAvailable: Bool { (try? availability.get()) != nil }

    /// The differential suites run where joserfc is importable, and under CI always (so that they fail there).
    static var shouldRun: Bool { isAvailable || isCI }

    static var skipComment: Comment {
        switch availability {
        case .success: "joserfc is available"
        case let .failure(error): "joserfc oracle unavailable (\(error)); install it with `python3 -m pip install joserfc` or `make python-deps`"
        }
    }

    /// Sends `request` (a JSON object) to the script and returns its answer.
    /// - Throws: ``OracleError`` when python3 or joserfc is missing, or the script fails.
    static func call(_ request: [String: Any]) throws -> [String: Any] {
        let request = try JSONSerialization.data(withJSONObject: request)
        let run: SubprocessResult
        do { run = try Subprocess.runBlocking("/usr/bin/env", ["python3", scriptPath], input: [UInt8](request)) } catch {
            throw OracleError("cannot start /usr/bin/env python3: \(error)")
        }
        let data = Data(run.standardOutput)
        let stderr = run.errorOutput
        let answer = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard run.status == 0, !run.timedOut, let answer else {
            let reason = (answer?["error"] as? String) ?? String(decoding: data.prefix(500), as: UTF8.self)
            throw OracleError("joserfc_oracle.py ended with \(run.ending): \(reason) \(stderr.suffix(1500))")
        }
        return answer
    }
}

struct OracleError: Error, CustomStringConvertible, Sendable {
    let description: String
    init(_ description: String) { self.description = description }
}
