/// The keys a verifier trusts: a JWK Set (RFC 7517 §5) or keys the application configured.
///
/// Unusable members of a set are kept out and reported in ``skipped`` with their reason, so one odd key
/// published by an identity provider never takes the others down.
public struct KeySet: Sendable {
    public let keys: [VerificationKey]
    public let skipped: [SkippedKey]
    private let indexByKid: [String: [Int]]

    public init(keys: [VerificationKey], skipped: [SkippedKey] = []) {
        self.keys = keys
        self.skipped = skipped
        var index: [String: [Int]] = [:]
        for (position, key) in keys.enumerated() {
            if let kid = key.kid { index[kid, default: []].append(position) }
        }
        self.indexByKid = index
    }

    public static let empty = KeySet(keys: [])

    public var isEmpty: Bool { keys.isEmpty }

    /// Parses a JWK Set document: `{"keys": [...]}`.
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
        var keys: [VerificationKey] = []
        var skipped: [SkippedKey] = []
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
                keys.append(try VerificationKey(jwk: jwk, origin: origin, policy: policy))
            } catch {
                let prefix = kid.map { "key \"\($0)\": " } ?? ""
                let reason = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
                skipped.append(SkippedKey(index: index, kid: kid, keyType: kty, reason: reason))
            }
        }
        self.init(keys: keys, skipped: skipped)
    }

    /// Keys whose `kid` equals `kid`.
    public func keys(withKid kid: String) -> [VerificationKey] {
        indexByKid[kid]?.map { keys[$0] } ?? []
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
