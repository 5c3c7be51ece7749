import Synchronization

/// The keys a verifier trusts: a JWK Set (RFC 7517 §5) or keys the application configured.
///
/// Unusable members of a set are kept out and reported in ``skipped`` with their reason, so one odd key
/// published by an identity provider never takes the others down.
public struct KeySet: Sendable {
    public let keys: [VerificationKey]
    public let skipped: [SkippedKey]
    /// Positions of the keys by `kid`, byte for byte: a look-alike kid never selects a key.
    private let indexByKid: [ExactString: [Int]]
    /// Tells sets apart: a copy of a set shares its identity; every set built (even from the same keys)
    /// gets a new one. Caches of verification results compare it to notice that the keys changed.
    public let identity: Identity

    /// See ``identity``.
    public struct Identity: Sendable, Hashable {
        let value: UInt64

        static let next = Atomic<UInt64>(0)

        static func make() -> Identity { Identity(value: next.wrappingAdd(1, ordering: .relaxed).newValue) }
    }

    public init(keys: [VerificationKey], skipped: [SkippedKey] = []) {
        self.keys = keys
        self.skipped = skipped
        self.identity = .make()
        var index: [ExactString: [Int]] = [:]
        for (position, key) in keys.enumerated() {
            if let kid = key.kid { index[ExactString(kid), default: []].append(position) }
        }
        self.indexByKid = index
    }

    public static let empty = KeySet(keys: [])

    public var isEmpty: Bool { keys.isEmpty }

    /// Parses a JWK Set document: `{"keys": [...]}`.
    ///
    /// Besides keys that are unusable on their own, these land in ``skipped``: keys of one type that share a
    /// `kid` but differ (which one signs would be ambiguous), exact repeats of a key, and `oct` secrets in a set
    /// that also holds asymmetric keys (a secret never belongs beside keys that may be published).
    /// - Throws: `invalid_key` when the document itself is unusable (not JSON, no `keys` array). Individual
    ///   bad keys do not throw: they land in ``skipped``.
    public init(jwksJSON bytes: [UInt8], origin: VerificationKey.Origin = .remote, policy: KeyPolicy = .default) throws(LayabAuthError) {
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch { throw LayabAuthError(.invalidKey, "the JWK Set is not valid JSON: \(error)") }
        guard let object = document.objectValue else {
            throw LayabAuthError(.invalidKey, "a JWK Set must be a JSON object with a \"keys\" array, found \(document.typeName)")
        }
        guard let keysValue = object["keys"] else {
            if object["kty"] != nil {
                // A single JWK where a set was expected: accept it as a set of one.
                self.init(members: [.object(object)], origin: origin, policy: policy)
                return
            }
            throw LayabAuthError(.invalidKey, "the JWK Set has no \"keys\" member (members: \(object.names.prefix(8).joined(separator: ", ")))")
        }
        guard let members = keysValue.arrayValue else { throw LayabAuthError(.invalidKey, "\"keys\" is \(keysValue.typeName), not an array") }
        self.init(members: members, origin: origin, policy: policy)
    }

    public init(jwksJSON text: String, origin: VerificationKey.Origin = .remote, policy: KeyPolicy = .default) throws(LayabAuthError) {
        try self.init(jwksJSON: Array(text.utf8), origin: origin, policy: policy)
    }

