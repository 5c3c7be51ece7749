import LayabAuth

/// The verdict: signature status, the expiry countdown, every claim check, scope matches and the answer
/// a server using LayabAuth would give.
enum VerificationPanel {
    /// The panel's lines for a box `height` rows tall. Everything, spaced, when it fits; else without the blank
    /// lines between sections; else the sections are cut, so that the server's answer, the verdict, stays in view.
    static func lines(_ state: InspectorState, report: VerificationReport?, now: Double, width: Int, height: Int) -> [StyledLine] {
        guard let report else {
            return [
                StyledLine("No token yet.", .muted),
                StyledLine(""),
                StyledLine("Paste a token (any size; Bearer and", .text),
                StyledLine("Authorization: prefixes are removed),", .text),
                StyledLine("or press e to type one.", .text),
            ]
        }
        let sections = [
            signature(report, width: width),
            countdown(report.decoded?.claims, now: now, width: width),
            checks(report, width: width),
            scopes(state, report: report, width: width),
        ]
        let answer = serverAnswer(report, width: width)
        let spaced = sections.flatMap { $0 + [.empty] } + answer
        if spaced.count <= height { return spaced }
        let compact = sections.flatMap { $0 } + answer
        if compact.count <= height { return compact }
        return Array(compact.prefix(max(0, height - answer.count - 1))) + [StyledLine("… more in a taller terminal", .muted)] + answer
    }

    static func signature(_ report: VerificationReport, width: Int) -> [StyledLine] {
        let role: Role = switch report.signature {
        case .valid: .ok
        case .invalid: .error
        case .unverified: .warning
        }
        var head = StyledLine("Signature  ", .accent).appending(report.signature.word, role)
        if let alg = report.decoded?.header.algorithmName { head.append("  \(alg)", .muted) }
        var lines = [head]
        switch report.signature {
        case let .valid(key):
            lines.append(StyledLine("  key ", .muted).appending(key.kid.map { "\"\($0)\"" } ?? "(no kid)", .text).appending("  \(KeyDescription.shape(key))", .muted))
            lines.append(StyledLine("  thumbprint ", .muted).appending(key.thumbprint, .text))
        case let .invalid(error), let .unverified(error):
            for line in Wrap.lines("\(error.code.rawValue): \(error.message)", width: width - 2) { lines.append(StyledLine("  " + line, role)) }
        }
        if let ignored = report.decoded?.header.embeddedKeyMembers, !ignored.isEmpty {
            lines.append(StyledLine("  header \(ignored.joined(separator: ", ")) ignored", .warning))
        }
        return lines
    }

    /// "expires in 4m 12s", a bar of the lifetime consumed, or "expired 12s ago" / "valid in 3m".
    static func countdown(_ claims: Claims?, now: Double, width: Int) -> [StyledLine] {
        guard let claims else { return [StyledLine("Expiry     ", .accent).appending("no claims", .muted)] }
        if let nbf = claims.notBefore, nbf > now {
            return [StyledLine("Expiry     ", .accent).appending("not valid yet: valid in \(TimeText.duration(nbf - now))", .warning)]
        }
        guard let exp = claims.expiresAt else { return [StyledLine("Expiry     ", .accent).appending("no exp: never expires", .warning)] }
        var lines: [StyledLine] = []
        let remaining = exp - now
        let start = claims.issuedAt ?? claims.notBefore
        let lifetime = start.map { exp - $0 } ?? 0
        if remaining > 0 {
            let near = remaining < 120 || (lifetime > 0 && remaining < lifetime * 0.1)
            lines.append(StyledLine("Expiry     ", .accent).appending("expires in \(TimeText.duration(remaining))", near ? .warning : .ok))
        } else {
            lines.append(StyledLine("Expiry     ", .accent).appending("expired \(TimeText.duration(-remaining)) ago", .error))
        }
        if let start, lifetime > 0 {
            let used = min(1, max(0, (now - start) / lifetime))
            let barWidth = max(10, width - 8)
            let filled = Int((used * Double(barWidth)).rounded(.down))
            let role: Role = used >= 1 ? .error : (remaining < 120 || used > 0.9 ? .warning : .ok)
            lines.append(StyledLine(String(repeating: "█", count: filled), role)
                .appending(String(repeating: "░", count: barWidth - filled), .muted)
                .appending(" \(Int(used * 100))%", .muted))
        }
        return lines
    }

    static func checks(_ report: VerificationReport, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        if let error = report.decodingError {
            for (index, line) in Wrap.lines("\(error.code.rawValue): \(error.message)", width: width - 10).enumerated() {
                lines.append(StyledLine(index == 0 ? "token FAIL " : "           ", index == 0 ? .error : .text).appending(line, .error))
            }
        }
        for check in report.checks {
            let (mark, role, detail): (String, Role, String) = switch check.outcome {
            case let .passed(detail): ("ok  ", .ok, detail)
            case let .failed(error): ("FAIL", .error, "\(error.code.rawValue): \(error.message)")
            case let .skipped(reason): ("skip", .muted, reason)
            }
            for (index, line) in Wrap.lines(detail, width: max(10, width - 10)).enumerated() {
                if index == 0 {
                    lines.append(StyledLine(check.claim.padded(to: 5), .accent)
                        .appending(mark, role).appending(" " + line, role == .muted ? .muted : .text))
                } else {
                    lines.append(StyledLine(String(repeating: " ", count: 10) + line, .text))
                }
            }
        }
        return lines
    }

    /// Each required scope present or missing, and the scope claims found.
    static func scopes(_ state: InspectorState, report: VerificationReport, width: Int) -> [StyledLine] {
        var lines = [StyledLine("Scopes     ", .accent).appending(state.requiredScopes.isEmpty ? "none required" : "required: \(state.requiredScopes.joined(separator: " "))", .text)]
        if let evaluation = report.scopes {
            for scope in evaluation.requirement.scopes {
                let present = evaluation.present.contains(scope)
                lines.append(StyledLine("  " + scope.padded(to: max(scope.count, 12)), .text)
                    .appending(present ? " present" : " missing", present ? .ok : .error))
            }
        }
        if let claims = report.decoded?.claims {
            var found = false
            for name in ["scope", "scp", "scopes", "roles"] {
                guard let value = claims[name] else { continue }
                found = true
                let shown = ScopeExtractor.strings(value).joined(separator: " ")
                for (index, line) in Wrap.lines("\(name): \(shown.isEmpty ? value.jsonText : shown)", width: width - 4).enumerated() {
                    lines.append(StyledLine((index == 0 ? "  " : "    ") + line, .muted))
                }
            }
            if !found { lines.append(StyledLine("  the token has no scope, scp, scopes or roles claim", .muted)) }
        }
        return lines
    }

    /// What a resource server using LayabAuth answers for this token.
    static func serverAnswer(_ report: VerificationReport, width: Int) -> [StyledLine] {
        guard let error = report.errors.first(where: { $0.code != .insufficientScope }) ?? report.errors.first else {
            return [StyledLine("Server     ", .accent).appending("200 OK", .ok)]
        }
        let status = error.httpStatus
        let reason = switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 503: "Service Unavailable"
        default: "Error"
        }
        var lines = [StyledLine("Server     ", .accent).appending("\(status) \(reason)", .error)]
        for line in Wrap.lines("WWW-Authenticate: \(error.wwwAuthenticate())", width: width - 2) {
            lines.append(StyledLine("  " + line, .muted))
        }
        return lines
    }
}
