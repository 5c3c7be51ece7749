import LayabAuth

extension VerificationPanel {
    /// The step-up requirement (RFC 9470) beside the scopes: what is required, then the token's `acr` and the
    /// age of its `auth_time`, each accepted or not. Empty when no requirement is set.
    static func authentication(_ report: VerificationReport, width: Int) -> [StyledLine] {
        authentication(report.authentication, width: width)
    }

    /// The lines of one evaluation (a JWS's or an introspected answer's); empty for nil.
    static func authentication(_ evaluation: AuthenticationEvaluation?, width: Int) -> [StyledLine] {
        guard let evaluation else { return [] }
        var lines = [StyledLine("Step-up    ", .accent).appending("required: \(evaluation.requirement)", .text)]
        for check in evaluation.checks {
            let label = "  " + check.claim.padded(to: 10) + " "
            switch check.outcome {
            case let .passed(detail): lines.append(StyledLine(label, .text).appending(detail, .ok))
            case let .failed(error): lines.append(StyledLine(label, .text).appending(error.message, .error))
            case let .skipped(reason): lines.append(StyledLine(label, .text).appending(reason, .muted))
            }
        }
        return lines
    }
}
