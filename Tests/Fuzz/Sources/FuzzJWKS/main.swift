import FuzzChecks
import LayabAuth

// Top-level code never runs here: libFuzzer owns main.

/// The JWK Set and JWK parsers: every member is either a key or a skipped entry with a reason, the rules on
/// shared kids and secrets hold, and what a set publishes imports back to the same keys.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJWKS(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    for origin in [VerificationKey.Origin.remote, .configured] {
        do {
            let set = try KeySet(jwksJSON: bytes, origin: origin)
            checkKeySet(set, document: bytes, origin: origin)
        } catch {
            checkError(error, allowed: [.invalidKey], "KeySet(\(origin))")
        }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    do {
        let key = try VerificationKey(jwkJSON: text)
        checkKey(key, "VerificationKey(jwkJSON:)")
        if key.keyType != .oct {
            let again = try? VerificationKey(jwk: key.publicJWK)
            require(again?.thumbprint == key.thumbprint, "the public JWK of \(key) does not import back to the same key")
        }
    } catch {
        checkError(error, allowed: [.invalidKey], "VerificationKey(jwkJSON:)")
    }
    return 0
}

func checkKey(_ key: VerificationKey, _ context: String) {
    require(key.thumbprint.utf8.count == 43, "\(context): thumbprint \(key.thumbprint) is not a base64url SHA-256")
    for secret in ["k", "d", "p", "q", "dp", "dq", "qi", "oth"] {
        require(key.publicJWK[secret] == nil, "\(context): the public JWK of \(key) carries \"\(secret)\"")
    }
    require(key.publicJWK["kty"]?.stringValue == key.keyType.rawValue, "\(context): publicJWK kty differs from \(key.keyType)")
    require(key.kid == key.publicJWK["kid"]?.stringValue, "\(context): publicJWK kid differs")
    require((key.pem == nil) == (key.keyType == .oct), "\(context): PEM presence does not match the key type")
    if let algorithm = key.algorithm.flatMap(Algorithm.init(rawValue:)) {
        // A key is refused at import when its own alg does not fit it.
        let reason = key.incompatibility(with: algorithm, allowRemoteHMAC: true)
        require(reason == nil || reason?.contains("key_ops") == true || reason?.contains("use") == true,
                "\(context): imported \(key) whose alg does not fit: \(reason ?? "")")
    }
    checkJSONRoundTrip(.object(key.publicJWK), context)
}

func checkKeySet(_ set: KeySet, document: [UInt8], origin: VerificationKey.Origin) {
    let context = "KeySet(\(origin))"
    // Count the members independently: a set's "keys" array, or one JWK accepted as a set of one.
    guard case let .object(object)? = try? JSONValue(parsing: document) else {
        require(false, "\(context): accepted a document that is not a JSON object")
        return
    }
    let memberCount = object["keys"]?.arrayValue?.count ?? (object["kty"] != nil && object["keys"] == nil ? 1 : -1)
    require(memberCount >= 0, "\(context): accepted a document without a keys array")
    require(set.keys.count + set.skipped.count == memberCount,
            "\(context): \(memberCount) members became \(set.keys.count) keys and \(set.skipped.count) skipped")
    let indices = set.skipped.map(\.index)
    require(indices == indices.sorted() && Set(indices).count == indices.count && indices.allSatisfy { $0 >= 0 && $0 < memberCount },
            "\(context): skipped indices \(indices)")
    for key in set.keys {
        checkKey(key, context)
        require(key.origin == origin, "\(context): key \(key) has origin \(key.origin)")
        require(key.use == nil || key.use == "sig", "\(context): kept a key for use \(key.use ?? "")")
    }
    if origin == .remote { require(!set.keys.contains { $0.keyType == .oct }, "\(context): kept a remote HMAC secret") }
    require(!(set.keys.contains { $0.keyType == .oct } && set.keys.contains { $0.keyType != .oct }),
            "\(context): kept secrets beside public keys")
    // A kid names one key per key type (the same key under several alg values is still one key).
    var byKid: [String: String] = [:]
    for key in set.keys {
        guard let kid = key.kid else { continue }
        let slot = kid + "\u{0}" + key.keyType.rawValue
        if let thumbprint = byKid[slot] { require(thumbprint == key.thumbprint, "\(context): kid \(kid) names two \(key.keyType) keys") }
        byKid[slot] = key.thumbprint
    }
    for key in set.keys {
        guard let kid = key.kid else { continue }
        require(set.keys(withKid: kid).contains { $0.thumbprint == key.thumbprint }, "\(context): keys(withKid:) misses \(key)")
    }
    // What the set publishes imports back, key for key.
    let published = set.publicJWKS
    checkJSONRoundTrip(published, "\(context) publicJWKS")
    do {
        let again = try KeySet(jwksJSON: published.jsonText, origin: origin)
        let expected = set.keys.filter { $0.keyType != .oct }.map(\.thumbprint)
        require(again.keys.map(\.thumbprint) == expected && again.skipped.isEmpty,
                "\(context): publicJWKS re-imports as \(again.keys.count) keys (\(again.skipped.map(\.reason))), expected \(expected.count)")
    } catch {
        require(false, "\(context): publicJWKS does not re-import: \(error)")
    }
}
