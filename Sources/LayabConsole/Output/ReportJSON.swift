import LayabAuth

/// The machine-readable form of a verification, as `layabauth verify --json` prints it: one object per token,
/// written straight into a ``JSONWriter``.
package enum ReportJSON {
    /// The object of one token.
    /// - Parameters:
    ///   - line: the batch line the token was read from, written first.
    ///   - binding: the request's binding checks, written last.
    package static func write(_ report: VerificationReport, line: Int? = nil, binding: BindingReport? = nil, to writer: inout JSONWriter) {
        writer.object { writer in
            writeVerdict(line: line, errors: report.errors, to: &writer)
            writer.name("header")
            if let decoded = report.decoded { writer.object(decoded.header.members) } else { writer.null() }
            writer.name("claims")
            if let claims = report.decoded?.claims { writer.object(claims.members) } else { writer.null() }
            writer.name("key")
            if let key = report.signature.key { writeMembers(keyMembers(key), to: &writer) } else { writer.null() }
            writer.name("accessTokenProfile")
            if let profile = report.accessTokenProfile {
                writer.object { writer in
                    writer.name("satisfied")
                    writer.bool(profile.isSatisfied)
                    writer.name("reasons")
                    writer.array(profile.reasons)
                }
            } else {
                writer.null()
            }
            // Only when there is something to explain, so that the usual object keeps its members.
            let hints = report.hints
            if !hints.isEmpty {
                writer.name("hints")
                writer.array(hints)
            }
            writer.name("scopes")
            writeScopes(report.scopes, to: &writer)
            if let authentication = report.authentication {
                writer.name("authentication")
                write(authentication, to: &writer)
            }
            if let binding {
                writer.name("binding")
                writer.value(ReportJSON.binding(binding))
            }
        }
    }

    /// A line for a token that could not even be read (batch mode).
    package static func writeUnreadable(_ error: LayabAuthError, line: Int?, to writer: inout JSONWriter) {
        writer.object { writer in
            writeVerdict(line: line, errors: [error], to: &writer)
            for name in ["header", "claims", "key", "accessTokenProfile"] {
                writer.name(name)
                writer.null()
            }
            writer.name("scopes")
            writeScopes(nil, to: &writer)
        }
    }

    /// The members every result starts with: its batch line, whether it is valid (no error) and the errors.
    static func writeVerdict(line: Int?, errors: [LayabAuthError], to writer: inout JSONWriter) {
        if let line {
            writer.name("line")
            writer.integer(Int64(line))
        }
        writer.name("valid")
        writer.bool(errors.isEmpty)
        writer.name("errors")
        writeErrors(errors, to: &writer)
    }

    /// present and missing are about the required scopes; granted is every scope the token carries, as
    /// the verifier's scope extractor reads them (empty when the claims could not be read).
    static func writeScopes(_ scopes: ScopeEvaluation?, to writer: inout JSONWriter) {
        writer.object { writer in
            writer.name("required")
            writer.array(scopes?.requirement.scopes ?? [])
            writer.name("present")
            writer.array(scopes?.present ?? [])
            writer.name("missing")
            writer.array(scopes?.missing ?? [])
            writer.name("granted")
            writer.array(scopes?.granted ?? [])
        }
    }

    static func writeErrors(_ errors: [LayabAuthError], to writer: inout JSONWriter) {
        writer.array { writer in
            for error in errors { writeMembers(errorMembers(error), to: &writer) }
        }
    }

    /// An object whose members are all strings or null.
    static func writeMembers(_ members: [(name: String, value: String?)], to writer: inout JSONWriter) {
        writer.object { writer in
            for member in members {
                writer.name(member.name)
                writer.string(member.value)
            }
        }
    }

    static func errorMembers(_ error: LayabAuthError) -> [(name: String, value: String?)] {
        [("code", error.code.rawValue), ("message", error.message)]
    }

    private static func keyMembers(_ key: VerificationKey) -> [(name: String, value: String?)] {
        [("kid", key.kid), ("kty", key.keyType.rawValue), ("alg", key.algorithm), ("thumbprint", key.thumbprint)]
    }

    package static func error(_ error: LayabAuthError) -> JSONValue {
        .object(JSONObject(errorMembers(error).map { ($0.name, $0.value.map(JSONValue.string) ?? .null) }))
    }

    package static func key(_ key: VerificationKey) -> JSONObject {
        JSONObject(keyMembers(key).map { ($0.name, $0.value.map(JSONValue.string) ?? .null) })
    }
}
