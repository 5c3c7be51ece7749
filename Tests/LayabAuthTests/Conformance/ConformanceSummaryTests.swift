import Foundation
import LayabAuth
import Testing

/// One line per vector file with the verdict counts docs/conformance.md reports, then one line per deviation.
/// Run it alone with `swift test --skip-build --filter ConformanceSummary`; with `LAYABAUTH_CONFORMANCE_VERBOSE=1`
/// it also prints every vector's outcome.
@Suite("Conformance summary", .enabled(if: TestVectorFolder.isAvailable, TestVectorFolder.skipComment))
struct ConformanceSummaryTests {
    struct Tally {
        var run = 0
        var validAccepted = 0, validRefused = 0
        var invalidRejected = 0, invalidAccepted = 0
        var acceptableAccepted: [Int] = [], acceptableRejected: [Int] = []
        var nonConforming: [String] = []
    }

    @Test("Every applicable vector is run and conforms; print the counts per file")
    func summary() {
        let library = VectorLibrary.shared
        var tallies: [String: Tally] = [:]
        var deviations: [Deviation: [String: [Int]]] = [:]
        let verbose = ProcessInfo.processInfo.environment["LAYABAUTH_CONFORMANCE_VERBOSE"] != nil
        for vector in library.vectors {
            let outcome = vector.evaluate()
            if verbose { print("[conformance] \(vector.testDescription) → \(outcome)") }
            var tally = tallies[vector.file] ?? Tally()
            tally.run += 1
            switch (vector.result, outcome.accepted) {
            case (.valid, true): tally.validAccepted += 1
            case (.valid, false): tally.validRefused += 1
            case (.invalid, false): tally.invalidRejected += 1
            case (.invalid, true): tally.invalidAccepted += 1
            case (.acceptable, true): tally.acceptableAccepted.append(vector.tcId)
            case (.acceptable, false): tally.acceptableRejected.append(vector.tcId)
            }
            if !conforms(vector, outcome) { tally.nonConforming.append("tcId \(vector.tcId): \(outcome)") }
            if let deviation = vector.deviation { deviations[deviation, default: [:]][vector.file, default: []].append(vector.tcId) }
            tallies[vector.file] = tally
        }

        var total = Tally()
        for file in library.files {
            let tally = tallies[file] ?? Tally()
            let skipped = library.notApplicable[file]
            let declared = library.declared[file] ?? tally.run
            var line = "[conformance] \(file): run \(tally.run) of \(declared)"
            if let skipped { line += " (\(skipped.count) not applicable: \(skipped.reason))" }
            line += " | valid accepted \(tally.validAccepted), valid refused \(tally.validRefused)"
            line += " | invalid rejected \(tally.invalidRejected), invalid accepted \(tally.invalidAccepted)"
            let acceptable = tally.acceptableAccepted.count + tally.acceptableRejected.count
            if acceptable > 0 {
                line += " | acceptable \(acceptable): accepted \(Self.list(tally.acceptableAccepted)), rejected \(Self.list(tally.acceptableRejected))"
            }
            print(line)
            #expect(tally.run + (skipped?.count ?? 0) == declared, "\(file): \(tally.run) run + \(skipped?.count ?? 0) not applicable ≠ \(declared) declared")
            #expect(tally.nonConforming.isEmpty, "\(file) does not conform:\n\(tally.nonConforming.joined(separator: "\n"))")
            total.run += tally.run
            total.validAccepted += tally.validAccepted
            total.validRefused += tally.validRefused
            total.invalidRejected += tally.invalidRejected
            total.invalidAccepted += tally.invalidAccepted
            total.acceptableAccepted += tally.acceptableAccepted
            total.acceptableRejected += tally.acceptableRejected
        }
        print("[conformance] total: run \(total.run) | valid accepted \(total.validAccepted), valid refused \(total.validRefused)"
            + " | invalid rejected \(total.invalidRejected), invalid accepted \(total.invalidAccepted)"
            + " | acceptable accepted \(total.acceptableAccepted.count), rejected \(total.acceptableRejected.count)")
        for deviation in Deviation.allCases {
            guard let files = deviations[deviation] else { continue }
            let where_ = files.keys.sorted().map { "\($0) tcId \((files[$0] ?? []).map(String.init).joined(separator: ", "))" }.joined(separator: "; ")
            print("[conformance] deviation \(deviation.rawValue) (\(deviation.reason)): \(where_)")
        }
        // Every documented deviation is exercised, so none outlives the vectors it was written for.
        #expect(Set(deviations.keys) == Set(Deviation.allCases), "deviations without a vector: \(Set(Deviation.allCases).subtracting(deviations.keys))")
    }

    private static func list(_ tcIds: [Int]) -> String {
        tcIds.isEmpty ? "0" : "\(tcIds.count) (\(tcIds.map(String.init).joined(separator: ", ")))"
    }
}
