import LayabAuth
import LayabAuthJWKS
import LayabConsole

/// The keys browser: the source and its last retrieval, every key, the keys refused as weak, skipped keys
/// with reasons, and a detail view with the JWK JSON and its PEM.
enum KeysPanel {
    /// The panel's lines, and where each key's first line is in them (for the list).
    struct Content {
        var lines: [StyledLine]
        var keyStarts: [Int] = []
    }

    /// The first line shown of the list: the selected key in view, about halfway down; from the last key,
    /// on to the end of the skipped keys by ``InspectorState/keysOverscroll``.
    static func listScroll(_ content: Content, state: InspectorState, visible: Int) -> Int {
        let end = max(0, content.lines.count - visible)
        guard content.keyStarts.indices.contains(state.keySelection) else { return min(state.keysOverscroll, end) }
        let start = content.keyStarts[state.keySelection]
        let centred = max(0, min(start - visible / 2, end))
        guard state.keySelection == content.keyStarts.count - 1 else { return centred }
        return min(centred + state.keysOverscroll, end)
    }

    static func content(_ state: InspectorState, report: VerificationReport?, now: Double, width: Int) -> Content {
        // The key source's keys, then the LOCAL ones of what-if editing, each said to be what it is.
        let keys = state.keys
        let listed = state.listedKeys
        let localOrigin = "this inspector: a LOCAL what-if key, not the provider's (E/H re-sign with it)"
        if state.keyDetail, listed.indices.contains(state.keySelection) {
            let key = listed[state.keySelection]
            return Content(lines: detail(key, origin: state.whatIf.isLocal(key) ? localOrigin : origin(state), width: width))
        }
        var keyStarts: [Int] = []
        var lines = [StyledLine("Source  ", .accent).appending(state.keySourceDescription, .text)]
        if let status = state.keySourceStatus {
            for line in statusLines(status, undiscoveredIssuer: state.undiscoveredIssuer, now: now) {
                // "fetch    HTTP 200, …": continuation rows line up under the text after the label.
                for (index, row) in Wrap.lines(line, width: max(10, width - 11)).enumerated() {
                    lines.append(StyledLine((index == 0 ? "  " : String(repeating: " ", count: 11)) + row, line.hasPrefix("error") ? .error : .muted))
                }
            }
        }
        if state.isFetchingKeys { lines.append(StyledLine("  fetching…", .warning)) }
        lines.append(.empty)
        let localCount = listed.count - keys.keys.count
        lines.append(StyledLine("Keys (\(keys.keys.count)\(localCount > 0 ? " + \(localCount) LOCAL" : ""))", .accent).appending("   ↑↓ select  Enter details  r refresh  j JWKS URI  d discover", .muted))
        let matching = report?.signature.key?.thumbprint
        let tokenKid = report?.decoded?.header.kid
        for (index, key) in listed.enumerated() {
            keyStarts.append(lines.count)
            let isLocal = index >= keys.keys.count
            let selected = index == state.keySelection
            let kid = key.kid.map { "\"\($0)\"" } ?? "(no kid)"
            var facts = [KeyDescription.shape(key)]
            if let alg = key.algorithm { facts.append("alg \(alg)") }
            if let use = key.use { facts.append("use \(use)") }
            var line = StyledLine(selected ? "▶ " : "  ", .accent)
            if isLocal { line.append("LOCAL ", .warning) }
            line.append(kid, selected ? .selection : .jsonString)
            line.append("  " + facts.joined(separator: "  "), .text)
            if key.thumbprint == matching {
                line.append("  ◀ verifies this token", .ok)
            } else if let tokenKid, let keyKid = key.kid, ExactString(keyKid) == ExactString(tokenKid) {
                line.append("  ◀ named by this token", .warning)
            }
            lines.append(line)
            lines += StyledLine("    thumbprint \(key.thumbprint)", .muted).wrapped(width: width, indent: 15)
            lines += keyFact("from \(isLocal ? localOrigin : origin(state))", width: width, role: isLocal ? .warning : .muted)
            for note in KeyDescription.noteLines(key) { lines += keyFact(note, width: width, role: .warning) }
            if let certificate = key.certificate {
                let validity = [certificate.notBefore, certificate.notAfter].map { $0.map(TimeText.iso8601) ?? "?" }
                lines += keyFact("x5c \(certificate.subject), valid \(validity[0]) to \(validity[1])", width: width, role: .muted)
            }
        }
        if keys.keys.isEmpty { lines.append(StyledLine(listed.isEmpty ? "  no usable keys" : "  no usable keys from the key source", .warning)) }
        lines += weakKeyLines(state, report: report, now: now, width: width)
        // A set with no usable key is refused whole: its skipped keys, in the status, say why.
        let skippedKeys = keys.keys.isEmpty && keys.skipped.isEmpty ? state.keySourceStatus?.unusableKeys?.skipped ?? [] : keys.skipped
        if !skippedKeys.isEmpty {
            lines.append(.empty)
            lines.append(StyledLine("Skipped (\(skippedKeys.count))", .warning))
            for skipped in skippedKeys {
                for (index, line) in Wrap.lines(skipped.description, width: width - 4).enumerated() {
                    lines.append(StyledLine((index == 0 ? "  " : "    ") + line, .warning))
                }
            }
        }
        return Content(lines: lines, keyStarts: keyStarts)
    }

