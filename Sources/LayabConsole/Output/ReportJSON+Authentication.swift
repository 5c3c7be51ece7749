import LayabAuth

extension ReportJSON {
    /// A step-up requirement (RFC 9470) and what the token showed: the `authentication` member of a report,
    /// present only when a requirement was given.
    static func authentication(_ evaluation: AuthenticationEvaluation) -> JSONValue {
        let requirement = evaluation.requirement
        return [
            "acr_values": .array(requirement.acceptedACRs.map(JSONValue.string)),
            "max_age": requirement.maxAge.map(JSONValue.number) ?? .null,
            "acr": evaluation.acr.map(JSONValue.string) ?? .null,
            "auth_time": evaluation.authenticatedAt.map(JSONValue.number) ?? .null,
            "satisfied": .bool(evaluation.isSatisfied),
            "checks": .array(evaluation.checks.map { check in
                var object: JSONObject = ["claim": .string(check.claim), "passed": .bool(check.passed)]
                switch check.outcome {
                case let .passed(detail), let .skipped(detail): object["detail"] = .string(detail)
                case let .failed(error): object["error"] = ReportJSON.error(error)
                }
                return .object(object)
            }),
        ]
    }
}
