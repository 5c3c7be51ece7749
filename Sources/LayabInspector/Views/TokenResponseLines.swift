import LayabAuth
import LayabConsole

/// The verification panel's lines about a token the inspector fetched: where from, the scopes asked for and
/// granted, `expires_in` and when the next fetch is due, or why the provider gave none.
enum TokenResponseLines {
    static func lines(_ fetching: TokenFetching, now: Double, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        if fetching.isFetching, let approval = fetching.awaitingApproval {
            lines.append(StyledLine("Provider   ", .accent).appending("to approve, open ", .text).appending(approval.verificationURI, .accent))
            lines.append(StyledLine("           and enter the code ", .text).appending(approval.userCode, .warning))
            if let complete = approval.verificationURIComplete { lines.append(StyledLine("           (or open ", .text).appending(complete, .accent).appending(")", .text)) }
            lines.append(StyledLine("           waiting for approval…", .muted))
        } else if fetching.isFetching {
            lines.append(StyledLine("Provider   ", .accent).appending("fetching a token from \(fetching.endpoint)…", .text))
        } else if fetching.error == nil, let receivedAt = fetching.receivedAt {
            lines.append(StyledLine("Provider   ", .accent).appending("token \(fetching.fetchCount) fetched \(TimeText.duration(from: receivedAt, to: now)) ago (F: a new one)", .text))
        } else if fetching.error == nil {
            lines.append(StyledLine("Provider   ", .accent).appending("no token fetched yet from \(fetching.endpoint)", .muted))
        }
        if let error = fetching.error {
            for (index, line) in Wrap.lines("no token: \(error) (F: try again)", width: max(10, width - 11)).enumerated() {
                lines.append(StyledLine(index == 0 ? "Provider   " : String(repeating: " ", count: 11), .accent).appending(line, .error))
            }
        }
        guard let response = fetching.lastResponse else { return lines }
        let requested = fetching.requestedScopes.isEmpty ? "(none: the provider's default)" : fetching.requestedScopes.joined(separator: " ")
        lines.append(StyledLine("  requested ", .muted).appending(requested, .text))
        if let granted = fetching.grantedScopes {
            let missing = fetching.missingScopes
            lines.append(StyledLine("  granted   ", .muted).appending(granted.isEmpty ? "(none)" : granted.joined(separator: " "), .text)
                .appending(missing.isEmpty ? "" : "  (not granted: \(missing.joined(separator: " ")))", .warning))
        } else {
            lines.append(StyledLine("  granted   ", .muted).appending("as requested (the response lists no scope)", .muted))
        }
        var expiry = response.expiresIn.map { "expires_in \(JSONValue.number($0).jsonText) s" } ?? "no expires_in"
        if let expiresAt = fetching.expiresAt, fetching.error == nil {
            expiry += expiresAt > now ? ", next fetch in \(TimeText.duration(from: now, to: expiresAt))" : ", fetching again"
        }
        lines.append(StyledLine("  lifetime  ", .muted).appending(expiry, .text))
        if let tokenType = response.tokenType { lines.append(StyledLine("  type      ", .muted).appending(tokenType, .text)) }
        return lines
    }
}
