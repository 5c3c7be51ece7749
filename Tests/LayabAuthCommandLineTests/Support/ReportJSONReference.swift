import LayabAuth
import LayabConsole

/// The objects `layabauth verify --json` printed before the ``JSONWriter``, built as ``JSONValue`` trees and kept
/// unchanged here as the reference the writer's bytes must equal (`ReportJSONWriterTests`).
enum ReportJSONReference {
    /// A line as `Output.json` printed it: the tree's compact text with terminal controls escaped.
    static func line(_ object: JSONObject) -> String {
        TerminalText.json(JSONValue.object(object).jsonText) + "\n"
    }

    static func object(_ report: VerificationReport, line: Int? = nil) -> JSONObject {
        var object = JSONObject()
        if let line { object["line"] = .integer(Int64(line)) }
        object["valid"] = .bool(report.isValid)
        object["errors"] = .array(report.errors.map(ReportJSON.error))
        object["header"] = report.decoded.map { .object($0.header.members) } ?? .null
        object["claims"] = report.decoded?.claims.map { .object($0.members) } ?? .null
        object["key"] = report.signature.key.map { .object(ReportJSON.key($0)) } ?? .null
        object["accessTokenProfile"] = report.accessTokenProfile.map { ["satisfied": .bool($0.isSatisfied), "reasons": .array($0.reasons.map(JSONValue.string))] } ?? .null
        if !report.hints.isEmpty { object["hints"] = .array(report.hints.map(JSONValue.string)) }
        object["scopes"] = scopesObject(report.scopes)
        if let authentication = report.authentication { object["authentication"] = Self.authentication(authentication) }
        return object
    }

    static func object(_ report: IntrospectionReport, line: Int? = nil) -> JSONObject {
        var object = JSONObject()
        if let line { object["line"] = .integer(Int64(line)) }
        object["valid"] = .bool(report.isValid)
        object["errors"] = .array(report.errors.map(ReportJSON.error))
        object["introspected"] = report.endpoint.map(JSONValue.string) ?? .null
        object["active"] = .bool(report.isActive)
        object["header"] = .null
        object["claims"] = report.claims.map { .object($0.members) } ?? .null
        object["key"] = .null
        object["scopes"] = scopesObject(report.scopes)
        if let authentication = report.authentication { object["authentication"] = Self.authentication(authentication) }
        return object
    }

    static func unreadable(_ error: LayabAuthError, line: Int?) -> JSONObject {
        var object = JSONObject()
        if let line { object["line"] = .integer(Int64(line)) }
        object["valid"] = false
        object["errors"] = [ReportJSON.error(error)]
        object["header"] = .null
        object["claims"] = .null
        object["key"] = .null
        object["accessTokenProfile"] = .null
        object["scopes"] = ["required": [], "present": [], "missing": [], "granted": []]
        return object
    }

    static func scopesObject(_ scopes: ScopeEvaluation?) -> JSONValue {
        [
            "required": .array((scopes?.requirement.scopes ?? []).map(JSONValue.string)),
            "present": .array((scopes?.present ?? []).map(JSONValue.string)),
            "missing": .array((scopes?.missing ?? []).map(JSONValue.string)),
            "granted": .array((scopes?.granted ?? []).map(JSONValue.string)),
        ]
    }

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
