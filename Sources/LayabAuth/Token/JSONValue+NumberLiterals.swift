/// The numbers of a JSON document as it writes them, in document order: what a person must see where a
/// ``JSONValue`` holds only the nearest Double (`123456789012345678901234567890` parses as
/// `1.2345678901234568e+29`). Produced by the parser for display; consumed in the same order the document is
/// written, member by member.
package struct JSONNumberLiterals: Sendable {
    private let texts: [String]
    private var next = 0

    package init(_ texts: [String] = []) { self.texts = texts }

    /// The text of the next number of the document, or `value`'s own JSON text when the literals are used
    /// up (a value written without a document).
    package mutating func text(of value: JSONValue) -> String {
        if next < texts.count {
            defer { next += 1 }
            return texts[next]
        }
        return switch value {
        case let .integer(integer): String(integer)
        case let .number(number): JSONValue.format(number)
        default: value.jsonText
        }
    }
}
