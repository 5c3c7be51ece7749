import LayabAuth
import LayabConsole

/// The verdict: signature status, the expiry countdown, every claim check, scope matches and the answer
/// a server using LayabAuth would give.
enum VerificationPanel {
    /// What the panel shows: `body` scrolls; `answer`, when set, stays at the foot of the box.
    struct Content {
        var body: [StyledLine]
        /// The server's answer, kept in view under a body too long for the box.
        var answer: [StyledLine] = []

        /// The rows the body gets in a box of `visible` rows: all of them, or what the answer and the line
        /// saying that more is hidden leave.
        func bodyRows(visible: Int) -> Int { answer.isEmpty ? visible : max(1, visible - 1 - answer.count) }
    }

    /// The panel for a box `height` rows tall. Everything, spaced, when it fits; else without the blank lines
    /// between sections; else folded; and when even that is too long, the sections scroll (← then ↑↓) above
    /// the server's answer, the verdict, which stays in view.
    static func content(_ state: InspectorState, report: VerificationReport?, now: Double, width: Int, height: Int) -> Content {
        let fetched = state.tokenFetching.map { fitted(TokenResponseLines.lines($0, now: now, width: width), width: width) } ?? []
        guard let report else {
            if !fetched.isEmpty { return Content(body: fetched) }
            return Content(body: [
                StyledLine("No token yet.", .muted),
                StyledLine(""),
                StyledLine("Paste a token (any size;", .text),
                StyledLine("Bearer and Authorization:", .text),
                StyledLine("prefixes are removed),", .text),
                StyledLine("or press e to type one.", .text),
            ])
        }
        let sections = (fetched.isEmpty ? [] : [fetched]) + [
            input(state, width: width) + signature(report, width: width, local: state.whatIf),
            countdown(report, now: now, leeway: state.leeway, width: width),
            checks(report, width: width),
            scopes(state, report: report, width: width),
        ].map { fitted($0, width: width) } + [authentication(report, width: width), binding(state, width: width)].map { fitted($0, width: width) }
            .filter { !$0.isEmpty }
        let answer = fitted(serverAnswer(state, report: report, now: now, width: width), width: width)
        let spaced = sections.flatMap { $0 + [.empty] } + answer
        if spaced.count <= height { return Content(body: spaced) }
        let compact = sections.flatMap { $0 } + answer
        if compact.count <= height { return Content(body: compact) }
        // Short of room (80x24): passing checks fold into one line and scopes into present/missing lists,
        // so that what failed and why a server says 403 stay in view.
        // Then the RFC 9068 line gives way, then the thumbprint, then the lifetime bar.
        let scopes = fitted(foldedScopes(state, report: report, width: width), width: width)
        let stepUp = fitted(authentication(report, width: width), width: width)
        let boundTo = fitted(binding(state, width: width, folded: true), width: width)
        var folded: [StyledLine] = []
        for (thumbprint, bar, profile) in [(true, true, true), (true, true, false), (false, true, false), (false, false, false)] {
            let checks = fitted(foldedChecks(report, width: width) + (profile ? accessTokenProfile(report, width: width) : []), width: width)
            let countdownSection = sections[fetched.isEmpty ? 1 : 2]
            let countdown = bar ? countdownSection : Array(countdownSection.prefix(1))
            let head = fitted(input(state, width: width) + signature(report, width: width, thumbprint: thumbprint, local: state.whatIf), width: width)
            folded = [fetched, head, countdown, checks, scopes, stepUp, boundTo].flatMap { $0 }
            if folded.count + answer.count <= height { return Content(body: folded + answer) }
        }
        // The answer stays together: in view under the rest when it leaves room to scroll that; a long one
        // (many scopes in its challenge) opens the panel, whole, and the rest scrolls below it.
        if answer.count <= height - 3 { return Content(body: folded, answer: answer) }
        return Content(body: answer + [.empty] + folded)
    }

