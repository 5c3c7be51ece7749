import FuzzChecks
import LayabAuth

// Top-level code never runs here: libFuzzer owns main, so what is shared lives in FuzzChecks' lazy statics.

/// The header and claims rules behind a valid signature. The input is the header JSON, a newline, then the
/// payload; the target signs them with the fixed HS256 secret, so mutations of the JSON reach the header
/// checks, the claims checks and the scopes, which a mutated base64url token seldom gets past the signature to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSignedToken(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: start, count: count)
    let newline = input.firstIndex(of: 0x0A) ?? count
    let header = Array(input[..<newline])
    let payload = newline < count ? Array(input[(newline + 1)...]) : []
    let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(payload)
    let signature: [UInt8]
    do { signature = try Fixture.hmacSigner().signature(for: Array(signingInput.utf8)) } catch {
        require(false, "HMAC signing failed: \(error)")
        return 0
    }
    let token = signingInput + "." + Base64URL.encode(signature)
    // The signature is right: a token that decodes, names HS256 and can only mean the secret's key verifies.
    guard let decoded = checkToken(token) else { return 0 }
    require(decoded.payload == payload, "the payload changed in decoding")
    if decoded.header.algorithm == .hs256, decoded.header.kid == nil || decoded.header.kid == "hs-1" {
        let result = Result { () throws(LayabAuthError) in try Fixture.verifier.verifySignature(token) }
        if case let .failure(error) = result { require(false, "a token signed with hs-1 failed its signature check: \(error)") }
    }
    return 0
}
