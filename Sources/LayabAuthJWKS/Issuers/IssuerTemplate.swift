import LayabAuth

/// The issuer of a multi-tenant provider, with one path segment standing for the tenant: Microsoft Entra's
/// `https://login.microsoftonline.com/{tenantid}/v2.0`.
///
/// An `iss` matches when its bytes are the template's text before `{tenantid}`, one path segment (not empty,
/// without `/`, `?` or `#`), then the template's text after it, compared byte for byte (no normalisation).
public struct IssuerTemplate: Sendable, CustomStringConvertible {
    /// The placeholder that stands for the tenant.
    public static let placeholder = "{tenantid}"

    /// The template as configured.
    public let template: String
    private let prefix: [UInt8]
    private let suffix: [UInt8]

    /// - Throws: `invalid_configuration` for a template that is not an `https://` or `http://` URL with
    ///   exactly one `{tenantid}`, filling a whole path segment after the host, and no other brace.
    public init(_ template: String) throws(LayabAuthError) {
        func refuse(_ why: String) -> LayabAuthError {
            LayabAuthError(.invalidConfiguration, "issuer template \"\(LayabAuthError.shown(template))\": \(why)")
        }
        let parts = template.split(separator: Self.placeholder, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw refuse("it must hold \(Self.placeholder) exactly once") }
        let before = String(parts[0]), after = String(parts[1])
        guard !(before + after).contains(where: { $0 == "{" || $0 == "}" }) else {
            throw refuse("\(Self.placeholder) is the only placeholder")
        }
        guard let schemeEnd = before.range(of: "://"),
              ["https", "http"].contains(where: { $0.hasSameBytes(as: String(before[..<schemeEnd.lowerBound])) })
        else { throw refuse("it must start with https:// or http://") }
        let authorityAndPath = before[schemeEnd.upperBound...]
        guard let slash = authorityAndPath.firstIndex(of: "/"), slash != authorityAndPath.startIndex else {
            throw refuse("\(Self.placeholder) must be in the path, after the host")
        }
        guard before.hasSuffix("/"), after.isEmpty || after.hasPrefix("/") else {
            throw refuse("\(Self.placeholder) must fill a whole path segment")
        }
        guard !(before + after).contains(where: { $0 == "?" || $0 == "#" }) else { throw refuse("an issuer has no query or fragment") }
        self.template = template
        prefix = Array(before.utf8)
        suffix = Array(after.utf8)
    }

    public var description: String { template }

    /// The tenant `issuer` names, when it matches the template; nil otherwise.
    public func tenant(in issuer: String) -> String? {
        let bytes = Array(issuer.utf8)
        guard bytes.count > prefix.count + suffix.count, bytes.starts(with: prefix), bytes.reversed().starts(with: suffix.reversed()) else {
            return nil
        }
        let segment = bytes[prefix.count..<(bytes.count - suffix.count)]
        guard !segment.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) else { return nil }
        return String(decoding: segment, as: UTF8.self)
    }

    /// The issuer of `tenant`.
    public func issuer(forTenant tenant: String) -> String {
        String(decoding: prefix, as: UTF8.self) + tenant + String(decoding: suffix, as: UTF8.self)
    }
}

extension String {
    /// Whether both strings hold the same UTF-8 bytes (see `ExactString`): issuers and tenants are compared so.
    func hasSameBytes(as other: String) -> Bool { ExactString(self) == ExactString(other) }
}