    /// The answer a server gives for this token; a server never checks weak keys. While a new key source's
    /// first retrieval runs, a server has not answered yet: it waits for the keys, and so does the panel.
    static func serverAnswer(_ state: InspectorState, report: VerificationReport, now: Double, width: Int) -> [StyledLine] {
        // A token refused before any key is looked at (malformed, alg none) is answered at once, keys or not.
        if state.isAwaitingFirstKeys, case .unverified = report.signature {
            return [StyledLine("Server     ", .accent).appending("waiting for the key source's first answer", .warning)]
        }
        // A binding that fails (or a bound token sent as Bearer) is answered under the DPoP challenges.
        if let binding = state.shownBinding, report.errors.isEmpty || binding.refusal != nil { return answerLines(binding.refusal, width: width) }
        return serverAnswer(state.weakKeys.isEmpty ? report : state.report(now: now, checkingWeakKeys: false) ?? report, width: width)
    }

    /// `lines` with any line wider than `width` wrapped, so that nothing in the panel is cut: continuation
    /// rows start under the value, after the line's indentation and its label (`Scopes     `).
    static func fitted(_ lines: [StyledLine], width: Int) -> [StyledLine] {
        lines.flatMap { line -> [StyledLine] in
            let text = line.text
            var indent = text.prefix { $0 == " " }.count
            if let label = line.spans.first, label.role == .accent, label.text.hasSuffix("  ") { indent = max(indent, label.text.count) }
            return line.wrappedAtSpaces(width: width, indent: min(indent + (indent == 0 ? 2 : 0), width / 2))
        }
    }

    /// What was removed from the token as pasted, when anything inside it was (nothing for a clean token).
    static func input(_ state: InspectorState, width: Int) -> [StyledLine] {
        let local = state.isMadeLocally
            ? [StyledLine("Made here  ", .accent).appending("this token was made locally, re-signed with a LOCAL key, not by the provider; u: back to the original", .warning)]
            : []
        return local + removedWhitespace(state, width: width)
    }

    static func removedWhitespace(_ state: InspectorState, width: Int) -> [StyledLine] {
        guard let removed = state.removedWhitespace else { return [] }
        return Wrap.lines(removed.notice, width: max(10, width - 11)).enumerated().map { index, line in
            StyledLine(index == 0 ? "Input      " : String(repeating: " ", count: 11), .accent).appending(line, .warning)
        }
    }

    /// - Parameter local: the what-if keys: a signature by one of them says LOCAL, never the provider's.
    static func signature(_ report: VerificationReport, width: Int, thumbprint: Bool = true, local: WhatIf = WhatIf()) -> [StyledLine] {
        let role: Role = switch report.signature {
        case .valid: .ok
        case .invalid: .error
        case .unverified: .warning
        }
        var head = StyledLine("Signature  ", .accent).appending(report.signature.word, role)
        if let alg = report.decoded?.header.algorithmName { head.append("  \(alg)", .muted) }
        if let key = report.signature.key, local.isLocal(key) { head.append("  LOCAL key (made in this inspector)", .warning) }
        var lines = [head]
        switch report.signature {
        case let .valid(key):
            lines.append(StyledLine("  key ", .muted).appending(key.kid.map { "\"\($0)\"" } ?? "(no kid)", .text).appending("  \(KeyDescription.shape(key))", .muted))
            if thumbprint {
                for (index, line) in Wrap.lines(key.thumbprint, width: max(10, width - 13)).enumerated() {
                    lines.append(StyledLine(index == 0 ? "  thumbprint " : String(repeating: " ", count: 13), .muted).appending(line, .text))
                }
            }
        case let .invalid(error), let .unverified(error):
            for line in Wrap.lines("\(error.code.rawValue): \(error.message)", width: width - 2) { lines.append(StyledLine("  " + line, role)) }
        }
        for hint in report.hints {
            for (index, line) in Wrap.lines(hint, width: max(10, width - 8)).enumerated() {
                lines.append(StyledLine(index == 0 ? "  hint  " : String(repeating: " ", count: 8), .warning).appending(line, .text))
            }
        }
        if let ignored = report.decoded?.header.embeddedKeyMembers, !ignored.isEmpty {
            lines.append(StyledLine("  header \(ignored.joined(separator: ", ")) ignored", .warning))
        }
        return lines
    }

