import Foundation
import LayabAuth

extension TokenInput {
    /// The token found in what a person pasted, and where it was found: a `curl … -H 'Authorization:
    /// Bearer …'` command, an HTTP request, a token endpoint response (`access_token`, `id_token`,
    /// `refresh_token`), or an `access_token=` parameter of a URL or a form body.
    package struct Extraction: Equatable, Sendable {
        package var token: String
        /// What line wraps added inside the token and was removed.
        package var removed: RemovedWhitespace?
        /// Where the token was found, in words ("the Authorization header of a curl command"); nil for a
        /// token given as it is, after `Bearer` or in an `Authorization:` line.
        package var foundIn: String?
        /// The names of the tokens the text holds when it holds several (`access_token`, `id_token`), in
        /// the order found, and the name of the one taken.
        package var names: [String] = []
        package var chosen: String?

        package init(token: String, removed: RemovedWhitespace? = nil, foundIn: String? = nil, names: [String] = [], chosen: String? = nil) {
            self.token = token
            self.removed = removed
            self.foundIn = foundIn
            self.names = names
            self.chosen = chosen
        }

        /// "took the access_token of a token endpoint response (it also holds id_token, refresh_token)"
        package var notice: String? {
            guard let foundIn else { return nil }
            let others = names.filter { $0 != chosen }
            return "took \(foundIn)" + (others.isEmpty ? "" : " (it also holds \(others.joined(separator: ", ")))")
        }

        /// The names of the tokens a token endpoint response or a URL carries, in the order preferred.
        static let tokenNames = ["access_token", "id_token", "refresh_token"]

        /// The token of one of the forms recognised in `text`, or nil when it is none of them.
        static func found(in text: String, choosing: String?) -> Extraction? {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("{") {
                guard let object = (try? JSONParser.parse(trimmed))?.objectValue else { return nil }
                let tokens = tokenNames.compactMap { name in object[name]?.stringValue.map { (name: name, value: $0) } }
                return choice(tokens, choosing: choosing, of: "a token endpoint response")
            }
            if !afterHeaderName(text).isHeader, let bearer = bearerHeaderValue(in: trimmed) {
                let form = if trimmed.prefix(5).lowercased() == "curl " {
                    "a curl command"
                } else if isRequestLine(trimmed.prefix { !$0.isNewline }) {
                    "an HTTP request"
                } else {
                    "an Authorization header"
                }
                return Extraction(token: bearer, foundIn: "the bearer token of \(form)")
            }
            let tokens = tokenNames.compactMap { name in parameter(name, in: trimmed).map { (name: name, value: $0) } }
            return choice(tokens, choosing: choosing, of: trimmed.contains("://") ? "a URL" : "a form body")
        }

        private static func choice(_ tokens: [(name: String, value: String)], choosing: String?, of form: String) -> Extraction? {
            guard let taken = tokens.first(where: { $0.name == choosing }) ?? tokens.first else { return nil }
            return Extraction(token: taken.value, foundIn: "the \(taken.name) of \(form)", names: tokens.map(\.name), chosen: taken.name)
        }

        /// The characters a bearer token is made of (RFC 6750 `b64token`).
        static func isTokenCharacter(_ character: Character) -> Bool {
            character.isASCII && (character.isLetter || character.isNumber || "-._~+/=".contains(character))
        }

        /// The token of an `Authorization: Bearer …` header inside `text` (not at its start, which is the
        /// plain case): up to the quote, space or line break that ends it.
        private static func bearerHeaderValue(in text: String) -> String? {
            var search = text[...]
            while let header = search.range(of: "authorization:", options: .caseInsensitive) {
                search = search[header.upperBound...]
                let value = search.drop { $0 == " " || $0 == "\t" }
                guard value.prefix(6).lowercased() == "bearer", value.dropFirst(6).first == " " || value.dropFirst(6).first == "\t" else { continue }
                let token = value.dropFirst(6).drop { $0 == " " || $0 == "\t" }.prefix(while: isTokenCharacter)
                if !token.isEmpty { return String(token) }
            }
            return nil
        }

        /// `GET /path HTTP/1.1`: the first line of an HTTP request.
        private static func isRequestLine(_ line: Substring) -> Bool {
            let words = line.split(separator: " ")
            return words.count == 3 && words[0].allSatisfy { $0.isASCII && $0.isUppercase } && words[2].hasPrefix("HTTP/")
        }

        /// The value of `name=` in a query, a fragment or a form body, percent-decoded.
        private static func parameter(_ name: String, in text: String) -> String? {
            var search = text[...]
            while let found = search.range(of: name + "=") {
                let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
                search = search[found.upperBound...]
                guard before.map({ "?#&;".contains($0) || $0.isWhitespace }) ?? true else { continue }
                let value = search.prefix { !"&#;\"'".contains($0) && !$0.isWhitespace }
                guard !value.isEmpty else { continue }
                return value.removingPercentEncoding ?? String(value)
            }
            return nil
        }
    }
}
