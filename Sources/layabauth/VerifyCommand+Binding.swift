import LayabAuth
import LayabAuthJWKS
import LayabConsole

extension VerifyCommand {
    /// The binding report of one token: with `--dpop` or `--client-cert`, or for a token with `cnf`, whose
    /// binding a server checks whatever the request; nil otherwise (the report stays as it was).
    func bindingReport(_ token: String, report: VerificationReport, verifier: any ReportingVerifier,
                       request: BindingRequest?, now: Double) async -> BindingReport?
    {
        guard let request, binding.isGiven || report.decoded?.claims?["cnf"] != nil else { return nil }
        let verified = report.isValid ? try? await verifier.verify(token, requiring: checks.requirement) : nil
        return await BindingReport.evaluate(report, verified: verified, request: request, now: now)
    }
}
