/// Where the members named in a ``KnownNames`` table sit in a JSON object's member list, by the names' indices:
/// found once, when the object is read, so that ``Claims`` and ``JOSEHeader`` reach a registered member without
/// a search. A fixed-size array: keeping it allocates nothing.
package struct MemberPositions: Sendable {
    /// -1: absent. -2: present at a position beyond `Int16` (an object of over 32,767 members, which only a
    /// token shown for display can have), to be searched for by name.
    private var storage = InlineArray<16, Int16>(repeating: -1)

    package init() {}

    /// The positions of the members of `object` named in `known`: what the parser finds as it reads, found in
    /// an object made another way.
    init(of object: JSONObject, in known: KnownNames) {
        for position in object.members.indices {
            if let index = known.index(of: object.members[position].name) { record(index, at: position) }
        }
    }

    /// The value of the member that the name at `index`, spelled `name`, found in `object`.
    @inline(__always)
    func value(of index: Int, named name: @autoclosure () -> String, in object: JSONObject) -> JSONValue? {
        switch place(of: index) {
        case .absent: nil as JSONValue?
        case let .at(position): object.members[position].value
        case .farther: object[name()]
        }
    }

    /// Where a known member was found.
    package enum Place: Equatable {
        case absent
        case at(Int)
        /// Present, too far into the object to be kept: search for it by name.
        case farther
    }

    /// Where the name at `index` of the table sits.
    @inline(__always)
    package func place(of index: Int) -> Place {
        guard index >= 0, index < storage.count else { return .farther }
        switch storage[index] {
        case -1: return .absent
        case -2: return .farther
        case let position: return .at(Int(position))
        }
    }

    /// Whether the name at `index` was found.
    @inline(__always)
    func contains(_ index: Int) -> Bool { place(of: index) != .absent }

    /// Records that the name at `index` of the table sits at `position` of the object.
    @inline(__always)
    mutating func record(_ index: Int, at position: Int) {
        guard index >= 0, index < storage.count else { return }
        storage[index] = position < Int(Int16.max) ? Int16(position) : -2
    }
}
