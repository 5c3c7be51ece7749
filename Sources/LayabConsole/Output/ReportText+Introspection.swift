import LayabAuth

extension ReportText {
    /// Every check of an introspected token: the endpoint's verdict, its answer as the claims (marked
    /// `introspected`), then the claim checks and scopes run locally.
    package func report(_ report: IntrospectionReport) -> String {
        var lines: [String] = []
        lines.append(report.isValid ? style.ok(style.bold("VALID")) + "  the token is accepted"
                                    : style.error(style.bold("REJECTED")) + "  \(report.errors.count) check\(report.errors.count == 1 ? "" : "s") failed")
        let source = report.endpoint.map { " by \($0)" } ?? ""
        lines.append(style.muted(TerminalText.printable("opaque token introspected\(source) (RFC 7662)\(report.fromCache ? ", answer from the cache" : "")")))
        lines.append("")
        if let claims = report.claims {
            lines.append(style.bold("Claims") + style.muted("  introspected: the authorization server's answer"))
            lines += members(claims.members, words: ClaimNames.words)
            lines.append("")
        }
        switch report.answerError {
        case let error?: lines.append(row(false, "active", error.code.rawValue + ": " + error.message))
        case nil: lines.append(row(true, "active", "the introspection endpoint declares the token active"))
        }
        lines += checkRows(report.checks, scopes: report.scopes)
        if let authentication = report.authentication { lines += authenticationRows(authentication) }
        return lines.joined(separator: "\n")
    }
}
