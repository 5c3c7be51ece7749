import Foundation
import LayabAuth
import LayabAuthJWKS

/// Turning what a person pastes or a script pipes into a bare token.
package enum TokenInput {
    /// The token `text` carries (see ``extract(_:choosing:)``).
    package static func normalize(_ text: String) -> String { extract(text).token }

    /// ``normalize(_:)``, and the whitespace it removed from inside the token (nil when none: surrounding
    /// whitespace and the space after `Bearer` do not count), which a person must be told about, since a
    /// server refuses the token as it was sent.
    package static func normalized(_ text: String) -> (token: String, removed: RemovedWhitespace?) {
        let extraction = extract(text)
        return (extraction.token, extraction.removed)
    }

    /// Accepts a bare token, `Bearer <token>` and a whole `Authorization: Bearer <token>` line, and takes
    /// the token out of the forms people paste (``Extraction``). Of the whitespace inside a token only what
    /// a line wrap adds is removed: line breaks, with the spaces and tabs at the end of a line and at the
    /// start of the next. A space inside a line stays: `hello world` is not a token with its spaces removed.
    /// - Parameter choosing: which token of several to take (`id_token` of a token endpoint response).
    package static func extract(_ text: String, choosing: String? = nil) -> Extraction {
        if isBare(text) { return Extraction(token: text) }
        if let found = Extraction.found(in: text, choosing: choosing) { return found }
        var rest = afterHeaderName(text).rest
        if rest.prefix(6).lowercased() == "bearer", rest.dropFirst(6).first?.isWhitespace == true {
            rest = rest.dropFirst(6)
        }
        return unwrapped(rest)
    }

    /// `text` without surrounding whitespace and without what line wraps added inside it.
    private static func unwrapped(_ text: Substring) -> Extraction {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }), let last = text.lastIndex(where: { !$0.isWhitespace }) else {
            return Extraction(token: "")
        }
        var token = "", removed = 0, lineBreaks = 0
        // Spaces and tabs are held until what follows them says whether a line break ends them.
        var held = "", afterLineBreak = false
        for character in text[first...last] {
            if character.isNewline {
                removed += held.unicodeScalars.count + character.unicodeScalars.count
                lineBreaks += 1
                held = ""
                afterLineBreak = true
            } else if character == " " || character == "\t" {
                if afterLineBreak { removed += 1 } else { held.append(character) }
            } else {
                token += held
                token.append(character)
                held = ""
                afterLineBreak = false
            }
        }
        return Extraction(token: token, removed: removed > 0 ? RemovedWhitespace(characters: removed, lineBreaks: lineBreaks) : nil)
    }

    /// Whitespace removed from inside a token (a pasted token wrapped across lines).
    package struct RemovedWhitespace: Equatable, Sendable {
        /// Unicode scalars removed (a CRLF counts two).
        package let characters: Int
        package let lineBreaks: Int

        /// "removed 3 whitespace characters (a line break inside the token); a server would refuse the token as sent"
        package var notice: String {
            let cause = switch lineBreaks {
            case 0: characters == 1 ? "a space" : "spaces"
            case 1: "a line break"
            default: "\(lineBreaks) line breaks"
            }
            return "removed \(characters) whitespace character\(characters == 1 ? "" : "s") (\(cause) inside the token); "
                + "a server would refuse the token as sent"
        }
    }

    /// The token `text` carries, as ``normalize(_:)`` finds it, or what is wrong when it carries none:
    /// empty input, `Bearer` with nothing after it, or a credential of another HTTP authentication scheme
    /// (`Authorization: Basic …`).
    package static func credential(_ text: String) -> Result<String, LayabAuthError> {
        if !text.isEmpty, isBare(text), text.utf8.count != 6 || text.lowercased() != "bearer" { return .success(text) }
        let (rest, isHeader) = afterHeaderName(text)
        if rest.allSatisfy(\.isWhitespace) {
            return .failure(LayabAuthError(.missingToken, isHeader ? "the Authorization header is empty: a bearer token is required" : "the token is empty"))
        }
        let scheme = rest.prefix { !$0.isWhitespace }
        let afterScheme = rest.dropFirst(scheme.count).drop { $0.isWhitespace }
        if scheme.lowercased() == "bearer", afterScheme.isEmpty {
            return .failure(LayabAuthError(.missingToken, "the credential says Bearer but carries no token"))
        }
        if !afterScheme.isEmpty, otherSchemes.contains(scheme.lowercased()) {
            return .failure(LayabAuthError(.missingToken, "the credential uses the \(scheme) scheme, not Bearer: a bearer token is required"))
        }
        return .success(normalize(text))
    }

    /// `text` without surrounding whitespace and an `Authorization:` header name (any case), and whether
    /// it had one.
    static func afterHeaderName(_ text: String) -> (rest: Substring, isHeader: Bool) {
        let rest = Substring(text).drop { $0.isWhitespace }
        guard rest.prefix(14).lowercased() == "authorization:" else { return (rest, false) }
        return (rest.dropFirst(14).drop { $0.isWhitespace }, true)
    }

    /// Whether `text` is already a bare token: printable ASCII, no space, no colon, so that neither prefix
    /// can be there. Batch mode reads 100,000 of them, and the character-by-character path costs more than
    /// verifying one.
    /// `access_token=…` without a colon is bare by the bytes: the parameter is looked for.
    private static func isBare(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            var equals = false
            for byte in bytes {
                guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: ":") else { return false }
                if byte == UInt8(ascii: "=") { equals = true }
            }
            // A JWS has no "=": the parameter is looked for only in text that has one, byte by byte.
            return !equals || !contains(bytes, tokenParameter)
        } ?? false
    }

    private static let tokenParameter = Array("_token=".utf8)

    /// Whether `bytes` hold `needle` somewhere.
    private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { start in
            needle.indices.allSatisfy { bytes[start + $0] == needle[$0] }
        }
    }

    /// HTTP authentication schemes other than Bearer in IANA's registry, lowercased: a word of these before
    /// a space is a scheme, not the start of a token broken across lines.
    static let otherSchemes: Set<String> = [
        "basic", "concealed", "digest", "dpop", "gnap", "hoba", "mutual", "negotiate", "ntlm", "oauth", "privatetoken",
        "scram-sha-1", "scram-sha-256", "vapid",
    ]

    /// Where a token argument says to read from.
    package enum Source: Equatable, Sendable {
        case literal(String)
        case standardInput
        case file(String)

        /// `-` is standard input, `@path` a file, anything else the token itself.
        package init(argument: String) {
            if argument == "-" { self = .standardInput } else if argument.hasPrefix("@") { self = .file(String(argument.dropFirst())) } else { self = .literal(argument) }
        }
    }

    /// The most a token read whole from a file or standard input may hold: 1 MiB.
    package static let maximumBytes = 1 << 20

    /// Reads one token from `source` (all of standard input or the file is one token), capped at `limit`
    /// bytes, and normalizes it.
    /// - Throws: ``InputError`` as ``readText(_:limit:)``.
    package static func read(_ source: Source, limit: Int = maximumBytes) throws -> String {
        normalize(try readText(source, limit: limit))
    }

    /// Reads the text of `source` as given: all of standard input or the file, capped at `limit` bytes,
    /// without a leading UTF-8 byte order mark.
    /// - Throws: ``InputError`` when the input cannot be read (a directory, a closed descriptor), is larger
    ///   than `limit`, or is not UTF-8 text.
    package static func readText(_ source: Source, limit: Int = maximumBytes) throws -> String {
        let name: String, handle: FileHandle
        switch source {
        case let .literal(text):
            return text
        case .standardInput:
            name = "standard input"
            handle = FileHandle.standardInput
        case let .file(path):
            name = path
            guard let opened = FileHandle(forReadingAtPath: path) else { throw InputError("cannot read \(path): no such file or not readable") }
            handle = opened
        }
        defer { if case .file = source { try? handle.close() } }
        // A read error (a directory, a closed descriptor, an I/O error) is a usage error, not an empty token.
        // `read(upToCount:)` reports it; `readData(ofLength:)` would stop the process.
        let data: Data
        do { data = try handle.read(upToCount: limit + 1) ?? Data() } catch {
            throw InputError("cannot read \(name): \(systemReason(error))")
        }
        if data.count > limit { throw InputError("\(name) holds more than \(limit) bytes") }
        do { return try text(data, droppingByteOrderMark: true) } catch {
            throw InputError("\(name) is not UTF-8 text: \(error)")
        }
    }

    /// Input bytes as text, or where they stop being UTF-8. A token is ASCII: reporting the byte as it was
    /// read, rather than the replacement character a lossy decoding would put there, names what is wrong.
    /// - Parameter droppingByteOrderMark: drop a leading UTF-8 byte order mark (EF BB BF), which some
    ///   editors write at the start of a file.
    package static func text<Bytes: Collection<UInt8>>(_ bytes: Bytes, droppingByteOrderMark: Bool) throws(InvalidUTF8) -> String {
        var bytes = bytes[...]
        var offset = 0
        if droppingByteOrderMark, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes = bytes.dropFirst(3)
            offset = 3
        }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var valid = 0
        while case let .valid(scalar) = parser.parseScalar(from: &iterator) { valid += scalar.count }
        let byte = bytes[bytes.index(bytes.startIndex, offsetBy: valid)]
        throw InvalidUTF8(offset: offset + valid, byte: byte)
    }

    /// Where input stops being UTF-8.
    package struct InvalidUTF8: Error, Equatable, CustomStringConvertible {
        /// Offset of the first byte of the invalid sequence.
        package let offset: Int
        package let byte: UInt8
        package var description: String { "byte 0x\(String(byte, radix: 16)) at offset \(offset) (a token is ASCII)" }
    }
}
