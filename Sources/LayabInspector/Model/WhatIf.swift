import Foundation
import LayabAuth

/// What-if editing: tokens re-signed in the inspector with a LOCAL key, never the provider's.
///
/// The local keys are kept apart from the key source's (``InspectorState/keys``): a new source replaces
/// those, never these, and each local key has a kid of its own (`local-<alg>-<thumbprint start>`), so that no
/// provider key is looked up for a token made here.
package struct WhatIf: Sendable {
    /// The key given with `--signing-key`, used for every algorithm when set.
    package private(set) var givenKey: SigningKey?
    /// Keys generated on demand, one per algorithm.
    package private(set) var generatedKeys: [SigningKey] = []
    /// The token shown before the first what-if edit: undo (`u`) puts it back.
    package var original: String?
    /// Every token made here (compact form), so that a token stepped back to is still said to be local.
    package private(set) var madeLocally: Set<String> = []

    package init(givenKey: SigningKey? = nil) {
        self.givenKey = givenKey
    }

    /// The public keys of every local key, in the order they were made.
    package var verificationKeys: [VerificationKey] {
        (givenKey.map { [$0] } ?? []).map(\.verificationKey) + generatedKeys.map(\.verificationKey)
    }

    /// Whether `key` is one of the local keys (by thumbprint, not kid).
    package func isLocal(_ key: VerificationKey) -> Bool {
        verificationKeys.contains { $0.thumbprint == key.thumbprint }
    }

    package func isMadeLocally(_ token: String) -> Bool { madeLocally.contains(token) }

    /// The algorithm a generated key gets for a token signed with `headerAlgorithm`: the same, when it is
    /// asymmetric (a generated HMAC secret would prove nothing a server could check); ES256 otherwise.
    package static func generatedAlgorithm(for headerAlgorithm: String?) -> Algorithm {
        guard let name = headerAlgorithm, let algorithm = Algorithm.named(name), algorithm.family != .hmac else { return .es256 }
        return algorithm
    }

    /// Signs `claimsText` (a JSON object, kept byte for byte) under `headerText` (a JSON object whose
    /// `alg` and `kid` become the local key's), generating a key of the header's algorithm family when none
    /// was given.
    /// - Returns: the token, the local key's kid, and the header members that were replaced by the local key's.
    /// - Throws: ``WhatIfError`` with the parser's reason or the signer's.
    package mutating func resign(claimsText: String, headerText: String) throws(WhatIfError) -> (token: String, kid: String?, replaced: [String]) {
        _ = try Self.object(claimsText, what: "claims")
        var header = try Self.object(headerText, what: "header")
        let key = try signingKey(for: header["alg"]?.stringValue)
        var replaced: [String] = []
        if header["alg"] != .string(key.algorithm.rawValue) { replaced.append("alg") }
        header["alg"] = .string(key.algorithm.rawValue)
        if let kid = key.kid {
            if header["kid"] != .string(kid) { replaced.append("kid") }
            header["kid"] = .string(kid)
        }
        let payload = Array(claimsText.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        let token: String
        do { token = try key.sign(header: header, payload: payload) } catch { throw WhatIfError("signing failed: \(error.message)") }
        madeLocally.insert(token)
        return (token, key.kid, replaced)
    }

    private mutating func signingKey(for headerAlgorithm: String?) throws(WhatIfError) -> SigningKey {
        if let givenKey { return givenKey }
        let algorithm = Self.generatedAlgorithm(for: headerAlgorithm)
        if let existing = generatedKeys.first(where: { $0.algorithm == algorithm }) { return existing }
        do {
            let key = try Self.withLocalKid(SigningKey.generate(algorithm))
            generatedKeys.append(key)
            return key
        } catch {
            throw WhatIfError("no local \(algorithm) key could be generated: \(error.message)")
        }
    }

    /// `key` under a kid of its own, `local-` and the start of its thumbprint: no provider publishes that
    /// kid for another key by chance (and if one did, a verifier refuses the ambiguity rather than pick either).
    static func withLocalKid(_ key: SigningKey) throws(LayabAuthError) -> SigningKey {
        guard let pem = key.privateKeyPEM else { throw LayabAuthError(.invalidKey, "an HMAC secret is no what-if signing key") }
        return try SigningKey(pem: pem, algorithm: key.algorithm, kid: "local-\(key.algorithm.rawValue)-" + key.verificationKey.thumbprint.prefix(8))
    }

    /// `text` as a JSON object, or the parser's reason.
    static func object(_ text: String, what: String) throws(WhatIfError) -> JSONObject {
        let value: JSONValue
        do { value = try JSONValue(parsing: text) } catch { throw WhatIfError("invalid \(what) JSON: \(error.description)") }
        guard let object = value.objectValue else { throw WhatIfError("the \(what) must be a JSON object ({…})") }
        return object
    }
}

/// Why a what-if edit was refused; shown beside the text, which stays in the editor.
package struct WhatIfError: Error, Sendable, Equatable, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
