// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "LayabAuth",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "LayabAuth", targets: ["LayabAuth"]),
        .executable(name: "layabauth", targets: ["layabauth"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "LayabAuth",
            dependencies: ["COpenSSL"]
        ),
        .executableTarget(
            name: "layabauth",
            dependencies: [
                "LayabAuth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "LayabAuthTests",
            dependencies: ["LayabAuth"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
