import Dispatch
import Foundation
import LayabAuth
import Synchronization

// Writes `count` distinct RS256 tokens (one per line) and the JWK Set that verifies them, for the batch
// comparison of `layabauth verify -` with joserfc (Benchmarks/Scripts/batch.py).
//
//   MintTokens <count> <tokens file> <jwks file> <issuer> <audience> [padding bytes]
//
// With padding, each token carries a "padding" claim of that many bytes (the inspector's 16 KiB token).
let arguments = CommandLine.arguments
guard arguments.count == 6 || arguments.count == 7, let count = Int(arguments[1]), count > 0,
      let padding = arguments.count == 7 ? Int(arguments[6]) : 0, padding >= 0 else {
    FileHandle.standardError.write(Data("usage: MintTokens <count> <tokens file> <jwks file> <issuer> <audience> [padding bytes]\n".utf8))
    exit(2)
}
let (tokensPath, jwksPath, issuer, audience) = (arguments[2], arguments[3], arguments[4], arguments[5])
let key = try SigningKey.generate(.rs256, kid: "batch-rs256")
let now = Int64(Date().timeIntervalSince1970)

/// Tokens `range`, each with its own subject and identifier: no two are the same.
@Sendable func mint(_ range: Range<Int>) -> [String] {
    range.map { index in
        var claims: JSONObject = [
            "iss": .string(issuer), "aud": .string(audience), "sub": .string("user-\(index)"),
            "jti": .string("batch-\(index)"), "iat": .integer(now), "exp": .integer(now + 86_400), "scope": "read write",
        ]
        if padding > 0 { claims["padding"] = .string(String(repeating: "x", count: padding)) }
        return (try? key.sign(claims: claims)) ?? ""
    }
}

// RSA signing dominates: one slice per core.
let slices = ProcessInfo.processInfo.activeProcessorCount
let parts = Mutex<[Int: [String]]>([:])
DispatchQueue.concurrentPerform(iterations: slices) { slice in
    let range = (count * slice / slices)..<(count * (slice + 1) / slices)
    let tokens = mint(range)
    parts.withLock { $0[slice] = tokens }
}
let tokens = parts.withLock { parts in (0..<slices).flatMap { parts[$0] ?? [] } }
guard tokens.count == count, !tokens.contains("") else {
    FileHandle.standardError.write(Data("MintTokens: signing failed\n".utf8))
    exit(1)
}
try Data((tokens.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: tokensPath))
try Data(KeySet(keys: [key.verificationKey]).publicJWKS.jsonText.utf8).write(to: URL(fileURLWithPath: jwksPath))
print("MintTokens: \(count) RS256 tokens in \(tokensPath), keys in \(jwksPath)")
