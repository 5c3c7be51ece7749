import LayabAuth

extension AccessTokenProfile {
    /// The line `layabauth verify` and the inspector show for every decoded token, e.g.
    /// `RFC 9068 access token: no (typ is "JWT", not "at+jwt"; no client_id)`.
    package var line: String { "\(Self.label): \(summary)" }

    /// What the line is about, for views that set it apart from its value.
    package static let label = "RFC 9068 access token"

}
