import LayabAuth

/// Which trusted issuer a token's unverified `iss` (and, for a template, `tid`) selects, or why none.
///
/// The claims read here are not verified yet: they only choose whose keys and settings verify the token.
/// The chosen verifier then checks the signature over these same bytes and `iss` against the one issuer
/// selected, so a token that lies about its issuer fails there. An `iss` no entry covers is refused here,
/// before any key source is asked, so that a token never makes the server contact an untrusted host.
public enum IssuerSelection: Sendable {
    /// The entry at `index` of the verifier's issuers, for the token's `issuer` (`tenant` for a template).
    case selected(index: Int, issuer: String, tenant: String?)
    /// No entry covers the token, or its `tid` does not bind its tenant.
    case refused(LayabAuthError)

    /// Where a selection looks: the exact issuers by their bytes, then the templates in
    /// their order. Built once per verifier, so that selecting among many issuers costs one lookup, not a scan.
    package struct Index: Sendable {
        /// Each exact issuer's position among the issuers (the first, should one be given twice).
        let exact: [ExactString: Int]
        /// The positions of the templates, in order.
        let templates: [Int]

        package init(_ issuers: [TrustedIssuer]) {
            var exact: [ExactString: Int] = [:]
            var templates: [Int] = []
            for (index, trusted) in issuers.enumerated() {
                switch trusted.match {
                case let .exact(name): if exact[ExactString(name)] == nil { exact[ExactString(name)] = index }
                case .template: templates.append(index)
                }
            }
            self.exact = exact
            self.templates = templates
        }
    }

    /// The selection for `claims` among `issuers` (whose ``Index`` is `index`): exact issuers first, then
    /// templates in their order.
    static func choose(_ claims: Claims, among issuers: [TrustedIssuer], index: Index) -> IssuerSelection {
        guard let value = claims["iss"] else {
            return .refused(LayabAuthError(.missingClaim, "the token has no iss: it names no issuer whose keys could verify it"))
        }
        guard let issuer = value.stringValue else {
            return .refused(LayabAuthError(.invalidClaim, "iss is not a string: it names no issuer whose keys could verify it"))
        }
        if let position = index.exact[ExactString(issuer)] { return .selected(index: position, issuer: issuer, tenant: nil) }
        for position in index.templates {
            guard case let .template(template, tenants) = issuers[position].match, let tenant = template.tenant(in: issuer) else { continue }
            if let refusal = tenantRefusal(claims, tenant: tenant, template: template, tenants: tenants) { return .refused(refusal) }
            return .selected(index: position, issuer: issuer, tenant: tenant)
        }
        let trusted = LayabAuthError.shownList(issuers.map(\.name))
        return .refused(LayabAuthError(.issuerMismatch, "iss \"\(LayabAuthError.shown(issuer))\" is not a trusted issuer (trusted: \(trusted))",
                                       clientMessage: "iss \"\(LayabAuthError.shown(issuer))\" is not a trusted issuer"))
    }

    /// Why the token's `tid` does not bind `tenant`, the segment of its `iss`: a tenant of a multi-tenant
    /// provider could otherwise claim another tenant's issuer with the keys all tenants share.
    private static func tenantRefusal(_ claims: Claims, tenant: String, template: IssuerTemplate, tenants: [String]?) -> LayabAuthError? {
        let shownTenant = LayabAuthError.shown(tenant)
        guard let value = claims["tid"] else {
            return LayabAuthError(.missingClaim, "the token has no tid: its iss names tenant \"\(shownTenant)\" of \(template), which tid must confirm",
                                  clientMessage: "the token has no tid: its iss names tenant \"\(shownTenant)\", which tid must confirm")
        }
        guard let tid = value.stringValue else {
            return LayabAuthError(.invalidClaim, "tid is not a string: it must equal the tenant \"\(shownTenant)\" its iss names")
        }
        guard tid.hasSameBytes(as: tenant) else {
            return LayabAuthError(.issuerMismatch, "tid \"\(LayabAuthError.shown(tid))\" differs from the tenant \"\(shownTenant)\" its iss names")
        }
        if let tenants, !tenants.contains(where: { $0.hasSameBytes(as: tenant) }) {
            return LayabAuthError(.issuerMismatch, "tenant \"\(shownTenant)\" is not one of the tenants accepted for \(template) (\(LayabAuthError.shownList(tenants)))",
                                  clientMessage: "tenant \"\(shownTenant)\" is not accepted")
        }
        return nil
    }

    /// The position of the selected entry among the verifier's issuers; nil when refused.
    public var index: Int? { if case let .selected(index, _, _) = self { index } else { nil } }

    /// One line for a report: which issuer was chosen, or why none.
    package var hint: String {
        switch self {
        case let .selected(_, issuer, tenant?): "issuer: tenant \"\(LayabAuthError.shown(tenant))\" of trusted issuer \"\(LayabAuthError.shown(issuer))\" selected its keys"
        case let .selected(_, issuer, nil): "issuer: trusted issuer \"\(LayabAuthError.shown(issuer))\" selected its keys"
        case let .refused(error): "issuer: no trusted issuer selected, no key source contacted (\(error.message))"
        }
    }
}
