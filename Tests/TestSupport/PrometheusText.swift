/// A scrape in the Prometheus text format (version 0.0.4), parsed into its samples, for tests that read an
/// app's `GET /metrics`.
public struct PrometheusText: Sendable {
    /// One line of a metric family: `name{label="value",…} value`.
    public struct Sample: Sendable, Equatable {
        public let name: String
        public let labels: [String: String]
        public let value: Double
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let samples: [Sample]
    /// The `# TYPE` of each family that declares one, by family name.
    public let types: [String: String]

    /// Parses every line; comments other than `# TYPE` are skipped. Throws on a line that is not a sample.
    public init(_ text: String) throws {
        var samples: [Sample] = []
        var types: [String: String] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            if line.hasPrefix("#") {
                let words = line.split(separator: " ", omittingEmptySubsequences: true)
                if words.count == 4, words[1] == "TYPE" { types[String(words[2])] = String(words[3]) }
                continue
            }
            do {
                samples.append(try Self.sample(Substring(line)))
            } catch let failure as Failure {
                throw Failure(description: "line \(number + 1) \"\(line)\": \(failure.description)")
            }
        }
        self.samples = samples
        self.types = types
    }

    /// The sum of the samples named `name` whose labels include `labels` (a series absent from the scrape
    /// counts 0, as a counter that has not been incremented yet).
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
            .reduce(0) { $0 + $1.value }
    }

    /// The distinct values of `label` among the samples named `name`.
    public func labelValues(_ name: String, _ label: String) -> Set<String> {
        Set(samples.filter { $0.name == name }.compactMap { $0.labels[label] })
    }

    private static func sample(_ line: Substring) throws -> Sample {
        var rest = line[...]
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
        guard !name.isEmpty else { throw Failure(description: "no metric name") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = rest.prefix { $0 != "=" && $0 != "}" && $0 != "," }
                rest = rest.dropFirst(label.count)
                guard !label.isEmpty, rest.first == "=", rest.dropFirst().first == "\"" else { throw Failure(description: "expected label=\"value\"") }
                rest = rest.dropFirst(2)
                var value = ""
                while true {
                    guard let character = rest.first else { throw Failure(description: "unterminated label value") }
                    rest = rest.dropFirst()
                    if character == "\"" { break }
                    if character == "\\" {
                        guard let escaped = rest.first else { throw Failure(description: "unterminated escape") }
                        rest = rest.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                }
                labels[String(label)] = value
                if rest.first == "," { rest = rest.dropFirst() }
                guard rest.first != nil else { throw Failure(description: "unterminated label set") }
            }
            rest = rest.dropFirst()
        }
        // The value, then an optional timestamp.
        let fields = rest.split(separator: " ", omittingEmptySubsequences: true)
        guard (1...2).contains(fields.count), let value = Double(fields[0]) ?? special(fields[0]) else {
            throw Failure(description: "expected a value after the name and labels")
        }
        return Sample(name: String(name), labels: labels, value: value)
    }

    private static func special(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: nil
        }
    }
}