    /// The source's status, one line per fact; while discovery has not found the JWKS URI, the issuer is
    /// said to be the one discovery looks at, not one keys were discovered from.
    private static func statusLines(_ status: KeySourceStatus, undiscoveredIssuer: String?, now: Double) -> [String] {
        guard let undiscoveredIssuer else { return KeyDescription.statusLines(status, now: now) }
        var shown = status
        shown.discoveredFrom = nil
        var lines = KeyDescription.statusLines(shown, now: now)
        let state = status.lastError == nil ? "discovering…" : "discovery failed, no JWKS URI found"
        lines.insert("issuer   \(undiscoveredIssuer) (\(state))", at: min(1, lines.count))
        return lines
    }

    /// Where the keys shown came from: where their source read them (with the issuer they were discovered
    /// from), else the source's name.
    static func origin(_ state: InspectorState) -> String {
        guard let status = state.keySourceStatus, state.undiscoveredIssuer == nil else { return state.keySourceDescription }
        return status.location + (status.discoveredFrom.map { " (discovered from \($0))" } ?? "")
    }

    /// The keys given on the command line that a verifier refuses as too weak (``InspectorState/weakKeys``):
    /// each with the reason, and which one the token's signature matches.
    private static func weakKeyLines(_ state: InspectorState, report: VerificationReport?, now: Double, width: Int) -> [StyledLine] {
        guard !state.weakKeys.isEmpty else { return [] }
        var lines: [StyledLine] = [.empty, StyledLine("Refused as weak (\(state.weakKeys.count))", .warning)
            .appending("   refused by a verifier, checked here anyway", .muted)]
        let algorithm = report?.decoded?.header.algorithm
        let matched = matchedWeakKeys(state, report: report, now: now)
        for (index, weak) in state.weakKeys.enumerated() {
            var line = StyledLine("  " + (weak.kid.map { "\"\($0)\"" } ?? "(no kid)"), .jsonString).appending("  " + weak.shape, .text)
            if matched.contains(index) { line.append("  ◀ signature matches (refused)", .warning) }
            lines.append(line)
            // The rule for the token's alg where the key could serve it, else for the first alg it could.
            let reason = algorithm.flatMap(weak.weakness(for:)) ?? Algorithm.allCases.lazy.compactMap(weak.weakness(for:)).first
            if let reason { lines += keyFact("refused: " + reason, width: width, role: .warning) }
        }
        return lines
    }

    /// The indices in ``InspectorState/weakKeys`` of the key the token's signature matches, when the report
    /// says `weak_key`: the verifier's own check, asked again with each weak key alone.
    private static func matchedWeakKeys(_ state: InspectorState, report: VerificationReport?, now: Double) -> Set<Int> {
        guard let refusal = report?.signature.error, refusal.code == .weakKey,
              let serverReport = state.report(now: now, checkingWeakKeys: false) else { return [] }
        return Set(state.weakKeys.indices.filter { index in
            let alone = serverReport.checkingWeakKeys([state.weakKeys[index]]).signature.error
            return alone?.code == .weakKey && alone?.message == refusal.message
        })
    }

    /// A fact under a key of the list, word-wrapped, its continuation rows indented further.
    private static func keyFact(_ text: String, width: Int, role: Role) -> [StyledLine] {
        Wrap.lines(text, width: max(10, width - 8)).enumerated().map { index, row in StyledLine((index == 0 ? "    " : "        ") + row, role) }
    }

    /// A key's details.
    /// - Parameter origin: where the key came from (``origin(_:)``): one row in place of the blank one above
    ///   the JWK, so that the rows are as many with it as without; when cut, the list shows it in full.
    static func detail(_ key: VerificationKey, origin: String? = nil, width: Int) -> [StyledLine] {
        var lines = [StyledLine("Key ", .accent).appending(key.kid.map { "\"\($0)\"" } ?? "(no kid)", .jsonString)
            .appending("   Esc or Enter: back to the list", .muted)]
        lines += Wrap.lines("\(KeyDescription.shape(key)), thumbprint \(key.thumbprint)", width: max(10, width - 2)).map { StyledLine("  " + $0, .muted) }
        for note in KeyDescription.noteLines(key) { lines += Wrap.lines(note, width: max(10, width - 2)).map { StyledLine("  " + $0, .warning) } }
        if let origin {
            let text = "from " + origin
            lines.append(StyledLine("  " + (text.count > width - 2 ? text.prefix(max(0, width - 3)) + "…" : text), .muted))
        } else {
            lines.append(.empty)
        }
        lines.append(StyledLine("JWK", .accent))
        // Long members (an RSA modulus) wrap instead of being cut: the JWK shown is the whole JWK.
        lines += JSONLines.render(.object(key.publicJWK)).flatMap { $0.wrapped(width: width, indent: 4) }
        if let pem = key.pem {
            lines.append(.empty)
            lines.append(StyledLine("PEM", .accent))
            lines += pem.split(separator: "\n").map { StyledLine(String($0), .text) }
        }
        return lines
    }
}
