import LayabAuth

/// The inspector on a terminal smaller than the full layout needs (down to 40x12): the verdict, the
/// signature, what failed and the server's answer, one under the other.
enum CompactView {
    static let minimumWidth = 40
    static let minimumHeight = 12

    /// Draws between the title bar and the status bar, leaving the row above the status bar to an open
    /// prompt (`promptRows`). Text is wrapped, never cut; what does not fit is counted on a last line.
    static func draw(_ state: InspectorState, report: VerificationReport?, now: Double, promptRows: Int, on screen: inout Screen) {
        let width = screen.width - 2
        let rows = screen.height - 2 - promptRows
        let answer = report.map { VerificationPanel.fitted(VerificationPanel.serverAnswer(state, report: $0, now: now, width: width), width: width) } ?? []
        let body = VerificationPanel.fitted(lines(state, report: report, width: width), width: width)
        // The answer stays together at the foot; the failures give way to it, the verdict and signature last.
        let room = max(0, rows - answer.count)
        var shown = Array(body.prefix(room))
        if body.count > room, room > 0 {
            shown[room - 1] = StyledLine("… \(body.count - room + 1) more lines: \(InspectorView.minimumWidth)x\(InspectorView.minimumHeight) shows all", .muted)
        }
        screen.draw(shown + answer.prefix(rows - shown.count), x: 1, y: 1, width: width, height: rows)
    }

    /// The verdict, the signature word and every failure, without the answer.
    static func lines(_ state: InspectorState, report: VerificationReport?, width: Int) -> [StyledLine] {
        guard let report else {
            return [StyledLine("Verdict    ", .accent).appending("no token yet", .muted),
                    StyledLine("paste a token, or press e to type one", .text)]
        }
        let errors = report.errors
        var lines = [errors.isEmpty ? StyledLine("Verdict    ", .accent).appending("ACCEPTED", .ok)
            : StyledLine("Verdict    ", .accent).appending("REFUSED", .error).appending("  \(errors.count) problem\(errors.count == 1 ? "" : "s")", .muted)]
        lines += VerificationPanel.signature(report, width: width, thumbprint: false, local: state.whatIf).prefix(1)
        lines += VerificationPanel.decodingLines(report, width: width)
        for check in report.checks {
            if case .failed = check.outcome { lines += VerificationPanel.checkLines(check, width: width) }
        }
        if let evaluation = report.scopes {
            let missing = evaluation.requirement.scopes.filter { !evaluation.present.contains($0) }
            if !missing.isEmpty { lines.append(StyledLine("scope ", .accent).appending("FAIL", .error).appending(" missing " + missing.joined(separator: " "), .text)) }
        }
        return lines
    }
}
