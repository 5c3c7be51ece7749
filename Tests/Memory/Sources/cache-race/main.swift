import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting

/// Hammers one key source from many tasks while the JWKS server rotates keys, fails and recovers, so
/// that ThreadSanitizer sees every concurrent path of the cache: cold start, refresh, unknown-kid
/// refresh, failure, revalidation.
@main
struct CacheRace {
    static func main() async throws {
        let first = try TestIssuer(algorithms: [.es256])
        let second = try TestIssuer(algorithms: [.eddsa])
        let both = KeySet(keys: (first.keys + second.keys).map(\.verificationKey)).publicJWKS.jsonText
        let server = try TestHTTPServer { _ in .json(first.jwks, headers: [("Cache-Control", "max-age=0")]) }
        defer { server.stop() }
        let verifier = try JWKSVerifier(jwksURI: server.url("/jwks.json"), configuration: VerifierConfiguration(),
                                        cachePolicy: KeyCachePolicy(minimumLifetime: 0, unknownKidCooldown: 0.05, retryAfterFailure: 0.01))
        let tokens = [try first.token(claims: ["sub": "a"]), try second.token(claims: ["sub": "b"])]
        var ok = 0, refused = 0
        for round in 0..<20 {
            switch round % 4 {
            case 1: server.setHandler { _ in .json(both, headers: [("ETag", "\"2\"")]) }
            case 2: server.setHandler { _ in TestHTTPServer.Response(status: 500) }
            case 3: server.setHandler { _ in .json("{garbage", headers: []) }
            default: server.setHandler { _ in .json(first.jwks, headers: [("Cache-Control", "max-age=0")]) }
            }
            let results = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<64 {
                    group.addTask { (try? await verifier.verify(tokens[index % 2])) != nil }
                }
                var results: [Bool] = []
                for await result in group { results.append(result) }
                return results
            }
            ok += results.filter { $0 }.count
            refused += results.filter { !$0 }.count
            _ = await verifier.source.status()
        }
        print("cache-race: \(ok) verified, \(refused) refused, \(server.requests.count) fetches")
        if ok == 0 { throw CancellationError() }
    }
}
