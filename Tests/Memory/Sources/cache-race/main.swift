import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
#if canImport(Glibc)
import Glibc
#endif

/// Hammers one key source from many tasks while the JWKS server rotates keys, fails and recovers, so
/// that ThreadSanitizer sees every concurrent path of the key cache (cold start, refresh, unknown-kid
/// refresh, failure, revalidation), of the verified-token cache (hits, inserts, evictions, emptying on a
/// new key set) and of the pooled OpenSSL contexts (HMAC, RSA, RSA-PSS, ECDSA, EdDSA).
@main
struct CacheRace {
    static let rounds = 20
    static let tasksPerRound = 64

    static func main() async {
        do {
            let line = try await run()
            print(line)
        } catch {
            print("cache-race: \(error)")
            exit(1)
        }
    }

    static func run() async throws -> String {
        let first = try TestIssuer(algorithms: [.es256])
        let second = try TestIssuer(algorithms: [.eddsa])
        let both = KeySet(keys: (first.keys + second.keys).map(\.verificationKey)).publicJWKS.jsonText
        let server = try TestHTTPServer { _ in .json(first.jwks, headers: [("Cache-Control", "max-age=0")]) }
        defer { server.stop() }
        let source = try RemoteKeySource(uri: server.url("/jwks.json"),
                                         cachePolicy: KeyCachePolicy(minimumLifetime: 0, unknownKidCooldown: 0.05, retryAfterFailure: 0.01))
        let full = try JWKSVerifier(source: source)
        // Fewer entries than distinct tokens, so that inserts evict.
        let cached = try JWKSVerifier(source: source, tokenCache: VerifiedTokenCache(capacity: 3))
        let remoteTokens = try (0..<3).flatMap { index in
            [try first.token(claims: ["sub": .string("a\(index)")]), try second.token(claims: ["sub": .string("b\(index)")])]
        }
        // Configured keys for the HMAC and RSA context pools, which the remote set (ES256, EdDSA) leaves idle.
        let local = try TestIssuer(algorithms: [.hs256, .rs256, .ps256])
        let localVerifier = try Verifier(keys: KeySet(keys: local.keys.map(\.verificationKey)),
                                     configuration: VerifierConfiguration(algorithms: [.hs256, .rs256, .ps256]))
        let localTokens = try [Algorithm.hs256, .rs256, .ps256].map { try local.token(claims: ["sub": "c"], algorithm: $0) }

        var verified = 0, refused = 0, localRefused = 0
        for round in 0..<rounds {
            switch round % 4 {
            case 1: server.setHandler { _ in .json(both, headers: [("ETag", "\"2\"")]) }
            case 2: server.setHandler { _ in TestHTTPServer.Response(status: 500) }
            case 3: server.setHandler { _ in .json("{garbage", headers: []) }
            default: server.setHandler { _ in .json(first.jwks, headers: [("Cache-Control", "max-age=0")]) }
            }
            let results = await withTaskGroup(of: (remote: Bool, localRefused: Bool).self) { group in
                for index in 0..<tasksPerRound {
                    group.addTask {
                        let token = remoteTokens[index % remoteTokens.count]
                        let verifier = index % 2 == 0 ? full : cached
                        let remote = (try? await verifier.verify(token)) != nil
                        let local = (try? localVerifier.verify(localTokens[index % localTokens.count])) == nil
                        return (remote, local)
                    }
                }
                var results: [(remote: Bool, localRefused: Bool)] = []
                for await result in group { results.append(result) }
                return results
            }
            verified += results.filter(\.remote).count
            refused += results.filter { !$0.remote }.count
            localRefused += results.filter(\.localRefused).count
            _ = await source.status()
        }
        // Every verification with configured keys must pass; remote ones depend on what the server served
        // when each task asked, but the key set must have been fetched and used at least once.
        let summary = "cache-race: \(rounds * tasksPerRound) remote verifications, \(verified) verified, \(refused) refused, "
            + "\(server.requests.count) fetches; \(rounds * tasksPerRound) local verifications, \(localRefused) refused"
        guard verified > 0, localRefused == 0 else { throw Unexpected(summary: summary) }
        return summary
    }

    struct Unexpected: Error, CustomStringConvertible {
        let summary: String
        var description: String { "unexpected verdicts: \(summary)" }
    }
}
