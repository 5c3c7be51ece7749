import LayabAuth

/// What differs between two tokens, member by member: the header's and the claims'.
package struct TokenComparison: Sendable, Equatable {
    package enum Change: Sendable, Equatable {
        case added(JSONValue)
        case removed(JSONValue)
        case changed(from: JSONValue, to: JSONValue)
    }

    package struct Difference: Sendable, Equatable {
        /// "header" or "claims".
        package let part: String
        package let name: String
        package let change: Change

        package init(part: String, name: String, change: Change) {
            self.part = part
            self.name = name
            self.change = change
        }
    }

    /// In document order: the header's first, then the claims'; removed members after those of the newer token.
    package let differences: [Difference]
    /// Why one of the tokens could not be compared (not a decodable JWS), when it could not.
    package let problem: String?

    /// Compares `earlier` with `later`: what `later` added, removed or changed.
    package init(earlier: String, later: String) {
        let maximumSize = DecodedToken.displayCeiling
        let decoded: (DecodedToken, DecodedToken)
        do {
            decoded = (try DecodedToken.decodeForDisplay(earlier, maximumSize: maximumSize),
                       try DecodedToken.decodeForDisplay(later, maximumSize: maximumSize))
        } catch {
            self.differences = []
            self.problem = "cannot compare: \(error.message)"
            return
        }
        let empty = JSONObject()
        differences = Self.compare(decoded.0.header.members, decoded.1.header.members, part: "header")
            + Self.compare(decoded.0.claims?.members ?? empty, decoded.1.claims?.members ?? empty, part: "claims")
        problem = nil
    }

    static func compare(_ earlier: JSONObject, _ later: JSONObject, part: String) -> [Difference] {
        var differences: [Difference] = []
        for member in later {
            if let old = earlier[member.name] {
                if old != member.value { differences.append(Difference(part: part, name: member.name, change: .changed(from: old, to: member.value))) }
            } else {
                differences.append(Difference(part: part, name: member.name, change: .added(member.value)))
            }
        }
        for member in earlier where later[member.name] == nil {
            differences.append(Difference(part: part, name: member.name, change: .removed(member.value)))
        }
        return differences
    }
}
