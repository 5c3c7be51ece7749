import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabConsole

extension VerifyCommand {
    /// Batch mode (`verify -`): one result line per line of standard input, in input order, streamed, the lines
    /// verified on every core (see `OrderedBatch`).
    /// - Returns: what the lines came to, for the exit status.
    /// - Throws: `InputError` when standard input held no line or could not be read.
    func runBatch(_ judge: BatchJudge) async throws -> Outcome {
        let reader = Locked(BoundedLineReader(limit: Self.lineLimit))
        let outcome = Locked(Outcome())
        let count = try await OrderedBatch<BoundedLineReader.Line, BatchResult>(window: OrderedBatch<BoundedLineReader.Line, BatchResult>.defaultWindow).run(
            read: { try reader.withLock { try $0.next() } },
            ready: { reader.withLock { $0.hasBufferedLine } },
            judge: { line, number in await judge.result(of: line, number: number) },
            write: { _, results in
                var output: [UInt8] = []
                for result in results {
                    // The notices of a line go out with its result, so that both streams keep the input's order.
                    for notice in result.notices { Output.error(notice) }
                    output += result.output
                }
                Output.write(output)
                outcome.withLock { outcome in for result in results { outcome.add(result.outcome) } }
            }
        )
        if count == 0 { throw InputError("standard input held no token: give one token per line") }
        return outcome.withLock { $0 }
    }

    /// The result of one batch line: its output line, the notices for standard error and what it counts for
    /// the exit status.
    struct BatchResult: Sendable {
        var output: [UInt8]
        var notices: [String] = []
        var outcome = Outcome()
    }

    /// Judges batch lines, concurrently: what ``run()`` prepared, shared by every line.
    struct BatchJudge: Sendable {
        let json: Bool
        let verifier: any ReportingVerifier
        let requirement: ScopeRequirement?
        let configuration: VerifierConfiguration
        let authentication: AuthenticationRequirement?
        let weakKeys: [WeakKey]
        /// With the predicate that says which tokens go to it.
        let introspector: (verifier: IntrospectionVerifier, introspects: @Sendable (String) -> Bool)?
        let style: TextStyle

        func result(of line: BoundedLineReader.Line, number: Int) async -> BatchResult {
            switch line {
            case let .text(line):
                return await result(ofText: line, number: number)
            case let .tooLong(bytes):
                return unreadable(LayabAuthError(.tokenTooLarge, "line \(number) has \(bytes) bytes, the limit for a line is \(VerifyCommand.lineLimit)"),
                                  number: number)
            case let .notText(invalid):
                return unreadable(LayabAuthError(.malformed, "line \(number) is not UTF-8 text: \(invalid)"), number: number)
            }
        }

        private func result(ofText line: String, number: Int) async -> BatchResult {
            if line.allSatisfy(\.isWhitespace) { return unreadable(LayabAuthError(.missingToken, "line \(number) is empty"), number: number) }
            let token: String
            switch TokenInput.credential(line) {
            case let .success(found): token = found
            case let .failure(error): return unreadable(error, number: number)
            }
            if let introspector, introspector.introspects(token) {
                return introspected(await introspector.verifier.report(token, requiring: requirement, authentication: authentication), number: number)
            }
            // A line that is the token itself had nothing taken out of it nor removed: there is no notice to look for
            // (looking costs a fifth of a valid token's time).
            let notices = Self.isWholeLine(token, line) ? [] : VerifyCommand.removedWhitespaceNotices(in: line, token: "line \(number)")
            if !json {
                // The usual case first: a valid token needs no report of every check, only its line.
                if let verified = try? await verifier.verify(token, requiring: requirement),
                   authentication.map({ (try? verified.check($0, configuration: configuration)) != nil }) ?? true
                {
                    return BatchResult(output: textLine("line \(number): \(style.ok("VALID"))\(Self.subject(verified.claims.subject))"), notices: notices)
                }
            }
            let report = await verifier.report(token, requiring: requirement, authentication: authentication).checkingWeakKeys(weakKeys)
            var outcome = Outcome()
            outcome.add(report)
            if json { return BatchResult(output: jsonLine { ReportJSON.write(report, line: number, to: &$0) }, notices: notices, outcome: outcome) }
            let text = report.isValid
                ? "line \(number): \(style.ok("VALID"))\(Self.subject(report.decoded?.claims?.subject))"
                : "line \(number): \(style.error("REJECTED")) \(Self.reasons(report.errors))"
            return BatchResult(output: textLine(text), notices: notices, outcome: outcome)
        }

        private func introspected(_ report: IntrospectionReport, number: Int) -> BatchResult {
            var outcome = Outcome()
            outcome.add(report)
            if json { return BatchResult(output: jsonLine { ReportJSON.write(report, line: number, to: &$0) }, outcome: outcome) }
            let text = report.isValid
                ? "line \(number): \(style.ok("VALID")) introspected\(Self.subject(report.claims?.subject))"
                : "line \(number): \(style.error("REJECTED")) introspected \(Self.reasons(report.errors))"
            return BatchResult(output: textLine(text), outcome: outcome)
        }

        /// The result line of a batch line that holds no token to verify.
        private func unreadable(_ error: LayabAuthError, number: Int) -> BatchResult {
            var outcome = Outcome()
            outcome.add(.undecodable(error))
            if json { return BatchResult(output: jsonLine { ReportJSON.writeUnreadable(error, line: number, to: &$0) }, outcome: outcome) }
            return BatchResult(output: textLine("line \(number): \(style.error("REJECTED")) \(error.code.rawValue): \(TerminalText.printable(error.message))"),
                               outcome: outcome)
        }

        /// Whether `token` is all of `line`, byte for byte: compared in place (a line is a native string), not
        /// byte by byte through the UTF-8 views.
        private static func isWholeLine(_ token: String, _ line: String) -> Bool {
            var token = token, line = line
            return token.withUTF8 { token in
                line.withUTF8 { line in
                    guard token.count == line.count, let t = token.baseAddress, let l = line.baseAddress else { return token.count == line.count }
                    return memcmp(t, l, token.count) == 0
                }
            }
        }

        private func textLine(_ text: String) -> [UInt8] { Array((text + "\n").utf8) }

        private func jsonLine(_ write: (inout JSONWriter) -> Void) -> [UInt8] {
            var writer = JSONWriter()
            write(&writer)
            writer.lineBreak()
            return writer.bytes
        }

        /// The subject and the reasons quote the token: escaped, so that each token keeps to one line.
        private static func subject(_ subject: String?) -> String {
            subject.map { " sub \"\(TerminalText.printable($0))\"" } ?? ""
        }

        private static func reasons(_ errors: [LayabAuthError]) -> String {
            TerminalText.printable(errors.map { "\($0.code.rawValue): \($0.message)" }.joined(separator: "; "))
        }
    }
}

extension VerifyCommand.Outcome {
    /// Both outcomes: the worst status of the two holds.
    mutating func add(_ other: Self) {
        rejected = rejected || other.rejected
        keysUnavailable = keysUnavailable || other.keysUnavailable
    }
}

extension Output {
    /// Writes bytes to standard output at once, all of them, so that batch results stream through pipes.
    static func write(_ bytes: [UInt8]) {
        // After whatever `print` left in stdio's buffer.
        fflush(nil)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = Foundation.write(STDOUT_FILENO, base + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written == 0 || errno != EINTR {
                    return
                }
            }
        }
    }
}
