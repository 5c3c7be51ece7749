import LayabAuth
import LayabAuthJWKS

// Runs one kind of verification in a loop, for profilers: callgrind counts its instructions whatever
// else the machine is doing.
//
//   valgrind --tool=callgrind .build/release/VerificationProfile RS256 2000
//   .build/release/VerificationProfile ES256 2000 cache
let arguments = CommandLine.arguments
guard arguments.count >= 3, let algorithm = Algorithm(rawValue: arguments[1]), let iterations = Int(arguments[2]) else {
    print("usage: VerificationProfile <RS256|PS256|ES256|ES384|EdDSA|HS256> <iterations> [verify|cache|decode]")
    exit(2)
}
let mode = arguments.count > 3 ? arguments[3] : "verify"

let now = SystemClock.now()
let signingKey = algorithm == .hs256
    ? try SigningKey(hmacSecret: (0..<32).map { _ in UInt8.random(in: 0...255) }, algorithm: algorithm, kid: "profile")
    : try SigningKey.generate(algorithm, kid: "profile")
let token = try signingKey.sign(claims: [
    "iss": "https://issuer.example", "sub": "248289761001", "aud": "my-api",
    "iat": .integer(Int64(now)), "exp": .integer(Int64(now) + 3600), "scope": "openid profile read:orders",
])
let configuration = VerifierConfiguration(algorithms: [algorithm], issuers: ["https://issuer.example"], audiences: ["my-api"])
let verifier = Verifier(keys: KeySet(keys: [signingKey.verificationKey]), configuration: configuration)

// Each loop is its own function so that callgrind can count it alone:
//   valgrind --tool=callgrind --toggle-collect='*measuredVerify*' .build/release/VerificationProfile RS256 1000
@inline(never) func measuredVerify(_ iterations: Int) throws -> Int {
    var checksum = 0
    for _ in 0..<iterations { checksum &+= try verifier.verify(token).scopes.count }
    return checksum
}

@inline(never) func measuredDecode(_ iterations: Int) throws -> Int {
    var checksum = 0
    for _ in 0..<iterations { checksum &+= try DecodedToken.decode(token).header.algorithmName.utf8.count }
    return checksum
}

@inline(never) func measuredCacheHits(_ verifier: JWKSVerifier, _ iterations: Int) async throws -> Int {
    var checksum = 0
    for _ in 0..<iterations { checksum &+= try await verifier.verify(token).scopes.count }
    return checksum
}

let checksum: Int
switch mode {
case "decode":
    checksum = try measuredDecode(iterations)
case "cache":
    let cached = JWKSVerifier(source: StaticKeySource(verifier.keys), configuration: configuration, tokenCache: VerifiedTokenCache())
    _ = try await cached.verify(token)
    checksum = try await measuredCacheHits(cached, iterations)
default:
    _ = try verifier.verify(token)
    checksum = try measuredVerify(iterations)
}
print("\(mode) \(algorithm) ×\(iterations): \(checksum)")

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
