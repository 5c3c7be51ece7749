import LayabAuth
import LayabConsole

extension Algorithm {
    /// The algorithm an option names, or a usage error saying the registered spelling or the known names
    /// (`sign`, and `--algorithm` of verify and inspect).
    static func argument(_ name: String, option: String) throws -> Algorithm {
        if let algorithm = Algorithm.named(name) { return algorithm }
        if let registered = Algorithm.differingOnlyInCase(from: name) {
            throw InputError("\(option): unknown algorithm \"\(name)\": algorithm names are case-sensitive, the registered spelling is \(registered.rawValue)")
        }
        throw InputError("\(option): unknown algorithm \"\(name)\" (known: \(Algorithm.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
}
