import LayabAuth
import LayabConsole

extension VerificationPanel {
    /// Whether the token satisfies RFC 9068 and why not, for every decoded token whatever is required (the
    /// `typ` check among the claim checks says whether it was required): the same line as `layabauth verify`.
    static func accessTokenProfile(_ report: VerificationReport, width: Int) -> [StyledLine] {
        guard let profile = report.accessTokenProfile else { return [] }
        return Wrap.lines(profile.line, width: max(10, width)).map { StyledLine($0, .muted) }
    }
}
