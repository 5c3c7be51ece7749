import BenchmarkFixtures
import JWTKit
import LayabAuth
import LayabAuthJWKS

// Runs one kind of verification in a loop, for callgrind, which counts instructions whatever else the
// machine is doing. Each loop is a function of its own, so that callgrind can count it alone:
//
//   valgrind --tool=callgrind --toggle-collect='*measured*' .build/release/VerificationProfile RS256 200 layabauth
//
// Kinds: layabauth, openssl, openssl-reused, jwt-kit (the benchmarks' four verifiers, same fixtures),
// decode, cache (hits of a warm VerifiedTokenCache).
let arguments = CommandLine.arguments
guard arguments.count >= 3, let algorithm = Algorithm(rawValue: arguments[1]), let iterations = Int(arguments[2]) else {
    print("usage: VerificationProfile <RS256|PS256|ES256|ES384|EdDSA|HS256> <iterations> [layabauth|openssl|openssl-reused|jwt-kit|decode|cache]")
    exit(2)
}
let kind = arguments.count > 3 ? arguments[3] : "layabauth"
let fixture = Fixtures.fixture(algorithm)

@inline(never) func measuredLayabAuth(_ iterations: Int) throws -> Int {
    var checksum = 0
    for _ in 0..<iterations { checksum &+= try fixture.verifier.verify(fixture.token).scopes.count }
    return checksum
}

@inline(never) func measuredOpenSSL(_ raw: RawVerifier, _ iterations: Int) -> Int {
    var checksum = 0
    for _ in 0..<iterations where raw.verify() { checksum &+= 1 }
    return checksum
}

@inline(never) func measuredOpenSSLReused(_ raw: RawReusedVerifier, _ iterations: Int) -> Int {
    var checksum = 0
    for _ in 0..<iterations where raw.verify() { checksum &+= 1 }
    return checksum
}

@inline(never) func measuredJWTKit(_ keys: JWTKeyCollection, _ iterations: Int) async throws -> Int {
    var checksum = 0
    for _ in 0..<iterations { checksum &+= try await keys.verify(fixture.token, as: PeerPayload.self).scope.utf8.count }
    return checksum
}

@inline(never) func measuredDecode(_ iterations: Int) throws -> Int {
    var checksum = 0
    for _ in 0..<iterations { checksum &+= try DecodedToken.decode(fixture.token).header.algorithmName.utf8.count }
    return checksum
}

@inline(never) func measuredCacheHits(_ verifier: JWKSVerifier, _ iterations: Int) async throws -> Int {
    var checksum = 0
    for _ in 0..<iterations { checksum &+= try await verifier.verify(fixture.token).scopes.count }
    return checksum
}

let checksum: Int
switch kind {
case "openssl":
    checksum = measuredOpenSSL(RawVerifier(fixture), iterations)
case "openssl-reused":
    checksum = measuredOpenSSLReused(RawReusedVerifier(fixture), iterations)
case "jwt-kit":
    checksum = try await measuredJWTKit(try await JWTKitPeer.keys(for: fixture), iterations)
case "decode":
    checksum = try measuredDecode(iterations)
case "cache":
    let cached = try JWKSVerifier(source: StaticKeySource(fixture.verifier.keys), configuration: fixture.verifier.configuration,
                              tokenCache: VerifiedTokenCache())
    _ = try await cached.verify(fixture.token)
    checksum = try await measuredCacheHits(cached, iterations)
default:
    checksum = try measuredLayabAuth(iterations)
}
print("\(kind) \(algorithm) ×\(iterations): \(checksum)")

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
