import LayabAuth

/// Verifies tokens of every family in a loop, valid and refused, so that LeakSanitizer sees every
/// allocation path of parsing, key selection, OpenSSL calls and error construction.
/// Usage: verify-loop [count] (default 1,000,000)
let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 1_000_000
let now = 1_800_000_000.0
var keys: [SigningKey] = []
for algorithm in [Algorithm.hs256, .rs256, .ps256, .es256, .eddsa] {
    keys.append(try SigningKey.generate(algorithm, kid: algorithm.rawValue))
}
let verifier = Verifier(keys: KeySet(keys: keys.map(\.verificationKey)),
                        configuration: VerifierConfiguration(algorithms: Set(keys.map(\.algorithm)), clock: { now }))
let claims: JSONObject = ["sub": "alice", "exp": .integer(Int64(now) + 600), "scope": "read"]
var tokens: [(String, Bool)] = []
for key in keys {
    let token = try key.sign(claims: claims)
    tokens.append((token, true))
    tokens.append((String(token.dropLast(2)) + "AA", false))
}
tokens.append(("not a token", false))
tokens.append(("eyJhbGciOiJub25lIn0.e30.", false))
// HS256 is cheap, asymmetric verification is not: weight the mix so the run stays short.
var verified = 0, refused = 0, mismatches = 0
for index in 0..<count {
    let (token, shouldVerify) = index % 10 == 0 ? tokens[(index / 10) % tokens.count] : tokens[index % 2]
    do {
        _ = try verifier.verify(token, requiring: .all("read"))
        verified += 1
        if !shouldVerify { mismatches += 1 }
    } catch {
        refused += 1
        if shouldVerify { mismatches += 1 }
    }
}
print("verify-loop: \(count) verifications, \(verified) verified, \(refused) refused, \(mismatches) unexpected")
if mismatches > 0 { exit(1) }

#if canImport(Glibc)
import Glibc
#endif
