#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed set of JSON member names that LayabAuth acts on (the registered claims, the JOSE header members),
/// found byte for byte: RFC 8259 §8.3 compares member names code unit by code unit, and Swift's `==` would
/// also match canonically equivalent spellings.
///
/// A claims set or header is read once per token and its registered members are then looked up many times, so
/// ``Claims`` and ``JOSEHeader`` find them all in one pass when they are made, through ``name(of:)``.
struct MemberNames<Name: CaseIterable & Sendable>: Sendable {
    /// The names of each byte length, with their UTF-8 bytes: a member name is compared only with names as long.
    private let byLength: [[(bytes: [UInt8], name: Name)]]

    /// - Parameter spelling: each name as a JSON member name.
    init(_ spelling: (Name) -> String) {
        let names = Name.allCases.map { (bytes: Array(spelling($0).utf8), name: $0) }
        let longest = names.map(\.bytes.count).max() ?? 0
        byLength = (0...longest).map { length in names.filter { $0.bytes.count == length } }
    }

    /// The name with exactly the UTF-8 bytes of `member`, if any.
    func name(of member: String) -> Name? {
        let length = member.utf8.count
        guard length < byLength.count else { return nil }
        let candidates = byLength[length]
        if candidates.isEmpty { return nil }
        return member.utf8.withContiguousStorageIfAvailable { bytes in find(bytes, in: candidates) }
            ?? find(Array(member.utf8), in: candidates)
    }

    private func find<Bytes: Collection<UInt8>>(_ bytes: Bytes, in candidates: [(bytes: [UInt8], name: Name)]) -> Name? {
        candidates.first { $0.bytes.elementsEqual(bytes) }?.name
    }
}
