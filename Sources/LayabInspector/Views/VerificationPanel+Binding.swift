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
        return lines + (folded ? foldedCheckLines(binding.checks, width: width, separator: ", ", nameWidth: Self.bindingNameWidth)
            : binding.checks.flatMap { checkLines($0, width: width, nameWidth: Self.bindingNameWidth) })
    }

    /// Room for the longest binding rule name, "sender constraint", and a space.
    static let bindingNameWidth = 18
}
