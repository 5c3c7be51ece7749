/// The protected header of a JWS (RFC 7515 §4), with typed access to the members LayabAuth acts on.
public struct JOSEHeader: Sendable, Hashable {
    /// Every member, in document order.
    public let members: JSONObject

    /// `alg` as written (always present; it may name an algorithm LayabAuth does not support).
    public let algorithmName: String
    public let kid: String?
    public let type: String?
    public let contentType: String?
    /// `crit` (RFC 7515 §4.1.11), when present.
    public let critical: [String]?

    /// The algorithm, when `alg` names one LayabAuth implements.
    public var algorithm: Algorithm? { Algorithm(rawValue: algorithmName) }

    /// Header members that carry or point to keys. LayabAuth never uses them to obtain a verification
    /// key (RFC 8725 §3.10); they are listed so the inspector can show that they were ignored.
    public var embeddedKeyMembers: [String] {
        ["jwk", "jku", "x5u", "x5c"].filter { members[$0] != nil }
    }

    public subscript(name: String) -> JSONValue? { members[name] }

    /// Validates the header members RFC 7515 defines.
    public init(_ members: JSONObject) throws(LayabAuthError) {
        self.members = members
        guard let alg = members["alg"] else { throw LayabAuthError(.malformed, "the header has no \"alg\" member (RFC 7515 §4.1.1)") }
        guard let algorithmName = alg.stringValue else { throw LayabAuthError(.malformed, "the header's \"alg\" is \(alg.typeName), not a string") }
        self.algorithmName = algorithmName
        func optionalString(_ name: String) throws(LayabAuthError) -> String? {
            guard let value = members[name] else { return nil }
            guard let string = value.stringValue else { throw LayabAuthError(.malformed, "the header's \"\(name)\" is \(value.typeName), not a string") }
            return string
        }
        kid = try optionalString("kid")
        type = try optionalString("typ")
        contentType = try optionalString("cty")
        if let crit = members["crit"] {
            guard let array = crit.arrayValue, !array.isEmpty else {
                throw LayabAuthError(.malformed, "the header's \"crit\" must be a non-empty array of names (RFC 7515 §4.1.11)")
            }
            var names: [String] = []
            for element in array {
                guard let name = element.stringValue else { throw LayabAuthError(.malformed, "the header's \"crit\" holds \(element.typeName), not only names") }
                names.append(name)
            }
            critical = names
        } else {
            critical = nil
        }
    }
}
