import LayabAuth

extension ReportText {
    /// Room for the longest binding rule name ("sender constraint").
    static let bindingNameWidth = 17

    /// The binding section of `layabauth verify`: what the token is bound to, each binding rule, and the
    /// server's answer with its status and headers.
    package func binding(_ binding: BindingReport) -> String {
        var lines = [style.bold("Binding") + "  " + TerminalText.printable(binding.summary)]
        if let reason = binding.notChecked { lines.append(row(nil, "binding", "not checked: \(reason)", failed: true, nameWidth: Self.bindingNameWidth)) }
        lines += checkRows(binding.checks, scopes: nil, nameWidth: Self.bindingNameWidth)
        lines.append("")
        if let answer = binding.answer {
            lines.append(style.bold("Server answer") + "  " + style.error("\(answer.status)") + style.muted("  the request is refused"))
            for header in answer.headers { lines.append("  " + TerminalText.printable("\(header.name): \(header.value)")) }
        } else {
            lines.append(style.bold("Server answer") + "  " + style.ok("accepted") + style.muted("  the request passes authentication"))
        }
        return "\n\n" + lines.joined(separator: "\n")
    }
}
