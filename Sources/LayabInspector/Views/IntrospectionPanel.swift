import LayabAuth
import LayabConsole

/// An opaque token introspected (RFC 7662): the verdict on the left, the endpoint's answer as the claims on the right.
enum IntrospectionPanel {
    /// The verification panel's body: the endpoint, its verdict, each claim check run locally, scopes, the server's answer.
    static func verification(_ shown: IntrospectedToken, endpoint: String, width: Int) -> [StyledLine] {
        var lines = [StyledLine("Introspected ", .accent).appending("opaque token, RFC 7662", .muted)]
        lines += Wrap.lines(shown.report?.endpoint ?? endpoint, width: max(10, width - 2)).map { StyledLine("  " + $0, .muted) }
        lines.append(.empty)
        guard let report = shown.report else {
            return lines + [StyledLine("asking the introspection endpoint…", .warning)]
        }
        if let error = report.answerError {
            lines += Wrap.lines("\(error.code.rawValue): \(TerminalText.visible(error.message))", width: max(10, width - 11)).enumerated().map { index, line in
                StyledLine(index == 0 ? "activeFAIL " : "           ", index == 0 ? .error : .text).appending(line, .error)
            }
        } else {
            lines.append(StyledLine("activeok   ", .ok).appending(report.fromCache ? "the endpoint says active (cached answer)" : "the endpoint says active", .text))
        }
        for check in report.checks { lines += VerificationPanel.checkLines(check, width: width) }
        if let scopes = report.scopes {
            let granted = scopes.granted.isEmpty ? "none" : scopes.granted.joined(separator: " ")
            lines.append(StyledLine("Scopes     ", .accent).appending("granted: " + TerminalText.visible(granted), .text))
            if let error = scopes.error { lines.append(StyledLine("           ", .text).appending(error.message, .error)) }
        }
        lines += VerificationPanel.authentication(report.authentication, width: width)
        lines.append(.empty)
        let verdict = report.errors.first.map { error -> StyledLine in
            let challenge = error.challenge()
            return StyledLine("Server     ", .accent).appending("HTTP \(challenge.status) \(error.code.rawValue)", .error)
        } ?? StyledLine("Server     ", .accent).appending("accepts the token (introspected)", .ok)
        return lines + [verdict]
    }

    /// The claims panel's lines: the answer's members, under a title that says where they come from.
    static func claims(_ shown: IntrospectedToken, now: Double, width: Int) -> [StyledLine] {
        guard let report = shown.report else { return [StyledLine("Waiting for the introspection endpoint.", .muted)] }
        guard let claims = report.claims else {
            return [StyledLine("No claims: the endpoint gave no active answer.", .muted)]
        }
        var lines = [StyledLine("Claims  INTROSPECTED", .accent), StyledLine("the authorization server's answer, not a JWT", .muted)]
        lines += ClaimsPanel.table(claims.members, words: ClaimNames.words, now: now, width: width)
        lines.append(.empty)
        lines.append(StyledLine("Introspection answer JSON", .accent))
        lines += JSONLines.render(.object(claims.members)).flatMap { $0.wrapped(width: width, indent: 4) }
        return lines
    }
}

extension IntrospectionPanel {
    /// Both boxes of the token panel for an introspected token, in the place of the JWS ones.
    static func draw(_ shown: IntrospectedToken, endpoint: String, now: Double, leftWidth: Int, rightWidth: Int, top: Int, height: Int, claimsScroll: Int,
                     on screen: inout Screen)
    {
        let left = verification(shown, endpoint: endpoint, width: leftWidth - 4)
        screen.box(x: 0, y: top, width: leftWidth, height: height, title: "Verification")
        screen.draw(left, x: 2, y: top + 1, width: leftWidth - 4, height: height - 2)
        let right = claims(shown, now: now, width: rightWidth - 4)
        let scroll = min(claimsScroll, max(0, right.count - (height - 2)))
        screen.box(x: leftWidth, y: top, width: rightWidth, height: height, title: "Claims (introspected)")
        screen.draw(right, x: leftWidth + 2, y: top + 1, width: rightWidth - 4, height: height - 2, scroll: scroll)
    }
}
