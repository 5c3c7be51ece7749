/// The semantic roles a theme colours. Views speak only in roles, never in colours.
package enum Role: String, Sendable, CaseIterable, Hashable {
    case text
    case muted
    case accent
    case title
    case border
    case status
    case selection
    case ok
    case warning
    case error
    case demo
    case jsonKey = "json-key"
    case jsonString = "json-string"
    case jsonNumber = "json-number"
    case jsonLiteral = "json-literal"
    case segmentHeader = "segment-header"
    case segmentPayload = "segment-payload"
    case segmentSignature = "segment-signature"
    case input
}
