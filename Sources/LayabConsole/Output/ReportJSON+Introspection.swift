import LayabAuth

extension ReportJSON {
    /// An introspected token as `layabauth verify --json` prints it: the members of a JWS's object, with
    /// `introspected` naming the endpoint, the answer as `claims`, and no header or key.
    package static func write(_ report: IntrospectionReport, line: Int? = nil, to writer: inout JSONWriter) {
        writer.object { writer in
            writeVerdict(line: line, errors: report.errors, to: &writer)
            writer.name("introspected")
            writer.string(report.endpoint)
            writer.name("active")
            writer.bool(report.isActive)
            writer.name("header")
            writer.null()
            writer.name("claims")
            if let claims = report.claims { writer.object(claims.members) } else { writer.null() }
            writer.name("key")
            writer.null()
            writer.name("scopes")
            writeScopes(report.scopes, to: &writer)
            if let authentication = report.authentication {
                writer.name("authentication")
                write(authentication, to: &writer)
            }
        }
    }
}
