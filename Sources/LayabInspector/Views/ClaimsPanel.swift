import LayabAuth
import LayabConsole

/// Claims and header: a table naming registered and OIDC claims in words (timestamps in UTC, local
/// time and relative), then both as syntax-coloured JSON. Whatever part of a refused token decodes is shown,
/// under the reason it is refused.
enum ClaimsPanel {
    /// Rows a value takes in the table at most; the JSON shows all of it.
    static let maximumValueRows = 4

    static func lines(_ decoded: DecodedToken?, now: Double, width: Int) -> [StyledLine] {
        guard let decoded else { return [StyledLine("Nothing decoded.", .muted)] }
        var lines: [StyledLine] = []
        if let refusal = decoded.refusal {
            // Shown anyway, so that a person sees what an unsecured, oversized, damaged or encrypted token holds.
            let text = "Refused by every verifier: \(refusal.code.rawValue): \(TerminalText.visible(refusal.message))"
            lines += Wrap.lines(text, width: width).map { StyledLine($0, .error) }
            lines.append(.empty)
        }
        let literals = decoded.payloadNumberLiterals
        if let claims = decoded.claims {
            lines.append(StyledLine("Claims", .accent))
            lines += table(claims.members, words: ClaimNames.words, now: now, width: width, literals: literals)
        } else if decoded.isEncrypted {
            lines.append(StyledLine("Payload encrypted (JWE): \(decoded.payload.count) bytes of ciphertext, not decrypted", .accent))
        } else {
            lines.append(StyledLine("Payload (\(decoded.payload.count) bytes, not a claims set)", .accent))
            let text = TerminalText.visible(String(decoding: decoded.payload.prefix(2000), as: UTF8.self))
            lines += Wrap.lines(text, width: width).map { StyledLine($0, .text) }
        }
        lines.append(.empty)
        lines.append(StyledLine(decoded.isEncrypted ? "Protected header" : "Header", .accent))
        lines += table(decoded.header.members, words: ClaimNames.headerWords, now: now, width: width)
        lines.append(.empty)
        lines.append(StyledLine(decoded.isEncrypted ? "Protected header JSON" : "Header JSON", .accent))
        lines += JSONLines.render(.object(decoded.header.members)).flatMap { $0.wrapped(width: width, indent: 4) }
        if let claims = decoded.claims {
            lines.append(.empty)
            lines.append(StyledLine("Claims JSON", .accent))
            lines += JSONLines.render(.object(claims.members), literals: literals).flatMap { $0.wrapped(width: width, indent: 4) }
        }
        lines.append(.empty)
        lines.append(StyledLine(signatureLine(decoded), .muted))
        return lines
    }

    private static func signatureLine(_ decoded: DecodedToken) -> String {
        if decoded.isEncrypted { return "Authentication tag  \(decoded.signature.count) bytes" }
        let segment = decoded.raw.split(separator: ".", omittingEmptySubsequences: false).dropFirst(2).first
        guard let segment else { return "Signature  none (the token has no signature segment)" }
        let bytes = decoded.signature
        if bytes.isEmpty, !segment.isEmpty { return "Signature  \(segment.utf8.count) characters, not valid base64url" }
        return "Signature  \(bytes.count) bytes"
    }

    /// Names are written whole: in a column as wide as the longest (up to a third of the panel), or on a line
    /// of their own above the value when longer. Values wrap under their column, up to
    /// ``maximumValueRows`` rows, the rest said to be in the JSON below, which shows all of it; a value with
    /// characters that draw nothing of their own (combining marks, joiners, invisible format characters) is
    /// followed by its code points, so that `é` and `e` + U+0301 read differently.
    static func table(_ object: JSONObject, words: [String: String], now: Double, width: Int,
                      literals: JSONNumberLiterals = JSONNumberLiterals()) -> [StyledLine] {
        var literals = literals
        let names = object.names.map(TerminalText.visible)
        let nameWidth = min(names.map { CharacterWidth.columns(of: $0) }.max() ?? 3, max(12, width / 3))
        let wordWidth = min(object.names.map { (words[$0] ?? "").count }.max() ?? 0, 24)
        let valueColumn = nameWidth + 1 + wordWidth + 1
        let indent = String(repeating: " ", count: nameWidth + 1)
        var lines: [StyledLine] = []
        for (member, name) in zip(object, names) {
            var row = StyledLine()
            if CharacterWidth.columns(of: name) > nameWidth {
                lines += StyledLine(name, .jsonKey).wrapped(width: width, indent: 2)
                row.append(indent, .text)
            } else {
                row.append(name.padded(toColumns: nameWidth) + " ", .jsonKey)
            }
            let word = words[member.name] ?? ""
            row.append((word.count > wordWidth ? String(word.prefix(wordWidth - 1)) + "…" : word.padded(to: wordWidth)) + " ", .muted)
            let value = TerminalText.visible(member.value.jsonText(literals: &literals))
            let role: Role = switch member.value {
            case .string: .jsonString
            case .integer, .number: .jsonNumber
            case .bool, .null: .jsonLiteral
            default: .text
            }
            row.append(value, role)
            let rows = row.wrapped(width: width, indent: valueColumn)
            lines += rows.prefix(maximumValueRows)
            if rows.count > maximumValueRows {
                // Every row starts with `valueColumn` characters of name, word or indent.
                let shown = rows.prefix(maximumValueRows).reduce(0) { $0 + $1.text.count - valueColumn }
                lines.append(StyledLine(String(repeating: " ", count: valueColumn) + "… \(value.count - shown) more characters, all in the JSON below", .muted))
            }
            for (label, text) in [("name", member.name), ("value", member.value.stringValue ?? "")] {
                guard let codePoints = TerminalText.codePoints(text) else { continue }
                lines += StyledLine(indent + "\(label) code points ", .muted).appending(codePoints, .warning)
                    .wrapped(width: width, indent: nameWidth + 3)
            }
            if ClaimNames.timestamps.contains(member.name), let seconds = member.value.doubleValue {
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
