import LayabConsole

/// The binding report of one token with one request (`--dpop`, `P`, `R`), made at one second from one
/// verdict on the token: the runtime makes a new one when any of these changes (a proof's age changes with the
/// clock; the verdict when keys arrive).
package struct CheckedBinding: Sendable {
    package struct Key: Sendable, Equatable {
        package let token: String
        package let request: BindingRequest
        package let second: Int
        /// The token's verification outcome: its signature's word and error codes.
        package let verdict: [String]
    }

    package let key: Key
    package let report: BindingReport

    package init(key: Key, report: BindingReport) {
        self.key = key
        self.report = report
    }
}
