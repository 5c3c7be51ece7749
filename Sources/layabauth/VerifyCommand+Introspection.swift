import LayabAuth
import LayabAuthJWKS
import LayabConsole

extension VerifyCommand {
    /// Introspects one token and prints its whole report (batch mode prints a line instead: `BatchJudge`).
    func printIntrospection(_ token: String, introspector: IntrospectionVerifier, authentication: AuthenticationRequirement?,
                            text: ReportText) async -> IntrospectionReport
    {
        let report = await introspector.report(token, requiring: checks.requirement, authentication: authentication)
        if json {
            var writer = JSONWriter()
            ReportJSON.write(report, to: &writer)
            writer.lineBreak()
            Output.write(writer.bytes)
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
