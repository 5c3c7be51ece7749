import LayabAuth

extension ReportText {
    /// The rows of a step-up requirement (RFC 9470): one per check, `acr` then `auth_time`.
    func authenticationRows(_ evaluation: AuthenticationEvaluation) -> [String] {
        evaluation.checks.map { check in
            switch check.outcome {
            case let .passed(detail): row(true, check.claim, detail)
            case let .failed(error): row(false, check.claim, error.code.rawValue + ": " + error.message)
            case let .skipped(reason): row(nil, check.claim, reason)
            }
        }
    }
}
