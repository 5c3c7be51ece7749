import LayabAuth

/// The human-readable forms of `layabauth decode` and `layabauth verify`.
package struct ReportText {
    package let style: TextStyle
    package let now: Double

    package init(style: TextStyle, now: Double) {
        self.style = style
        self.now = now
    }

    /// Seconds since 1970 beyond which a number is no date (about the year 5138): the verifier refuses
    /// such timestamps too, and calendar arithmetic on the largest of them would overflow.
    package static let dateLimit = 1e11

    /// A timestamp as ISO 8601 UTC and relative time; nil when it lies beyond ``dateLimit``.
    package func dateTexts(_ seconds: Double) -> (iso8601: String, relative: String)? {
        guard seconds.isFinite, abs(seconds) < Self.dateLimit else { return nil }
        return (TimeText.iso8601(seconds), TimeText.relative(seconds, now: now))
    }

    /// A timestamp as the number, ISO 8601 UTC and relative time.
    package func timestamp(_ seconds: Double) -> String {
        let number = JSONValue.number(seconds).jsonText
        guard let texts = dateTexts(seconds) else { return "\(number)  (outside the range of dates)" }
        return "\(number)  (\(texts.iso8601), \(texts.relative))"
    }

    /// Header and claims, labelled as unverified.
    package func decoded(_ token: DecodedToken) -> String {
        var lines = [style.warning("UNVERIFIED") + style.muted("  decoded only: nothing here has been checked")]
        if let refusal = token.refusal {
            lines.append(style.error(style.bold("REFUSED")) + "  every verifier refuses this token: \(refusal.code.rawValue): \(TerminalText.printable(refusal.message))")
        }
        lines.append("")
        lines.append(style.bold("Header"))
        lines += members(token.header.members, words: ClaimNames.headerWords)
        lines.append("")
        if let claims = token.claims {
            lines.append(style.bold("Claims"))
            lines += members(claims.members, words: ClaimNames.words)
        } else {
            lines.append(style.bold("Payload") + style.muted("  (\(token.payload.count) bytes, not a JSON claims set)"))
            lines.append("  " + TerminalText.printable(String(decoding: token.payload.prefix(400), as: UTF8.self)))
        }
        lines.append("")
        lines.append(style.bold("Signature") + style.muted("  \(token.signature.count) bytes, \(TerminalText.printable(token.header.algorithmName))"))
        lines.append("")
        lines.append(style.muted(TerminalText.printable(AccessTokenProfile(token).line)))
        return lines.joined(separator: "\n")
    }

    func members(_ object: JSONObject, words: [String: String]) -> [String] {
        let names = object.names.map(TerminalText.printable)
        let width = names.map(\.count).max() ?? 0
        return zip(names, object.members).map { shownName, member in
            let name = shownName.padding(toLength: max(shownName.count, min(max(width, 3), 12)), withPad: " ", startingAt: 0)
            let value: String
            if ClaimNames.timestamps.contains(member.name), let seconds = member.value.doubleValue {
                value = timestamp(seconds)
            } else {
                value = TerminalText.printable(member.value.jsonText)
            }
            let word = words[member.name].map { style.muted("  \($0)") } ?? ""
            return "  \(style.accent(name))  \(value)\(word)"
        }
    }

    /// Every check of a verification with its outcome.
    /// - Parameter bindingFailed: the token's binding fails for the request it comes with (`verify --dpop`,
    ///   `--client-cert`): the request is refused even when the token itself passes every check.
    package func report(_ report: VerificationReport, bindingFailed: Bool = false) -> String {
        let headline = if !report.isValid {
            style.error(style.bold("REJECTED")) + "  \(report.errors.count) check\(report.errors.count == 1 ? "" : "s") failed"
        } else if bindingFailed {
            style.error(style.bold("REJECTED")) + "  the token passes its checks, but its binding fails for this request (see Binding)"
        } else {
            style.ok(style.bold("VALID")) + "  the token is accepted"
        }
        var lines = [headline]
        if let decoded = report.decoded {
            let kid = decoded.header.kid.map { ", kid \"\($0)\"" } ?? ""
            lines.append(style.muted(TerminalText.printable("alg \(decoded.header.algorithmName)\(kid), \(decoded.raw.utf8.count) bytes")))
            if !decoded.header.embeddedKeyMembers.isEmpty {
                let members = TerminalText.printable(decoded.header.embeddedKeyMembers.joined(separator: ", "))
                lines.append(style.warning("header carries \(members): ignored, keys come only from the configured source"))
            }
        }
        if let profile = report.accessTokenProfile { lines.append(style.muted(TerminalText.printable(profile.line))) }
        lines.append("")
        if let error = report.decodingError, report.decoded == nil {
            lines.append(row(false, "token", error.code.rawValue + ": " + error.message))
            return lines.joined(separator: "\n")
        }
        switch report.signature {
        case let .valid(key):
            lines.append(row(true, "signature", "VALID  \(report.decoded?.header.algorithmName ?? "") with \(key.description), thumbprint \(key.thumbprint)"))
        case let .invalid(error):
            lines.append(row(false, "signature", "INVALID  \(error.code.rawValue): \(error.message)"))
        case let .unverified(error):
            lines.append(row(nil, "signature", "UNVERIFIED  \(error.code.rawValue): \(error.message)", failed: true))
        }
        for hint in report.hints {
            lines.append("  \(style.warning("hint"))  \(TerminalText.printable(hint))")
        }
        if let error = report.decodingError {
            lines.append(row(false, "claims", error.code.rawValue + ": " + error.message))
        }
        lines += checkRows(report.checks, scopes: report.scopes)
        if let authentication = report.authentication { lines += authenticationRows(authentication) }
        return lines.joined(separator: "\n")
    }

    /// One row per claim check, then the scopes: the same for a JWS and an introspected token.
    /// - Parameter nameWidth: the column of the names (the binding rules have longer ones).
    func checkRows(_ checks: [ClaimCheck], scopes: ScopeEvaluation?, nameWidth: Int = 9) -> [String] {
        var lines: [String] = []
        for check in checks {
            switch check.outcome {
            case let .passed(detail): lines.append(row(true, check.claim, detail, nameWidth: nameWidth))
            case let .failed(error): lines.append(row(false, check.claim, error.code.rawValue + ": " + error.message, nameWidth: nameWidth))
            case let .skipped(reason): lines.append(row(nil, check.claim, reason, nameWidth: nameWidth))
            }
        }
        if let scopes {
            if scopes.requirement.scopes.isEmpty {
                lines.append(row(nil, "scopes", "none required; granted: [\(scopes.granted.joined(separator: ", "))]"))
            } else if let error = scopes.error {
                lines.append(row(false, "scopes", error.code.rawValue + ": " + error.message))
            } else {
                lines.append(row(true, "scopes", "\(scopes.requirement) granted"))
            }
        }
        return lines
    }

    func row(_ passed: Bool?, _ name: String, _ detail: String, failed: Bool = false, nameWidth: Int = 9) -> String {
        let mark: String
        switch passed {
        case true?: mark = style.ok("ok  ")
        case false?: mark = style.error("FAIL")
        case nil: mark = failed ? style.warning("----") : style.muted("skip")
        }
        // Details quote the token, the key set and error messages built from them.
        return "  \(mark)  \(TerminalText.printable(name).padding(toLength: nameWidth, withPad: " ", startingAt: 0)) \(TerminalText.printable(detail))"
    }
}
