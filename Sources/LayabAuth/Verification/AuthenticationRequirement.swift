/// How recent or how strong the user's authentication must be for a route (RFC 9470, step-up authentication).
///
/// The route-level companion of ``ScopeRequirement``: a server checks it after verification, next to scopes,
/// and a token that falls short is refused with 401 `insufficient_user_authentication`, whose
/// `WWW-Authenticate` header tells the client which `acr_values` and `max_age` to ask the authorization
/// server for.
///
/// ```swift
/// let payments = AuthenticationRequirement(acceptedACRs: ["urn:example:mfa"], maxAge: 300)
/// try token.check(payments, now: SystemClock.now(), leeway: 30)
/// ```
public struct AuthenticationRequirement: Sendable, Hashable, CustomStringConvertible {
    /// The `acr` values accepted (compared byte for byte); empty means `acr` is not checked.
    public let acceptedACRs: [String]
    /// The longest time in seconds since the user authenticated (`now - auth_time`, plus the leeway); nil
    /// means `auth_time` is not checked. Must be finite and at least 0.
    public let maxAge: Double?

    public init(acceptedACRs: [String] = [], maxAge: Double? = nil) {
        self.acceptedACRs = acceptedACRs
        self.maxAge = maxAge
    }

    /// Requires one of these `acr` values.
    public static func acr(_ values: String...) -> AuthenticationRequirement { AuthenticationRequirement(acceptedACRs: values) }
    /// Requires an authentication at most `seconds` old.
    public static func maxAge(_ seconds: Double) -> AuthenticationRequirement { AuthenticationRequirement(maxAge: seconds) }

    /// Whether nothing is required.
    public var isEmpty: Bool { acceptedACRs.isEmpty && maxAge == nil }

    public var description: String {
        var parts: [String] = []
        if !acceptedACRs.isEmpty { parts.append("acr one of [\(acceptedACRs.joined(separator: ", "))]") }
        if let maxAge { parts.append("max_age \(JSONValue.format(maxAge)) s") }
        return parts.isEmpty ? "no authentication requirement" : parts.joined(separator: ", ")
    }

    /// RFC 9470 §3 `acr_values`: the accepted values, space-separated; nil when none are required.
    public var acrValues: String? { acceptedACRs.isEmpty ? nil : acceptedACRs.joined(separator: " ") }

    /// RFC 9470 §3 `max_age` in whole seconds (rounded down, as a client must authenticate at least that
    /// recently); nil when none is set or it is unusable.
    public var maxAgeSeconds: Int? {
        guard let maxAge, maxAge.isFinite, maxAge >= 0 else { return nil }
        return Int(min(maxAge, 1e15).rounded(.down))
    }

    /// Checks `acr` and `auth_time` of `claims` at `now`, `leeway` seconds allowed on `max_age`, and
    /// describes each check.
    public func evaluate(_ claims: Claims, now: Double, leeway: Double) -> AuthenticationEvaluation {
        var checks: [ClaimCheck] = []
        let acrValue = claims["acr"]
        let authTime = try? NumericDate.read(claims["auth_time"], named: "auth_time")
        if !acceptedACRs.isEmpty {
            checks.append(ClaimCheck(claim: "acr", outcome: outcome { () throws(LayabAuthError) in try checkACR(acrValue) }))
        }
        if maxAge != nil {
            checks.append(ClaimCheck(claim: "auth_time", outcome: outcome { () throws(LayabAuthError) in
                try checkAuthTime(claims["auth_time"], now: now, leeway: leeway)
            }))
        }
        return AuthenticationEvaluation(requirement: self, acr: acrValue?.stringValue, authenticatedAt: authTime, checks: checks)
    }

    /// Throws the first failure of ``evaluate(_:now:leeway:)`` without describing the checks that pass (the
    /// path of a server).
    /// - Throws: `insufficient_user_authentication` carrying ``acrValues`` and ``maxAgeSeconds``, or
    ///   `invalid_configuration` for a `maxAge` that is NaN, infinite or negative.
    public func check(_ claims: Claims, now: Double, leeway: Double) throws(LayabAuthError) {
        if !acceptedACRs.isEmpty { _ = try checkACR(claims["acr"]) }
        if maxAge != nil { _ = try checkAuthTime(claims["auth_time"], now: now, leeway: leeway) }
    }

    private func outcome(_ body: () throws(LayabAuthError) -> String) -> ClaimCheck.Outcome {
        do { return .passed(try body()) } catch { return .failed(error) }
    }

    /// The refusal of this requirement: RFC 9470 lets the client know `acr_values` and `max_age`, so the
    /// message a client sees may name them.
    private func refusal(_ message: String) -> LayabAuthError {
        LayabAuthError(.insufficientUserAuthentication, message, acrValues: acrValues, maxAge: maxAgeSeconds)
    }

    private var acceptedList: String { LayabAuthError.shownList(acceptedACRs) }

    private func checkACR(_ value: JSONValue?) throws(LayabAuthError) -> String {
        guard let value else { throw refusal("the token has no \"acr\" claim; accepted: \(acceptedList)") }
        guard case let .string(acr) = value else { throw refusal("\"acr\" must be a string, found \(value.typeName); accepted: \(acceptedList)") }
        guard acceptedACRs.contains(where: { $0.hasSameUTF8(as: acr) }) else {
            throw refusal("acr \"\(LayabAuthError.shown(acr))\" is not one of \(acceptedList)")
        }
        return "\"\(LayabAuthError.shown(acr))\""
    }

    private func checkAuthTime(_ value: JSONValue?, now: Double, leeway: Double) throws(LayabAuthError) -> String {
        guard let maxAge else { return "not required" }
        guard maxAge.isFinite, maxAge >= 0 else {
            throw LayabAuthError.invalidConfiguration("max_age", JSONValue.format(maxAge), "it must be a finite number of seconds, 0 or more")
        }
        let limit = "max_age \(JSONValue.format(maxAge)) s"
        let read: Double?
        do { read = try NumericDate.read(value, named: "auth_time") } catch { throw refusal("\(error.message), needed for \(limit)") }
        guard let authTime = read else { throw refusal("the token has no \"auth_time\" claim, needed for \(limit)") }
        let age = now - authTime
        if age > maxAge + leeway {
            let message = "authenticated \(TimeText.duration(age)) ago, more than \(limit)"
            throw LayabAuthError(.insufficientUserAuthentication, leeway > 0 ? "\(message) (leeway \(JSONValue.format(leeway)) s)" : message,
                                 clientMessage: message, acrValues: acrValues, maxAge: maxAgeSeconds)
        }
        let when = age >= 1 ? "\(TimeText.duration(age)) ago" : age <= -1 ? "in \(TimeText.duration(-age)), in the future" : "now"
        return "authenticated \(when) (\(TimeText.iso8601(authTime))), within \(limit)"
    }
}

/// What a token's authentication event showed against an ``AuthenticationRequirement``.
public struct AuthenticationEvaluation: Sendable {
    public let requirement: AuthenticationRequirement
    /// The token's `acr` when it is a string.
    public let acr: String?
    /// The token's `auth_time` when it is a NumericDate.
    public let authenticatedAt: Double?
    /// One check per part of the requirement: `acr`, then `auth_time`.
    public let checks: [ClaimCheck]

    public var isSatisfied: Bool { checks.allSatisfy(\.passed) }

    /// The first failure (`insufficient_user_authentication`), nil when satisfied.
    public var error: LayabAuthError? { checks.lazy.compactMap(\.error).first }
}
