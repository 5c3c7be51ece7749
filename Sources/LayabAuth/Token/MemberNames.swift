/// A fixed set of JSON member names that LayabAuth acts on (the registered claims, the JOSE header members,
/// the algorithm names), found byte for byte: RFC 8259 §8.3 compares member names code unit by code unit, and
/// Swift's `==` would also match canonically equivalent spellings.
///
/// A claims set or header is read once per token and its registered members are then looked up many times:
/// the parser finds them while it reads the document (``KnownNames``), and ``Claims`` and ``JOSEHeader`` keep
/// where they sit.
struct MemberNames<Name: CaseIterable & Sendable>: Sendable {
    /// The spellings, in `Name.allCases` order: the index of a spelling is the index of its name.
    let known: KnownNames
    private let names: [Name]

    /// - Parameter spelling: each name as a JSON member name.
    init(_ spelling: (Name) -> String) {
        names = Array(Name.allCases)
        known = KnownNames(names.map(spelling))
    }

    /// The name with exactly the UTF-8 bytes of `member`, if any.
    func name(of member: String) -> Name? { known.index(of: member).map { names[$0] } }
}

/// Up to 16 names, found byte for byte: a name is compared only with the names as long as it is. The JSON parser
/// finds the names of a document's top-level members this way before it makes a `String` of them (``JSONParser``).
/// A class: the parser holds one reference to it, not its five arrays.
package final class KnownNames: Sendable {
    /// The most names a table holds: positions of found names fit a fixed-size array of this many.
    package static let capacity = 16

    /// Every name's bytes, one after another, the names sorted by length.
    private let bytes: [UInt8]
    /// For each name in that order, where its bytes start and its index in ``spellings``.
    private let starts: [Int]
    private let indices: [Int]
    /// For each length, the first name (in that order) that long; the names of length `n` are
    /// `firstOfLength[n]..<firstOfLength[n + 1]`.
    private let firstOfLength: [Int]
    /// The names as written, by index.
    let spellings: [String]
    /// The length in bytes of the longest name.
    let maximumLength: Int
    /// Whether a name is equal under Swift's `==` (canonical equivalence) only to its own bytes: true when every
    /// name is lowercase ASCII letters and digits, which no other Unicode text normalises to. The parser then
    /// needs no further duplicate check for a known name than "was it already found".
    let namesAreCanonicallyUnique: Bool

    /// - Parameter spellings: at most ``capacity`` distinct, non-empty names; a table of more finds nothing (it
    ///   is built from the package's own constants, never from input).
    init(_ spellings: [String]) {
        let valid = spellings.count <= Self.capacity && spellings.allSatisfy { !$0.isEmpty }
        self.spellings = valid ? spellings : []
        let sorted = self.spellings.enumerated().map { (bytes: Array($0.element.utf8), index: $0.offset) }.sorted { $0.bytes.count < $1.bytes.count }
        maximumLength = sorted.last?.bytes.count ?? 0
        bytes = sorted.flatMap(\.bytes)
        starts = sorted.indices.map { position in sorted[..<position].reduce(0) { $0 + $1.bytes.count } }
        indices = sorted.map(\.index)
        firstOfLength = (0...maximumLength + 1).map { length in sorted.firstIndex { $0.bytes.count >= length } ?? sorted.count }
        namesAreCanonicallyUnique = spellings.allSatisfy { $0.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) } }
    }

    /// The index of the name whose bytes are exactly `member`.
    func index(of member: UnsafeBufferPointer<UInt8>) -> Int? {
        let length = member.count
        guard length > 0, length <= maximumLength else { return nil }
        var candidate = firstOfLength[length]
        let end = firstOfLength[length + 1]
        while candidate < end {
            let start = starts[candidate]
            var offset = 0
            while offset < length, bytes[start + offset] == member[offset] { offset += 1 }
            if offset == length { return indices[candidate] }
            candidate += 1
        }
        return nil
    }

    /// The index of the name with exactly the UTF-8 bytes of `member`.
    func index(of member: String) -> Int? {
        guard member.utf8.count <= maximumLength else { return nil }
        var member = member
        return member.withUTF8 { index(of: $0) }
    }
}
