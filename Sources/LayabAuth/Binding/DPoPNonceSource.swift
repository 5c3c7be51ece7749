/// Where a server's DPoP nonces come from (RFC 9449 §8): it hands out the nonce clients must put in their
/// proofs, and judges the nonce a proof carries.
public protocol DPoPNonceSource: Sendable {
    /// The nonce to send now in `DPoP-Nonce`.
    func current(now: Double) -> String
    /// Whether a proof made with `nonce` is accepted at `now`.
    func accepts(_ nonce: String, now: Double) -> Bool
}

/// Nonces that need no shared state: HMAC-SHA256 of a server secret and the current time slot, so that every
/// instance holding the secret hands out and accepts the same nonces. A nonce is accepted during its slot and
/// the next one (a client that just received it is not refused at a slot boundary), so it lives between one
/// and two slots.
public struct TimeSlotNonceSource: DPoPNonceSource {
    /// The length of a slot in seconds.
    public let slotLength: Double
    private let key: OpenSSLHMACKey

    /// - Parameters:
    ///   - secret: at least 32 random bytes, shared by every instance of the API; never sent anywhere.
    ///   - slotLength: seconds a nonce is handed out (at least 1; 5 minutes by default).
    /// - Throws: `invalid_configuration` for a shorter secret or a slot length that is not a positive finite number.
    public init(secret: [UInt8], slotLength: Double = 300) throws(LayabAuthError) {
        guard secret.count >= 32 else {
            throw LayabAuthError.invalidConfiguration("the nonce secret's length", secret.count, "at least 32 bytes are required")
        }
        guard slotLength.isFinite, slotLength >= 1 else {
            throw LayabAuthError.invalidConfiguration("slotLength", slotLength, "a nonce slot lasts at least 1 second")
        }
        do {
            key = try OpenSSLHMACKey(secret: secret, hash: .sha256)
        } catch {
            throw LayabAuthError(.invalidConfiguration, "the nonce key cannot be made: \(error)")
        }
        self.slotLength = slotLength
    }

    public func current(now: Double) -> String { nonce(slot: slot(now)) }

    public func accepts(_ nonce: String, now: Double) -> Bool {
        let slot = slot(now)
        return nonce.hasSameUTF8(as: self.nonce(slot: slot)) || nonce.hasSameUTF8(as: self.nonce(slot: slot - 1))
    }

    private func slot(_ now: Double) -> Int64 { now.isFinite ? Int64((now / slotLength).rounded(.down)) : 0 }

    private func nonce(slot: Int64) -> String {
        let message = Array("layabauth-dpop-nonce:\(slot)".utf8)
        // A nonce that cannot be computed is one no proof carries: "!" is no base64url.
        guard let mac = try? message.withUnsafeBytes({ try key.authenticationCode($0) }) else { return "!" }
        return Base64URL.encode(mac.prefix(24))
    }
}
