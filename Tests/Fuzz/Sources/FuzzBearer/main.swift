import FuzzChecks
import LayabAuth

// Top-level code never runs here: libFuzzer owns main.

/// The `Authorization` header parser: what it returns is one b64token that the header carried after
/// "Bearer", and its size limit holds at every cap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBearer(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let header = string(fromFuzzInput: start, count)
    let allowed: Set<LayabAuthError.Code> = [.missingToken, .invalidRequest, .tokenTooLarge]
    let size = header.utf8.count

    let result = Result { () throws(LayabAuthError) in try BearerCredential.extract(fromAuthorization: header) }
    switch result {
    case let .success(token):
        require(isB64Token(token), "extract returned \"\(token.prefix(80))\", which is not a b64token")
        require(token.utf8.count <= DecodedToken.defaultMaximumSize + 64, "extract returned \(token.utf8.count) bytes")
        // The header is optional whitespace, a scheme spelled "bearer" in any case, whitespace, the token, whitespace.
        let bytes = Array(header.utf8)
        var index = 0
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        let scheme = bytes[index..<min(index + 6, bytes.count)]
        require(String(decoding: scheme, as: UTF8.self).lowercased() == "bearer", "accepted scheme \(Array(scheme))")
        index += 6
        let separator = index
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        require(index > separator, "no whitespace after the scheme")
        let tokenBytes = Array(token.utf8)
        require(bytes[index...].starts(with: tokenBytes), "the token is not what follows the scheme")
        require(bytes[(index + tokenBytes.count)...].allSatisfy { $0 == 0x20 || $0 == 0x09 }, "something other than whitespace follows the token")
        // Nothing that reads the header differently: the same header with "Bearer" re-spelled gives the same token.
        let respelled = "bEaReR " + token
        require((try? BearerCredential.extract(fromAuthorization: respelled)) == token, "re-spelled header gave another token")
    case let .failure(error):
        checkError(error, allowed: allowed, "extract")
        require((error.code == .tokenTooLarge) == (size - 64 > DecodedToken.defaultMaximumSize), "\(error.code.rawValue) for \(size) bytes")
    }

    // Every cap behaves as documented: a header over cap + 64 bytes is refused first, any other gets the
    // default cap's answer (once the default cap is not the one that refused).
    for cap in [0, 1, size / 2, max(0, size - 65), max(0, size - 64), size, Int.max] {
        let capped = Result { () throws(LayabAuthError) in try BearerCredential.extract(fromAuthorization: header, maximumSize: cap) }
        if size - 64 > cap {
            require((try? capped.get()) == nil, "a \(size)-byte header passed a cap of \(cap)")
            if case let .failure(error) = capped { require(error.code == .tokenTooLarge, "over the cap: \(error.code.rawValue)") }
        } else if case .failure(let error) = result, error.code == .tokenTooLarge {
            // The default cap refused; a larger cap parses, which the first branch does not cover.
            continue
        } else {
            switch (capped, result) {
            case let (.success(a), .success(b)): require(a == b, "cap \(cap) gave another token")
            case let (.failure(a), .failure(b)): require(a == b, "cap \(cap) gave \(a), the default \(b)")
            default: require(false, "cap \(cap) and the default cap disagree")
            }
        }
    }
    if size == 0 { require((try? BearerCredential.extract(fromAuthorization: nil)) == nil, "nil header accepted") }
    return 0
}
