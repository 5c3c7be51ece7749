import Foundation
import LayabAuth

/// Turning what a person pastes or a script pipes into a bare token.
public enum TokenInput {
    /// Accepts a bare token, `Bearer <token>` and a whole `Authorization: Bearer <token>` line;
    /// surrounding whitespace and line breaks or spaces inside a pasted token are dropped.
    public static func normalize(_ text: String) -> String {
        // A bare token (printable ASCII, no space, no colon: neither prefix can be there) is already normal;
        // batch mode reads 100,000 of them, and the character-by-character path below costs more than
        // verifying one.
        let isBare = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }
        }
        if isBare == true { return text }
        var rest = Substring(text).drop { $0.isWhitespace }
        if rest.lowercased().hasPrefix("authorization:") {
            rest = rest.dropFirst("authorization:".count).drop { $0.isWhitespace }
        }
        if rest.lowercased().hasPrefix("bearer"), rest.dropFirst(6).first?.isWhitespace == true {
            rest = rest.dropFirst(6)
        }
        return String(rest.filter { !$0.isWhitespace })
    }

    /// Where a token argument says to read from.
    public enum Source: Equatable, Sendable {
        case literal(String)
        case standardInput
        case file(String)

        /// `-` is standard input, `@path` a file, anything else the token itself.
        public init(argument: String) {
            if argument == "-" { self = .standardInput } else if argument.hasPrefix("@") { self = .file(String(argument.dropFirst())) } else { self = .literal(argument) }
        }
    }

    /// The most a token read whole from a file or standard input may hold: 1 MiB.
    public static let maximumBytes = 1 << 20

    /// Reads one token from `source` (all of standard input or the file is one token), capped at `limit` bytes.
    /// - Throws: ``InputError`` when the file cannot be read or the input is larger than `limit`.
    public static func read(_ source: Source, limit: Int = maximumBytes) throws -> String {
        switch source {
        case let .literal(text):
            return normalize(text)
        case .standardInput:
            let data = FileHandle.standardInput.readData(ofLength: limit + 1)
            if data.count > limit { throw InputError("standard input holds more than \(limit) bytes") }
            return normalize(String(decoding: data, as: UTF8.self))
        case let .file(path):
            guard let handle = FileHandle(forReadingAtPath: path) else { throw InputError("cannot read \(path): no such file or not readable") }
            defer { try? handle.close() }
            // A read error (a directory, an I/O error) is a usage error, not an empty token.
            let data: Data
            do { data = try handle.read(upToCount: limit + 1) ?? Data() } catch {
                throw InputError("cannot read \(path): \(Self.reason(error))")
            }
            if data.count > limit { throw InputError("\(path) holds more than \(limit) bytes") }
            return normalize(String(decoding: data, as: UTF8.self))
        }
    }

    /// The system's words for a failed read ("Is a directory"), rather than Foundation's error domain and number.
    private static func reason(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        return error.localizedDescription
    }
}

/// A problem with the command line's input (not with a token): exit status 2.
public struct InputError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
