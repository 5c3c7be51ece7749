import LayabAuth
import LayabConsole

/// Claims and header: a table naming registered and OIDC claims in words (timestamps in UTC, local
/// time and relative), then both as syntax-coloured JSON.
enum ClaimsPanel {
    static func lines(_ decoded: DecodedToken?, now: Double, width: Int) -> [StyledLine] {
        guard let decoded else { return [StyledLine("Nothing decoded.", .muted)] }
        var lines: [StyledLine] = []
        if let refusal = decoded.refusal {
            // Shown anyway, so that a person sees what an unsecured or critical-extension token holds.
            let text = "Refused by every verifier: \(refusal.code.rawValue): \(refusal.message)"
            lines += Wrap.lines(text, width: width).map { StyledLine($0, .error) }
            lines.append(.empty)
        }
        if let claims = decoded.claims {
            lines.append(StyledLine("Claims", .accent))
            lines += table(claims.members, words: ClaimNames.words, now: now, width: width)
        } else {
            lines.append(StyledLine("Payload (\(decoded.payload.count) bytes, not a claims set)", .accent))
            lines += Wrap.lines(String(decoding: decoded.payload.prefix(2000), as: UTF8.self), width: width).map { StyledLine($0, .text) }
        }
        lines.append(.empty)
        lines.append(StyledLine("Header", .accent))
        lines += table(decoded.header.members, words: ClaimNames.headerWords, now: now, width: width)
        lines.append(.empty)
        lines.append(StyledLine("Header JSON", .accent))
        // The JSON wraps rather than cuts: the table may shorten a long value, the JSON shows all of it.
        lines += JSONLines.render(.object(decoded.header.members)).flatMap { $0.wrapped(width: width, indent: 4) }
        if let claims = decoded.claims {
            lines.append(.empty)
            lines.append(StyledLine("Claims JSON", .accent))
            lines += JSONLines.render(.object(claims.members)).flatMap { $0.wrapped(width: width, indent: 4) }
        }
        lines.append(.empty)
        lines.append(StyledLine("Signature  \(decoded.signature.count) bytes", .muted))
        return lines
    }

    static func table(_ object: JSONObject, words: [String: String], now: Double, width: Int) -> [StyledLine] {
        let nameWidth = min(12, object.names.map(\.count).max() ?? 3)
        let wordWidth = 17
        var lines: [StyledLine] = []
        for member in object {
            let name = member.name.count > nameWidth ? String(member.name.prefix(nameWidth - 1)) + "…" : member.name.padded(to: nameWidth)
            let word = (words[member.name] ?? "").padded(to: wordWidth)
            let valueWidth = max(8, width - nameWidth - wordWidth - 2)
            let value = member.value.jsonText
            let role: Role = switch member.value {
            case .string: .jsonString
            case .integer, .number: .jsonNumber
            case .bool, .null: .jsonLiteral
            default: .text
            }
            let shown = value.count > valueWidth ? String(value.prefix(valueWidth - 1)) + "…" : value
            lines.append(StyledLine(name + " ", .jsonKey).appending(word + " ", .muted).appending(shown, role))
            if ClaimNames.timestamps.contains(member.name), let seconds = member.value.doubleValue {
                let indent = String(repeating: " ", count: nameWidth + 1)
                let iso = TimeText.iso8601(seconds), relative = TimeText.relative(seconds, now: now)
                // Decided on a fixed budget, not on this second's text, so that the line count (and how far
                // the panel scrolls) does not change with the clock.
                if indent.count + iso.count + 2 + 16 <= width {
                    lines.append(StyledLine(indent + iso, .text).appending("  " + relative, .accent))
                } else {
                    // Narrow: the relative time on a line of its own rather than cut.
                    lines.append(StyledLine(indent + iso, .text))
                    lines.append(StyledLine(indent + relative, .accent))
                }
                lines.append(StyledLine(indent + "local " + LocalTime.text(seconds), .muted))
            }
        }
        return lines
    }
}
