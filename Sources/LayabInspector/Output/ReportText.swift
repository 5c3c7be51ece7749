import LayabAuth

/// The human-readable forms of `layabauth decode` and `layabauth verify`.
public struct ReportText {
    public let style: TextStyle
    public let now: Double

    public init(style: TextStyle, now: Double) {
        self.style = style
        self.now = now
    }

    /// A timestamp as the number, ISO 8601 UTC and relative time.
    public func timestamp(_ seconds: Double) -> String {
        "\(JSONValue.number(seconds).jsonText)  (\(TimeText.iso8601(seconds)), \(TimeText.relative(seconds, now: now)))"
    }

    /// Header and claims, labelled as unverified.
    public func decoded(_ token: DecodedToken) -> String {
        var lines = [style.warning("UNVERIFIED") + style.muted("  decoded only: nothing here has been checked")]
        lines.append("")
        lines.append(style.bold("Header"))
        lines += members(token.header.members, words: ClaimNames.headerWords)
        lines.append("")
        if let claims = token.claims {
            lines.append(style.bold("Claims"))
            lines += members(claims.members, words: ClaimNames.words)
        } else {
            lines.append(style.bold("Payload") + style.muted("  (\(token.payload.count) bytes, not a JSON claims set)"))
            lines.append("  " + String(decoding: token.payload.prefix(400), as: UTF8.self))
        }
        lines.append("")
        lines.append(style.bold("Signature") + style.muted("  \(token.signature.count) bytes, \(token.header.algorithmName)"))
        return lines.joined(separator: "\n")
    }

    func members(_ object: JSONObject, words: [String: String]) -> [String] {
        let width = object.names.map(\.count).max() ?? 0
        return object.members.map { member in
            let name = member.name.padding(toLength: max(member.name.count, min(max(width, 3), 12)), withPad: " ", startingAt: 0)
            let value: String
            if ClaimNames.timestamps.contains(member.name), let seconds = member.value.doubleValue {
                value = timestamp(seconds)
            } else {
                value = member.value.jsonText
            }
            let word = words[member.name].map { style.muted("  \($0)") } ?? ""
            return "  \(style.accent(name))  \(value)\(word)"
        }
    }

    /// Every check of a verification with its outcome.
    public func report(_ report: VerificationReport) -> String {
        var lines: [String] = []
        lines.append(report.isValid ? style.ok(style.bold("VALID")) + "  the token is accepted"
                                    : style.error(style.bold("REJECTED")) + "  \(report.errors.count) check\(report.errors.count == 1 ? "" : "s") failed")
        if let decoded = report.decoded {
            let kid = decoded.header.kid.map { ", kid \"\($0)\"" } ?? ""
            lines.append(style.muted("alg \(decoded.header.algorithmName)\(kid), \(decoded.raw.utf8.count) bytes"))
            if !decoded.header.embeddedKeyMembers.isEmpty {
                lines.append(style.warning("header carries \(decoded.header.embeddedKeyMembers.joined(separator: ", ")): ignored, keys come only from the configured source"))
            }
        }
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
        if let error = report.decodingError {
            lines.append(row(false, "claims", error.code.rawValue + ": " + error.message))
        }
        for check in report.checks {
            switch check.outcome {
            case let .passed(detail): lines.append(row(true, check.claim, detail))
            case let .failed(error): lines.append(row(false, check.claim, error.code.rawValue + ": " + error.message))
            case let .skipped(reason): lines.append(row(nil, check.claim, reason))
            }
        }
        if let scopes = report.scopes {
            if scopes.requirement.scopes.isEmpty {
                lines.append(row(nil, "scopes", "none required; granted: [\(scopes.granted.joined(separator: ", "))]"))
            } else if let error = scopes.error {
                lines.append(row(false, "scopes", error.code.rawValue + ": " + error.message))
            } else {
                lines.append(row(true, "scopes", "\(scopes.requirement) granted"))
            }
        }
        return lines.joined(separator: "\n")
    }

    private func row(_ passed: Bool?, _ name: String, _ detail: String, failed: Bool = false) -> String {
        let mark: String
        switch passed {
        case true?: mark = style.ok("ok  ")
        case false?: mark = style.error("FAIL")
        case nil: mark = failed ? style.warning("----") : style.muted("skip")
        }
        return "  \(mark)  \(name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(detail)"
    }
}
