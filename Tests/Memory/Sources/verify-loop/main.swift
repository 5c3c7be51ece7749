import LayabAuth
#if canImport(Glibc)
import Glibc
#endif

/// Verifies tokens of every family in a loop, valid and refused, so that LeakSanitizer sees every
/// allocation path of parsing, key selection, OpenSSL calls and error construction.
/// Usage: verify-loop [count] (default 1,000,000)

struct Tally {
    var verified = 0, refused = 0, unexpected = 0
}

/// `token` with the first character of its signature replaced, so that the signature's first byte differs.
///
/// Replacing the last two characters with "AA" left the token unchanged whenever the signature already
/// ended so, and the run then failed with an "unexpected" verdict: for 192 of 3,000 fresh Ed25519 keys
/// (the last byte is the top of S < 2^253, zero about once in 16), 11 of 3,000 P-256 keys and 1 of 3,000
/// HMAC secrets.
func tampered(_ token: String) throws -> String {
    var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 3, let first = parts[2].first else { throw TamperingFailed(token: token) }
    parts[2] = (first == "A" ? "B" : "A") + parts[2].dropFirst()
    return parts.joined(separator: ".")
}

struct TamperingFailed: Error {
    let token: String
}

/// Runs `count` verifications. The keys, the verifier and the tokens live in this scope only, so they are
/// released before the process exits and LeakSanitizer's exit-time check judges the library alone.
///
/// Keys held by a global until exit were reported as a leak, and wrongly: `SigningKey.Backing` is an enum
/// over two class references, so Swift keeps the case in the pointer's spare top bit, and the array held
/// the HS256 key's `OpenSSLHMACKey` as 0x8000_xxxx_xxxx_xxxx. LeakSanitizer's conservative scan does not
/// take that for a pointer, so it reported the object and its OpenSSL context as unreachable (873 bytes,
/// the same for 1,000 and 100,000 verifications).
func run(count: Int) throws -> Tally {
    let now = 1_800_000_000.0
    var keys: [SigningKey] = []
    for algorithm in [Algorithm.hs256, .rs256, .ps256, .es256, .eddsa] {
        keys.append(try SigningKey.generate(algorithm, kid: algorithm.rawValue))
    }
    let verifier = try Verifier(keys: KeySet(keys: keys.map(\.verificationKey)),
                            configuration: VerifierConfiguration(algorithms: Set(keys.map(\.algorithm)), clock: { now }))
    let claims: JSONObject = ["sub": "alice", "exp": .integer(Int64(now) + 600), "scope": "read"]
    var tokens: [(String, Bool)] = []
    for key in keys {
        let token = try key.sign(claims: claims)
        tokens.append((token, true))
        tokens.append((try tampered(token), false))
    }
    tokens.append(("not a token", false))
    tokens.append(("eyJhbGciOiJub25lIn0.e30.", false))
    // HS256 is cheap, asymmetric verification is not: weight the mix so the run stays short.
    var tally = Tally()
    for index in 0..<count {
        let (token, shouldVerify) = index % 10 == 0 ? tokens[(index / 10) % tokens.count] : tokens[index % 2]
        do {
            _ = try verifier.verify(token, requiring: .all("read"))
            tally.verified += 1
            if !shouldVerify { tally.unexpected += 1 }
        } catch {
            tally.refused += 1
            if shouldVerify { tally.unexpected += 1 }
        }
    }
    return tally
}

let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 1_000_000
let tally = try run(count: count)
print("verify-loop: \(count) verifications, \(tally.verified) verified, \(tally.refused) refused, \(tally.unexpected) unexpected")
// LeakSanitizer ends the process with _exit when it finds a leak, which would drop buffered output.
fflush(nil)
if tally.unexpected > 0 { exit(1) }
