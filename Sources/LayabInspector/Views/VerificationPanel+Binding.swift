import LayabAuth
import LayabConsole

extension VerificationPanel {
    /// The token's binding (RFC 9449 DPoP, RFC 8705 certificate): what it is bound to, how the request
    /// presents it, and each binding check; folded, the passed and skipped checks each on one line. Empty
    /// when the token is bound to nothing and the request carries no proof or certificate.
    static func binding(_ state: InspectorState, width: Int, folded: Bool = false) -> [StyledLine] {
        guard let binding = state.shownBinding else { return [] }
        var lines = Wrap.lines(binding.summary, width: max(10, width - 11)).enumerated().map { index, line in
            StyledLine(index == 0 ? "Binding    " : String(repeating: " ", count: 11), .accent).appending(line, binding.bindingFailed ? .warning : .text)
        }
        if let reason = binding.notChecked { lines.append(StyledLine("  not checked: \(reason)", .warning)) }
        if state.bindingRequest.proof != nil, state.bindingRequest.uri.isEmpty {
            lines.append(StyledLine("  R: give the request's method and URL", .warning))
        }
        guard folded else { return lines + binding.checks.flatMap { bindingCheckLines($0, width: width) } }
        let passed = binding.checks.filter { if case .passed = $0.outcome { true } else { false } }.map(\.claim)
        let skipped = binding.checks.filter { if case .skipped = $0.outcome { true } else { false } }.map(\.claim)
        lines += binding.checks.filter { !$0.passed }.flatMap { bindingCheckLines($0, width: width) }
        if !passed.isEmpty { lines.append(StyledLine("ok   ", .ok).appending(passed.joined(separator: ", "), .text)) }
        if !skipped.isEmpty { lines.append(StyledLine("skip ", .muted).appending(skipped.joined(separator: ", "), .muted)) }
        return lines
    }

    /// One binding check: its rule's name (longer than a claim's: "sender constraint"), ok/FAIL/skip and the
    /// detail, wrapped under the detail's column.
    static func bindingCheckLines(_ check: ClaimCheck, width: Int) -> [StyledLine] {
        let (mark, role, detail): (String, Role, String) = switch check.outcome {
        case let .passed(detail): ("ok  ", .ok, detail)
        case let .failed(error): ("FAIL", .error, "\(error.code.rawValue): \(error.message)")
        case let .skipped(reason): ("skip", .muted, reason)
        }
        let nameWidth = 18
        return Wrap.lines(detail, width: max(10, width - nameWidth - 5)).enumerated().map { index, line in
            index == 0 ? StyledLine(check.claim.padded(to: nameWidth), .accent).appending(mark, role).appending(" " + line, role == .muted ? .muted : .text)
                       : StyledLine(String(repeating: " ", count: nameWidth + 5) + line, .text)
        }
    }
}