    private init(members: [JSONValue], origin: VerificationKey.Origin, policy: KeyPolicy) {
        var imported: [(index: Int, key: VerificationKey)] = []
        var skipped: [SkippedKey] = []
        // Members meant to verify signatures, by kid: a kid must name one key.
        var contenders: [ExactString: [Contender]] = [:]
        for (index, member) in members.enumerated() {
            guard let jwk = member.objectValue else {
                skipped.append(SkippedKey(index: index, kid: nil, keyType: nil, reason: "not a JSON object but \(member.typeName)"))
                continue
            }
            let kid = jwk["kid"]?.stringValue
            let kty = jwk["kty"]?.stringValue
            if let use = jwk["use"]?.stringValue, use != "sig" {
                skipped.append(SkippedKey(index: index, kid: kid, keyType: kty, reason: "use is \"\(use)\", not \"sig\""))
                continue
            }
            if kty == "oct", origin == .remote, !policy.allowRemoteHMACKeys {
                skipped.append(SkippedKey(index: index, kid: kid, keyType: kty,
                                          reason: "symmetric (oct) keys from a remote key set are never trusted for HMAC"))
                continue
            }
            do {
                let key = try VerificationKey(jwk: jwk, origin: origin, policy: policy)
                imported.append((index, key))
                if let kid { contenders[ExactString(kid), default: []].append(Contender(index: index, keyType: kty, key: key)) }
            } catch {
                let prefix = kid.map { "key \"\($0)\": " } ?? ""
                let reason = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
                skipped.append(SkippedKey(index: index, kid: kid, keyType: kty, reason: reason))
                if let kid { contenders[ExactString(kid), default: []].append(Contender(index: index, keyType: kty, key: nil)) }
            }
        }

        var refused = Self.sharedKids(contenders)
        let kept = imported.filter { refused[$0.index] == nil }
        if kept.contains(where: { $0.key.keyType == .oct }), kept.contains(where: { $0.key.keyType != .oct }) {
            for (index, key) in kept where key.keyType == .oct {
                refused[index] = "the set mixes symmetric (oct) secrets with asymmetric keys: a secret belongs in a set of its own, "
                    + "never beside public keys that may be published"
            }
        }
        for (index, key) in imported {
            if let reason = refused[index] { skipped.append(SkippedKey(index: index, kid: key.kid, keyType: key.keyType.rawValue, reason: reason)) }
        }
        self.init(keys: imported.filter { refused[$0.index] == nil }.map(\.key), skipped: skipped.sorted { $0.index < $1.index })
    }

    /// A member of a JWK Set that claims a kid for signature verification; `key` is nil when it could not be imported.
    private struct Contender {
        let index: Int
        let keyType: String?
        let key: VerificationKey?
    }

    /// Members to refuse because their kid names more than one key, with the reason.
    ///
    /// RFC 7517 §4.5 lets keys of different types share a kid (the token's alg then picks the type), so only
    /// members of one type are compared. Different keys of one type under one kid are all refused: which one
    /// a token means would be a guess. A member that could not be imported counts as a different key. The
    /// same JWK repeated is kept once; the same key with different metadata (say, two `alg` values) is kept.
    private static func sharedKids(_ contenders: [ExactString: [Contender]]) -> [Int: String] {
        var refused: [Int: String] = [:]
        for (kid, members) in contenders where members.count > 1 {
            var byType: [String: [Contender]] = [:]
            for member in members { byType[member.keyType ?? "?", default: []].append(member) }
            for (keyType, same) in byType where same.count > 1 {
                let keys = same.compactMap(\.key)
                if keys.count == same.count, let first = keys.first, keys.allSatisfy({ $0.thumbprint == first.thumbprint }) {
                    for (position, member) in same.enumerated() {
                        if let original = same[..<position].first(where: { $0.key?.publicJWK == member.key?.publicJWK }) {
                            refused[member.index] = "repeats key #\(original.index) (same kid, same key)"
                        }
                    }
                } else {
                    let list = same.map { "#\($0.index)" }.joined(separator: ", ")
                    for member in same where member.key != nil {
                        refused[member.index] = "kid \"\(kid)\" is shared by keys \(list) of type \(keyType): which one signs a token would be ambiguous (RFC 7517 §4.5)"
                    }
                }
            }
        }
        return refused
    }

    /// The key whose `kid` equals `kid`, when exactly one has it.
    func onlyKey(withKid kid: String) -> VerificationKey? {
        guard let positions = indexByKid[ExactString(kid)], positions.count == 1 else { return nil }
        return keys[positions[0]]
    }

    /// Keys whose `kid` equals `kid`.
    public func keys(withKid kid: String) -> [VerificationKey] {
        indexByKid[ExactString(kid)]?.map { keys[$0] } ?? []
    }

    /// The JWK Set document of the public keys (secrets are never written).
    public var publicJWKS: JSONValue {
        ["keys": .array(keys.filter { $0.keyType != .oct }.map { .object($0.publicJWK) })]
    }

    /// This set with `other`'s keys added after its own.
    public func merging(_ other: KeySet) -> KeySet {
        KeySet(keys: keys + other.keys, skipped: skipped + other.skipped)
    }
}