    /// "expires in 4m 12s", a bar of the lifetime consumed, or "expired 12s ago" / "valid in 3m".
    static func countdown(_ report: VerificationReport, now: Double, leeway: Double, width: Int) -> [StyledLine] {
        guard let claims = report.decoded?.claims else { return [StyledLine("Expiry     ", .accent).appending("no claims", .muted)] }
        if let nbf = claims.notBefore, nbf > now {
            // Within the leeway a server already accepts it: say so, in step with the nbf check. The countdown
            // comes first, so that a narrow panel cuts the words, not the time.
            let text = nbf - leeway <= now ? "valid in \(TimeText.duration(from: now, to: nbf)), accepted within the leeway"
                                           : "valid in \(TimeText.duration(from: now, to: nbf)) (not yet)"
            return [StyledLine("Expiry     ", .accent).appending(text, .warning)]
        }
        guard let exp = claims.expiresAt else {
            // One statement per fact: a token refused for lacking exp (its check says so) does not "never expire".
            let refused = report.checks.contains { $0.claim == "exp" && $0.error?.code == .missingClaim }
            return [StyledLine("Expiry     ", .accent).appending(refused ? "no exp (required)" : "no exp: never expires", refused ? .error : .warning)]
        }
        var lines: [StyledLine] = []
        let remaining = exp - now
        let start = claims.issuedAt ?? claims.notBefore
        let lifetime = start.map { exp - $0 } ?? 0
        if remaining > 0 {
            let near = remaining < 120 || (lifetime > 0 && remaining < lifetime * 0.1)
            lines.append(StyledLine("Expiry     ", .accent).appending("expires in \(TimeText.duration(from: now, to: exp))", near ? .warning : .ok))
        } else if -remaining < leeway {
            // A server still accepts it, as the exp check says: a warning, not an error.
            lines.append(StyledLine("Expiry     ", .accent).appending("expired \(TimeText.duration(from: exp, to: now)) ago, accepted within the leeway", .warning))
        } else {
            lines.append(StyledLine("Expiry     ", .accent).appending("expired \(TimeText.duration(from: exp, to: now)) ago", .error))
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
        decodingLines(report, width: width) + report.checks.flatMap { checkLines($0, width: width) } + accessTokenProfile(report, width: width)
    }

    /// ``checks(_:width:)`` with the passed and the skipped checks each named on one line.
    static func foldedChecks(_ report: VerificationReport, width: Int) -> [StyledLine] {
        decodingLines(report, width: width) + foldedCheckLines(report.checks, width: width)
    }

    /// The failed checks each in full, then the names of the passed and of the skipped checks on one line each.
    /// - Parameters:
    ///   - separator: between the names (", " for the binding rules, whose names hold spaces).
    ///   - nameWidth: the name column of the failed checks (see ``checkLines(_:width:nameWidth:)``).
    static func foldedCheckLines(_ checks: [ClaimCheck], width: Int, separator: String = " ", nameWidth: Int = 5) -> [StyledLine] {
        var lines: [StyledLine] = []
        var passed: [String] = [], skipped: [String] = []
        for check in checks {
            switch check.outcome {
            case .passed: passed.append(check.claim)
            case .skipped: skipped.append(check.claim)
            case .failed: lines += checkLines(check, width: width, nameWidth: nameWidth)
            }
        }
        if !passed.isEmpty { lines.append(StyledLine("ok   ", .ok).appending(passed.joined(separator: separator), .text)) }
        if !skipped.isEmpty { lines.append(StyledLine("skip ", .muted).appending(skipped.joined(separator: separator), .muted)) }
        return lines
    }

    /// Why the token could not be decoded, after "token FAIL ".
    static func decodingLines(_ report: VerificationReport, width: Int) -> [StyledLine] {
        guard let error = report.decodingError else { return [] }
        return Wrap.lines("\(error.code.rawValue): \(error.message)", width: max(10, width - 11)).enumerated().map { index, line in
            StyledLine(index == 0 ? "token FAIL " : "           ", index == 0 ? .error : .text).appending(line, .error)
        }
    }

    /// One claim check: its claim, ok/FAIL/skip and the detail, wrapped under the detail's column.
    /// - Parameter nameWidth: the name column (the binding rules have longer names: "sender constraint").
    static func checkLines(_ check: ClaimCheck, width: Int, nameWidth: Int = 5) -> [StyledLine] {
        let (mark, role, detail): (String, Role, String) = switch check.outcome {
        case let .passed(detail): ("ok  ", .ok, detail)
        case let .failed(error): ("FAIL", .error, "\(error.code.rawValue): \(error.message)")
        case let .skipped(reason): ("skip", .muted, reason)
        }
        return Wrap.lines(detail, width: max(10, width - nameWidth - 5)).enumerated().map { index, line in
            index == 0 ? StyledLine(check.claim.padded(to: nameWidth), .accent).appending(mark, role).appending(" " + line, role == .muted ? .muted : .text)
                       : StyledLine(String(repeating: " ", count: nameWidth + 5) + line, .text)
        }
    }

    /// ``scopes(_:report:width:)`` with the required scopes in two lists, present and missing.
    static func foldedScopes(_ state: InspectorState, report: VerificationReport, width: Int) -> [StyledLine] {
        let full = scopes(state, report: report, width: width)
        guard let evaluation = report.scopes, !evaluation.requirement.scopes.isEmpty else { return full }
        // The two lists name every required scope: a list too long for one row is not repeated above them.
        let count = evaluation.requirement.scopes.count
        var lines = [full[0].columns <= width ? full[0] : StyledLine("Scopes     ", .accent).appending("\(count) required", .text)]
        let present = evaluation.requirement.scopes.filter { evaluation.present.contains($0) }
        let missing = evaluation.requirement.scopes.filter { !evaluation.present.contains($0) }
        for (word, names, role) in [("present", present, Role.ok), ("missing", missing, Role.error)] where !names.isEmpty {
            for (index, line) in Wrap.lines(names.joined(separator: " "), width: max(10, width - 11)).enumerated() {
                lines.append(StyledLine(index == 0 ? "  \(word)  " : "           ", role).appending(line, .text))
            }
        }
        return lines + full.dropFirst(1 + evaluation.requirement.scopes.count)
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
        // Refusals of the token come before a route's requirements (scopes, then step-up), as in a server.
        let routeCodes: [LayabAuthError.Code] = [.insufficientScope, .insufficientUserAuthentication]
        return answerLines(report.errors.first(where: { !routeCodes.contains($0.code) }) ?? report.errors.first, width: width)
    }

    /// The status and headers a server answers `error` with; 200 OK for nil.
    static func answerLines(_ error: LayabAuthError?, width: Int) -> [StyledLine] {
        guard let error else { return [StyledLine("Server     ", .accent).appending("200 OK", .ok)] }
        let status = error.httpStatus
        let reason = switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 503: "Service Unavailable"
        default: "Error"
        }
        var lines = [StyledLine("Server     ", .accent).appending("\(status) \(reason)", .error)]
        // The headers a server sends: WWW-Authenticate, or Retry-After when the keys are unavailable.
        for header in error.challenge().headers {
            for line in Wrap.lines("\(header.name): \(header.value)", width: width - 2) { lines.append(StyledLine("  " + line, .muted)) }
        }
        return lines
    }
}
