// swift-tools-version:6.1
// Memory-safety runners, built with sanitizers apart from the main build:
//   swift build --sanitize=address  → verify-loop under AddressSanitizer and LeakSanitizer
//   swift build --sanitize=thread   → cache-race under ThreadSanitizer
// run.sh builds and runs both.
import PackageDescription

let package = Package(
    name: "LayabAuthMemory",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "LayabAuth", path: "../..")],
    targets: [
        .executableTarget(name: "verify-loop", dependencies: [.product(name: "LayabAuth", package: "LayabAuth")]),
        .executableTarget(name: "cache-race", dependencies: [
            .product(name: "LayabAuthJWKS", package: "LayabAuth"),
            .product(name: "LayabAuthTesting", package: "LayabAuth"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
