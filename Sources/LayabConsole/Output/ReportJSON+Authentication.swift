import LayabAuth

extension ReportJSON {
    /// A step-up requirement (RFC 9470) and what the token showed: the `authentication` member of a report,
    /// present only when a requirement was given.
    static func write(_ evaluation: AuthenticationEvaluation, to writer: inout JSONWriter) {
        let requirement = evaluation.requirement
        writer.object { writer in
            writer.name("acr_values")
            writer.array(requirement.acceptedACRs)
            writer.name("max_age")
            if let maxAge = requirement.maxAge { writer.number(maxAge) } else { writer.null() }
            writer.name("acr")
            writer.string(evaluation.acr)
            writer.name("auth_time")
            if let authenticatedAt = evaluation.authenticatedAt { writer.number(authenticatedAt) } else { writer.null() }
            writer.name("satisfied")
            writer.bool(evaluation.isSatisfied)
            writer.name("checks")
            writer.array { writer in
                for check in evaluation.checks {
                    writer.object { writer in
                        writer.name("claim")
                        writer.string(check.claim)
                        writer.name("passed")
                        writer.bool(check.passed)
                        switch check.outcome {
                        case let .passed(detail), let .skipped(detail):
                            writer.name("detail")
                            writer.string(detail)
                        case let .failed(error):
                            writer.name("error")
                            writeMembers(errorMembers(error), to: &writer)
                        }
                    }
                }
            }
        }
    }
}
