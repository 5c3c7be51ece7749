// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so that the benchmark harness and the peer library (vapor/jwt-kit)
// never slow the main build. Run them with `Benchmarks/run.sh` (see docs/performance.md).
let package = Package(
    name: "LayabAuthBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Trait Postgres: the PostgreSQL DPoP replay store, measured beside the in-memory one.
        .package(name: "LayabAuth", path: "..", traits: ["Postgres"]),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        // The metrics backend of the observability benchmarks, as the example apps use it.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    ],
    targets: [
        // The raw primitive, called from Swift exactly as OpenSSL documents it: the limit LayabAuth is measured against.
        .systemLibrary(
            name: "CBenchOpenSSL",
            path: "Sources/CBenchOpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // Keys, tokens and the three verifiers (LayabAuth, raw OpenSSL, jwt-kit), shared by the benchmarks
        // and the profile driver so that both measure the same thing.
        .target(
            name: "BenchmarkFixtures",
            dependencies: [
                .product(name: "LayabAuth", package: "LayabAuth"),
                // DPoP proofs are minted as the tests mint them (TestIssuer.dpopProof).
                .product(name: "LayabAuthTesting", package: "LayabAuth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                "CBenchOpenSSL",
            ]
        ),
        .executableTarget(
            name: "VerificationBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LayabAuth", package: "LayabAuth"),
                .product(name: "LayabAuthJWKS", package: "LayabAuth"),
                .product(name: "LayabAuthPostgres", package: "LayabAuth"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                "BenchmarkFixtures",
            ],
            path: "Benchmarks/VerificationBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // A plain loop over one verification, for valgrind --tool=callgrind (see docs/performance.md).
        .executableTarget(
            name: "VerificationProfile",
            dependencies: [
                .product(name: "LayabAuth", package: "LayabAuth"),
                .product(name: "LayabAuthJWKS", package: "LayabAuth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                "BenchmarkFixtures",
            ]
        ),
        // Distinct RS256 tokens and their JWK Set for the batch comparison (Scripts/batch.py).
        .executableTarget(
            name: "MintTokens",
            dependencies: [.product(name: "LayabAuth", package: "LayabAuth")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
