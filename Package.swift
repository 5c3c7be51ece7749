// swift-tools-version:6.1
import PackageDescription

// The verifier (LayabAuth), key retrieval (LayabAuthJWKS), the testing helpers and the `layabauth` tool
// build with nothing but OpenSSL, libcurl, ncurses and swift-argument-parser. Each framework adapter, the
// OpenAPI definitions and the example apps sit behind a package trait: a package that does not enable the
// trait never resolves, fetches or compiles that framework (docs/architecture.md, "Package shape").
//
//     .package(url: "https://github.com/…/layabauth-swift", from: "1.0.0", traits: ["Hummingbird"])
//
// The sources of a target behind a trait are wrapped in `#if <Trait>`; `make` builds with every trait.

/// A dependency on a product of another package, only when `trait` is enabled.
func product(_ name: String, _ package: String, when trait: String) -> Target.Dependency {
    .product(name: name, package: package, condition: .when(traits: [trait]))
}

let package = Package(
    name: "LayabAuth",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LayabAuth", targets: ["LayabAuth"]),
        .library(name: "LayabAuthJWKS", targets: ["LayabAuthJWKS"]),
        .library(name: "LayabAuthTesting", targets: ["LayabAuthTesting"]),
        .library(name: "LayabAuthHummingbird", targets: ["LayabAuthHummingbird"]),
        .library(name: "LayabAuthVapor", targets: ["LayabAuthVapor"]),
        .library(name: "LayabAuthOpenAPI", targets: ["LayabAuthOpenAPI"]),
        .library(name: "LayabAuthPostgres", targets: ["LayabAuthPostgres"]),
        .executable(name: "layabauth", targets: ["layabauth"]),
        .executable(name: "hummingbird-example", targets: ["HummingbirdExample"]),
        .executable(name: "vapor-example", targets: ["VaporExample"]),
    ],
    traits: [
        .trait(name: "Hummingbird", description: "LayabAuthHummingbird, the Hummingbird 2 authenticator middleware, and its example app."),
        .trait(name: "HummingbirdTLS", description: "Hummingbird, plus certificate-bound tokens over TLS the application terminates itself (TLSAuthRequestContext; compiles swift-nio-ssl).", enabledTraits: ["Hummingbird"]),
        .trait(name: "Vapor", description: "LayabAuthVapor, the Vapor 4 bearer authenticator, and its example app."),
        .trait(name: "OpenAPI", description: "LayabAuthOpenAPI (OpenAPIKit security schemes) and the `layabauth openapi` command."),
        .trait(name: "Postgres", description: "LayabAuthPostgres, a DPoP replay store in PostgreSQL (postgres-nio) shared by every instance of an API."),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.4.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Observability (README "Observability"): the API packages only, which the frameworks already use; an
        // application picks the backends (a log handler, Prometheus, an OpenTelemetry exporter).
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        // The example apps' `--metrics` only (GET /metrics in the Prometheus text format): no library target
        // uses it, so a package that depends on the LayabAuth libraries never compiles it.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Already in Hummingbird's and Vapor's graphs: the client certificate of a TLS connection the app
        // terminates itself (NIOSSL for Hummingbird, behind its own trait; NIOSSL, X509 and SwiftASN1 for
        // Vapor's `peerCertificateChain` and ClientCertificateVerifier).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        // `make docs` only: a command plugin that no target uses, so packages that depend on LayabAuth never
        // resolve or fetch it (docs/architecture.md, "Package shape").
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // C libraries, each behind a module map and a shim of what Swift cannot import.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // No pkgConfig: ncursesw.pc carries -D flags SwiftPM refuses; the headers are in the default path
        // and the module map links ncursesw.
        .systemLibrary(
            name: "CNCurses",
            providers: [.apt(["libncurses-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // The default build: verifier, key retrieval, testing helpers, the tool.
        .target(name: "LayabAuth", dependencies: ["COpenSSL"]),
        .target(
            name: "LayabAuthJWKS",
            dependencies: [
                "LayabAuth", "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .target(
            name: "LayabAuthTesting",
            dependencies: ["LayabAuth", "LayabAuthJWKS", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "LayabConsole", dependencies: ["LayabAuth", "LayabAuthJWKS"]),
        .target(name: "LayabInspector", dependencies: ["LayabAuth", "LayabAuthJWKS", "LayabConsole", "CNCurses"]),
        .executableTarget(
            name: "layabauth",
            dependencies: [
                "LayabAuth", "LayabAuthJWKS", "LayabConsole", "LayabInspector",
                .target(name: "LayabAuthOpenAPI", condition: .when(traits: ["OpenAPI"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Behind traits.
        .target(
            name: "LayabAuthHummingbird",
            dependencies: [
                "LayabAuth", "LayabAuthJWKS",
                product("Hummingbird", "hummingbird", when: "Hummingbird"),
                product("HummingbirdAuth", "hummingbird-auth", when: "Hummingbird"),
                product("HTTPTypes", "swift-http-types", when: "Hummingbird"),
                product("NIOSSL", "swift-nio-ssl", when: "HummingbirdTLS"),
            ]
        ),
        .target(
            name: "LayabAuthVapor",
            dependencies: [
                "LayabAuth", "LayabAuthJWKS", product("Vapor", "vapor", when: "Vapor"),
                product("NIOSSL", "swift-nio-ssl", when: "Vapor"),
                product("X509", "swift-certificates", when: "Vapor"),
                product("SwiftASN1", "swift-asn1", when: "Vapor"),
            ]
        ),
        .target(
            name: "LayabAuthOpenAPI",
            dependencies: [
                "LayabAuth",
                product("OpenAPIKit", "OpenAPIKit", when: "OpenAPI"),
                product("OpenAPIKit30", "OpenAPIKit", when: "OpenAPI"),
            ]
        ),
        .target(
            name: "LayabAuthPostgres",
            dependencies: [
                "LayabAuth", product("PostgresNIO", "postgres-nio", when: "Postgres"),
                product("Logging", "swift-log", when: "Postgres"),
            ]
        ),
        // The options both example apps share (keys, token rules, introspection): not a product.
        .target(
            name: "ExampleOptions",
            dependencies: [
                "LayabAuth", "LayabAuthJWKS", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
                // Only with an example app's trait: a package that depends on the libraries never resolves it.
                .product(name: "Prometheus", package: "swift-prometheus", condition: .when(traits: ["Hummingbird", "Vapor"])),
            ],
            path: "Examples/ExampleOptions"
        ),
        .executableTarget(
            name: "HummingbirdExample",
            dependencies: ["LayabAuthHummingbird", "ExampleOptions", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/HummingbirdExample"
        ),
        .executableTarget(
            name: "VaporExample",
            dependencies: ["LayabAuthVapor", "ExampleOptions", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/VaporExample"
        ),

        // The project's own test infrastructure (example processes, openssl, subprocesses): not a product.
        .target(
            name: "TestSupport",
            dependencies: [
                "LayabAuth", "LayabAuthJWKS", "LayabAuthTesting", .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"), .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "LayabAuthTests",
            dependencies: ["LayabAuth", "LayabAuthTesting", "TestSupport"],
            exclude: ["Differential/joserfc_oracle.py"]
        ),
        .testTarget(
            name: "LayabAuthJWKSTests",
            dependencies: [
                "LayabAuthJWKS", "LayabAuthTesting", "TestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics"), .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "LayabAuthHummingbirdTests",
            dependencies: [
                "LayabAuth", "LayabAuthJWKS", "LayabAuthHummingbird", "LayabAuthTesting", "TestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics"), .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .target(name: "HummingbirdExample", condition: .when(traits: ["Hummingbird"])),
                product("HummingbirdTesting", "hummingbird", when: "Hummingbird"),
                product("HummingbirdTLS", "hummingbird", when: "HummingbirdTLS"),
                product("NIOSSL", "swift-nio-ssl", when: "HummingbirdTLS"),
            ]
        ),
        .testTarget(
            name: "LayabAuthVaporTests",
            dependencies: [
                "LayabAuth", "LayabAuthJWKS", "LayabAuthVapor", "LayabAuthTesting", "TestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics"), .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .target(name: "VaporExample", condition: .when(traits: ["Vapor"])),
                product("VaporTesting", "vapor", when: "Vapor"),
                product("NIOSSL", "swift-nio-ssl", when: "Vapor"),
            ]
        ),
        .testTarget(
            name: "LayabAuthOpenAPITests",
            dependencies: ["LayabAuth", "LayabAuthJWKS", "LayabAuthOpenAPI", "LayabAuthTesting", "TestSupport"]
        ),
        .testTarget(
            name: "LayabAuthPostgresTests",
            dependencies: [
                "LayabAuth", "LayabAuthPostgres", "LayabAuthTesting", "TestSupport",
                product("PostgresNIO", "postgres-nio", when: "Postgres"),
            ]
        ),
        .testTarget(
            name: "LayabInspectorTests",
            dependencies: ["LayabInspector", "LayabConsole", "layabauth", "LayabAuth", "LayabAuthJWKS", "LayabAuthTesting", "TestSupport"]
        ),
        .testTarget(
            name: "LayabAuthCommandLineTests",
            dependencies: ["layabauth", "LayabConsole", "LayabAuth", "LayabAuthJWKS", "LayabAuthTesting", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
