/// What an HTML page in place of a key set says, in one line: "an HTML page (1234 bytes): \"502 Bad Gateway\"".
///
/// Error and login pages from proxies and identity providers are common answers from a key source; dumped
/// raw, their markup hides the one line that matters, the title.
struct HTMLSummary: CustomStringConvertible {
    /// The body's size in bytes.
    let size: Int
    /// The `<title>`, whitespace collapsed, the common character references decoded; nil when absent or empty.
    let title: String?

    /// The longest title kept; a longer one ends in "…".
    static let maximumTitleLength = 120
    /// How much of the body is searched for the title.
    static let searchedBytes = 64 * 1024

    /// Nil when the body is not HTML: neither declared so by `contentType` nor starting with a doctype or an
    /// `<html>` tag.
    init?(_ body: [UInt8], contentType: String?) {
        let text = String(decoding: body.prefix(Self.searchedBytes), as: UTF8.self)
        let start = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }.prefix(20).lowercased()
        let declared = contentType?.lowercased().contains("html") == true
        guard declared || start.hasPrefix("<!doctype html") || start.hasPrefix("<html") else { return nil }
        size = body.count
        title = Self.title(in: text)
    }

    var description: String {
        let page = "an HTML page (\(size) bytes)"
        guard let title else { return page + " without a title" }
        return page + ": \"" + title + "\""
    }

    /// The text between `<title…>` and `</title>`.
    private static func title(in text: String) -> String? {
        // Tags are found in a copy with only ASCII letters lowered, so that UTF-8 offsets stay the same.
        let asciiLowered = String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        guard let open = asciiLowered.utf8.firstRange(of: "<title".utf8),
              let close = asciiLowered.utf8[open.upperBound...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let contentStart = asciiLowered.utf8.index(after: close)
        let contentEnd = asciiLowered.utf8[contentStart...].firstRange(of: "</title".utf8)?.lowerBound ?? asciiLowered.utf8.endIndex
        let offsets = asciiLowered.utf8.distance(from: asciiLowered.utf8.startIndex, to: contentStart)..<asciiLowered.utf8.distance(from: asciiLowered.utf8.startIndex, to: contentEnd)
        let raw = String(decoding: Array(text.utf8)[offsets], as: UTF8.self)
        let words = decodingReferences(raw).split { $0.isWhitespace || $0.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control } }
        let title = words.joined(separator: " ")
        if title.isEmpty { return nil }
        return title.count > maximumTitleLength ? String(title.prefix(maximumTitleLength - 1)) + "…" : title
    }

    private static func decodingReferences(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = text
        for (reference, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&nbsp;", " "), ("&amp;", "&")] {
            result = result.replacingOccurrences(of: reference, with: character)
        }
        return result
    }
}
