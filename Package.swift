// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "LayabAuth",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LayabAuth", targets: ["LayabAuth"]),
        .library(name: "LayabAuthJWKS", targets: ["LayabAuthJWKS"]),
        .library(name: "LayabAuthTesting", targets: ["LayabAuthTesting"]),
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
        .target(
            name: "LayabAuth",
            dependencies: ["COpenSSL"]
        ),
        .target(
            name: "LayabAuthJWKS",
            dependencies: ["LayabAuth", "CCurl"]
        ),
        .target(
            name: "LayabAuthTesting",
            dependencies: ["LayabAuth"]
        ),
        .target(
            name: "LayabInspector",
            dependencies: ["LayabAuth", "LayabAuthJWKS", "CNCurses"]
        ),
        .executableTarget(
            name: "layabauth",
            dependencies: [
                "LayabAuth",
                "LayabAuthJWKS",
                "LayabInspector",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "LayabAuthTests",
            dependencies: ["LayabAuth"]
        ),
        .testTarget(
            name: "LayabAuthJWKSTests",
            dependencies: ["LayabAuthJWKS", "LayabAuthTesting"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "LayabInspectorTests",
            dependencies: ["LayabInspector", "layabauth", "LayabAuth", "LayabAuthJWKS", "LayabAuthTesting"]
        ),
        .testTarget(
            name: "LayabAuthCommandLineTests",
            dependencies: ["layabauth", "LayabAuth", "LayabAuthTesting"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
