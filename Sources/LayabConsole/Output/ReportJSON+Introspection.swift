import LayabAuth

extension ReportJSON {
    /// An introspected token as `layabauth verify --json` prints it: the members of a JWS's object, with
    /// `introspected` naming the endpoint, the answer as `claims`, and no header or key.
    package static func object(_ report: IntrospectionReport, line: Int? = nil) -> JSONObject {
        var object = JSONObject()
        if let line { object["line"] = .integer(Int64(line)) }
        object["valid"] = .bool(report.isValid)
        object["errors"] = .array(report.errors.map(error))
        object["introspected"] = report.endpoint.map(JSONValue.string) ?? .null
        object["active"] = .bool(report.isActive)
        object["header"] = .null
        object["claims"] = report.claims.map { .object($0.members) } ?? .null
        object["key"] = .null
        object["scopes"] = scopesObject(report.scopes)
        if let authentication = report.authentication { object["authentication"] = ReportJSON.authentication(authentication) }
        return object
    }
}
