import LayabAuth

extension ReportJSON {
    /// The `binding` member of `layabauth verify --json`: the request, the token's `cnf`, each binding rule and
    /// the server's answer (null when accepted).
    package static func binding(_ binding: BindingReport) -> JSONValue {
        let presentation = binding.presentation
        let request: JSONObject = [
            "scheme": .string(presentation.scheme.rawValue),
            "method": .string(presentation.method),
            "uri": .string(presentation.uri),
            "clientCertificateThumbprint": presentation.clientCertificateThumbprint.map(JSONValue.string) ?? .null,
        ]
        let checks = binding.checks.map { check -> JSONValue in
            switch check.outcome {
            case let .passed(detail): ["name": .string(check.claim), "outcome": "passed", "detail": .string(detail)]
            case let .skipped(reason): ["name": .string(check.claim), "outcome": "skipped", "detail": .string(reason)]
            case let .failed(error): ["name": .string(check.claim), "outcome": "failed", "error": ReportJSON.error(error)]
            }
        }
        let answer: JSONValue = binding.answer.map { answer in
            [
                "status": .integer(Int64(answer.status)),
                "headers": .array(answer.headers.map { ["name": .string($0.name), "value": .string($0.value)] }),
                "body": .string(answer.body),
            ]
        } ?? .null
        return [
            "request": .object(request),
            "cnf": ["jkt": binding.boundKey.map(JSONValue.string) ?? .null, "x5t#S256": binding.boundCertificate.map(JSONValue.string) ?? .null],
            "checks": .array(checks),
            "notChecked": binding.notChecked.map(JSONValue.string) ?? .null,
            "accepted": .bool(binding.refusal == nil),
            "answer": answer,
        ]
    }
}
