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

    /// The name at `index` of ``known``.
    func name(at index: Int) -> Name { names[index] }
}

/// Up to 16 short names (at most seven bytes each, as every JOSE and JWT registered name is), each held as one
/// word: its bytes and its length. Finding a name is a comparison of words, and the JSON parser finds the
/// names of a document's top-level members this way before it makes a `String` of them (``JSONParser``).
package struct KnownNames: Sendable {
    /// The most names a table holds: positions of found names fit a fixed-size array of this many.
    package static let capacity = 16
    /// The longest name a table holds, in bytes.
    static let maximumLength = 7

    private let words: [UInt64]
    /// The names as written, by index.
    let spellings: [String]
    /// Whether a name is equal under Swift's `==` (canonical equivalence) only to its own bytes: true when every
    /// name is lowercase ASCII letters and digits, which no other Unicode text normalises to. The parser then
    /// needs no further duplicate check for a known name than "was it already found".
    let namesAreCanonicallyUnique: Bool

    /// - Parameter spellings: at most ``capacity`` distinct names of 1 to ``maximumLength`` bytes; a table made
    ///   of other names finds nothing (it is built from the package's own constants, never from input).
    init(_ spellings: [String]) {
        let valid = spellings.count <= Self.capacity && spellings.allSatisfy { (1...Self.maximumLength).contains($0.utf8.count) }
        self.spellings = valid ? spellings : []
        words = valid ? spellings.map { Array($0.utf8).withUnsafeBufferPointer { Self.word($0) ?? 0 } } : []
        namesAreCanonicallyUnique = spellings.allSatisfy { $0.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) } }
    }

    /// The word of a name: its bytes in the low seven bytes, its length in the high one. Nil when longer than
    /// ``maximumLength`` or empty.
    @inline(__always)
    static func word(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        let count = bytes.count
        guard count > 0, count <= maximumLength else { return nil }
        var word = UInt64(count) << 56
        for offset in 0..<count { word |= UInt64(bytes[offset]) << (8 * UInt64(offset)) }
        return word
    }

    /// The index of the name whose bytes are exactly `bytes`.
    @inline(__always)
    func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let word = Self.word(bytes) else { return nil }
        return words.firstIndex(of: word)
    }

    /// The index of the name with exactly the UTF-8 bytes of `member`.
    func index(of member: String) -> Int? {
        guard member.utf8.count <= Self.maximumLength else { return nil }
        var member = member
        return member.withUTF8 { index(of: $0) }
    }
}
