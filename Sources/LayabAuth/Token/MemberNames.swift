/// A fixed set of JSON member names that LayabAuth acts on (the registered claims, the JOSE header members),
/// found byte for byte: RFC 8259 §8.3 compares member names code unit by code unit, and Swift's `==` would
/// also match canonically equivalent spellings.
///
/// A claims set or header is read once per token and its registered members are then looked up many times, so
/// ``Claims`` and ``JOSEHeader`` find them all in one pass when they are made, through ``name(of:)``.
struct MemberNames<Name: CaseIterable & Sendable>: Sendable {
    /// For each byte length, the names that long: their bytes one after another, and the names in that order.
    /// A member name is compared only with the names as long as it is.
    private let byLength: [(bytes: [UInt8], names: [Name])]

    /// - Parameter spelling: each name as a JSON member name.
    init(_ spelling: (Name) -> String) {
        let names = Name.allCases.map { (bytes: Array(spelling($0).utf8), name: $0) }
        let longest = names.map(\.bytes.count).max() ?? 0
        byLength = (0...longest).map { length in
            let named = names.filter { $0.bytes.count == length }
            return (named.flatMap(\.bytes), named.map(\.name))
        }
    }

    /// The name with exactly the UTF-8 bytes of `member`, if any.
    func name(of member: String) -> Name? {
        let length = member.utf8.count
        guard length > 0, length < byLength.count else { return nil }
        let candidates = byLength[length]
        if candidates.names.isEmpty { return nil }
        let found = member.utf8.withContiguousStorageIfAvailable { Self.position(of: $0, in: candidates.bytes) }
            ?? Self.position(of: Array(member.utf8), in: candidates.bytes)
        return found.map { candidates.names[$0] }
    }

    /// Which of the names in `names` (all as long as `member`, one after another) has `member`'s bytes.
    private static func position<Bytes: RandomAccessCollection<UInt8>>(of member: Bytes, in names: [UInt8]) -> Int? where Bytes.Index == Int {
        let length = member.count
        var start = 0
        while start < names.count {
            var offset = 0
            while offset < length, names[start + offset] == member[member.startIndex + offset] { offset += 1 }
            if offset == length { return start / length }
            start += length
        }
        return nil
    }
}
