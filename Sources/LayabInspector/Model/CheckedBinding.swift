import LayabConsole

/// The binding report of one token with one request (`--dpop`, `P`, `R`), made at one second: the runtime
/// makes a new one when any of the three changes (a proof's age changes with the clock).
package struct CheckedBinding: Sendable {
    package struct Key: Sendable, Equatable {
        package let token: String
        package let request: BindingRequest
        package let second: Int
    }

    package let key: Key
    package let report: BindingReport

    package init(key: Key, report: BindingReport) {
        self.key = key
        self.report = report
    }
}
