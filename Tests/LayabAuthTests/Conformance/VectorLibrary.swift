import Foundation
import LayabAuth
import Testing

/// Every vector of the shared folder, loaded once per test process.
struct VectorLibrary: Sendable {
    var vectors: [ConformanceVector] = []
    /// Wycheproof key groups, to check that their JWK, DER and PEM encodings import as the same key.
    var keyEncodings: [KeyEncodingCase] = []
    /// RFC 7517 and cookbook JWK documents with the import result each must have.
    var keyDocuments: [KeyDocumentCase] = []
    /// Per file: how many vectors the file declares.
    var declared: [String: Int] = [:]
    /// Per file: vectors that do not apply to JWS, and why.
    var notApplicable: [String: (count: Int, reason: String)] = [:]
    /// Files that could not be read or had an unexpected shape. Always a failure.
    var problems: [String] = []

    static let shared: VectorLibrary = {
        var library = VectorLibrary()
        guard TestVectorFolder.isAvailable else { return library }
        WycheproofVectors.load(into: &library)
        RFC7515Vectors.load(into: &library)
        JOSECookbookVectors.load(into: &library)
        return library
    }()

    func vectors(_ family: VectorFamily) -> [ConformanceVector] { vectors.filter { $0.family == family } }

    /// Files in the order vectors were loaded.
    var files: [String] {
        var seen = Set<String>()
        return (vectors.map(\.file) + notApplicable.keys.sorted()).filter { seen.insert($0).inserted }
    }

    mutating func skip(_ count: Int, in file: String, because reason: String) {
        guard count > 0 else { return }
        let previous = notApplicable[file]?.count ?? 0
        notApplicable[file] = (previous + count, reason)
    }

    /// Runs `body`, turning a thrown error into a recorded problem for `file`.
    mutating func reading(_ file: String, _ body: (inout VectorLibrary) throws -> Void) {
        do { try body(&self) } catch { problems.append("\(file): \(error)") }
    }
}

/// One Wycheproof key group given in several encodings.
struct KeyEncodingCase: Sendable, CustomTestStringConvertible {
    let file: String
    let group: Int
    let firstTcId: Int
    let jwk: String?
    let der: [UInt8]
    let pem: String

    var testDescription: String { "\(file) group \(group) (tcId \(firstTcId)…)" }
}

/// A JWK or JWK Set document and what importing it must give.
struct KeyDocumentCase: Sendable, CustomTestStringConvertible {
    let file: String
    let text: String
    let origin: VerificationKey.Origin
    /// kids (or "-" for a key without one) of the keys that must load, in order.
    let loaded: [String]
    /// Words each skipped key's reason must contain, in order.
    let skipped: [String]
    let comment: String

    var testDescription: String { "\(file) (\(origin.rawValue)): \(comment)" }
}

// MARK: Reading JSON

/// Typed access into `JSONSerialization` output, throwing a precise error for the wrong shape.
struct JSONNode {
    let value: Any?
    let path: String

    init(_ value: Any?, path: String = "$") {
        self.value = value
        self.path = path
    }

    subscript(name: String) -> JSONNode { JSONNode((value as? [String: Any])?[name], path: "\(path).\(name)") }

    var exists: Bool { value != nil && !(value is NSNull) }

    func string() throws -> String {
        guard let string = value as? String else { throw VectorLoadingError("\(path) is not a string") }
        return string
    }

    func int() throws -> Int {
        if let number = value as? Int { return number }
        if let number = value as? NSNumber { return number.intValue }
        throw VectorLoadingError("\(path) is not a number")
    }

    func array() throws -> [JSONNode] {
        guard let array = value as? [Any] else { throw VectorLoadingError("\(path) is not an array") }
        return array.enumerated().map { JSONNode($1, path: "\(path)[\($0)]") }
    }

    func strings() throws -> [String] { try array().map { try $0.string() } }

    func hex() throws -> [UInt8] {
        let text = try string()
        guard let bytes = Hex.decode(text) else { throw VectorLoadingError("\(path) is not hex") }
        return bytes
    }

    /// The object or array as JSON text, sorted keys, for the library's own parser.
    func jsonText(removing members: Set<String> = []) throws -> String {
        guard let value else { throw VectorLoadingError("\(path) is missing") }
        let data = try JSONSerialization.data(withJSONObject: Self.removing(members, from: value), options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// Private JWK members, removed so that verification sees only "the public part" of a key.
    static let privateKeyMembers: Set<String> = ["d", "p", "q", "dp", "dq", "qi", "oth"]

    private static func removing(_ members: Set<String>, from value: Any) -> Any {
        if let object = value as? [String: Any] {
            var copy: [String: Any] = [:]
            for (name, member) in object where !members.contains(name) { copy[name] = removing(members, from: member) }
            return copy
        }
        if let array = value as? [Any] { return array.map { removing(members, from: $0) } }
        return value
    }
}

enum Hex {
    static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
