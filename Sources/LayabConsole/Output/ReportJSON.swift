import LayabAuth

/// The machine-readable form of a verification, as `layabauth verify --json` prints it (one object per token).
package enum ReportJSON {
    package static func object(_ report: VerificationReport, line: Int? = nil) -> JSONObject {
        var object = JSONObject()
        if let line { object["line"] = .integer(Int64(line)) }
        object["valid"] = .bool(report.isValid)
        object["errors"] = .array(report.errors.map(error))
        object["header"] = report.decoded.map { .object($0.header.members) } ?? .null
        object["claims"] = report.decoded?.claims.map { .object($0.members) } ?? .null
        object["key"] = report.signature.key.map { .object(key($0)) } ?? .null
        object["accessTokenProfile"] = report.accessTokenProfile?.json ?? .null
        // Only when there is something to explain, so that the usual object keeps its members.
        if !report.hints.isEmpty { object["hints"] = .array(report.hints.map(JSONValue.string)) }
        object["scopes"] = scopesObject(report.scopes)
        if let authentication = report.authentication { object["authentication"] = ReportJSON.authentication(authentication) }
        return object
    }

    /// present and missing are about the required scopes; granted is every scope the token carries, as
    /// the verifier's scope extractor reads them (empty when the claims could not be read).
    static func scopesObject(_ scopes: ScopeEvaluation?) -> JSONValue {
        [
            "required": .array((scopes?.requirement.scopes ?? []).map(JSONValue.string)),
            "present": .array((scopes?.present ?? []).map(JSONValue.string)),
            "missing": .array((scopes?.missing ?? []).map(JSONValue.string)),
            "granted": .array((scopes?.granted ?? []).map(JSONValue.string)),
        ]
    }

    package static func error(_ error: LayabAuthError) -> JSONValue {
        ["code": .string(error.code.rawValue), "message": .string(error.message)]
    }

    package static func key(_ key: VerificationKey) -> JSONObject {
        [
            "kid": key.kid.map(JSONValue.string) ?? .null,
            "kty": .string(key.keyType.rawValue),
            "alg": key.algorithm.map(JSONValue.string) ?? .null,
            "thumbprint": .string(key.thumbprint),
        ]
    }

    /// A line for a token that could not even be read (batch mode).
    package static func unreadable(_ error: LayabAuthError, line: Int?) -> JSONObject {
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
}
