import LayabAuth
import LayabAuthJWKS
import LayabConsole

extension VerifyCommand {
    /// Introspects one token and prints its report: whole, or as one result line in batch mode (`line`).
    func printIntrospection(_ token: String, introspector: IntrospectionVerifier, authentication: AuthenticationRequirement?, text: ReportText,
                            line: Int? = nil) async -> IntrospectionReport
    {
        let report = await introspector.report(token, requiring: checks.requirement, authentication: authentication)
        if json {
            Output.json(ReportJSON.object(report, line: line))
        } else if let line {
            if report.isValid {
                let subject = report.claims?.subject.map { " sub \"\(TerminalText.printable($0))\"" } ?? ""
                Output.line("line \(line): \(text.style.ok("VALID")) introspected\(subject)")
            } else {
                let reasons = TerminalText.printable(report.errors.map { "\($0.code.rawValue): \($0.message)" }.joined(separator: "; "))
                Output.line("line \(line): \(text.style.error("REJECTED")) introspected \(reasons)")
            }
        } else {
            Output.line(text.report(report))
        }
        return report
    }
}

extension VerifyCommand.Outcome {
    /// An endpoint that gave no answer is like keys that could not be obtained (exit 3); any other failure rejects.
    mutating func add(_ report: IntrospectionReport) {
        guard let first = report.errors.first else { return }
        if first.code == .introspectionUnavailable { keysUnavailable = true } else { rejected = true }
    }
}
