import LayabAuth

/// A sample token of the demo, with what it shows.
package struct DemoSample: Sendable, Equatable {
    package let name: String
    /// The token as last signed.
    package internal(set) var token: String
    /// Signs the sample again for another time (its iat and exp follow the clock).
    let mint: (@Sendable (Double) throws(LayabAuthError) -> String)?

    package init(name: String, token: String) {
        self.name = name
        self.token = token
        mint = nil
    }

    /// A sample signed by `mint` at `now`, and again each time it is shown.
    init(name: String, now: Double, mint: @escaping @Sendable (Double) throws(LayabAuthError) -> String) throws(LayabAuthError) {
        self.name = name
        token = try mint(now)
        self.mint = mint
    }

    package static func == (lhs: DemoSample, rhs: DemoSample) -> Bool { lhs.name == rhs.name && lhs.token == rhs.token }
}
