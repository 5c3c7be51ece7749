// swift-tools-version:6.1
import PackageDescription

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
        .executable(name: "layabauth", targets: ["layabauth"]),
        .executable(name: "hummingbird-example", targets: ["HummingbirdExample"]),
        .executable(name: "vapor-example", targets: ["VaporExample"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.4.0"),
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
            dependencies: ["LayabAuth", "LayabAuthJWKS"]
        ),
        .target(
            name: "LayabInspector",
            dependencies: ["LayabAuth", "LayabAuthJWKS", "CNCurses"]
        ),
        .target(
            name: "LayabAuthHummingbird",
            dependencies: [
                "LayabAuth", "LayabAuthJWKS",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .target(
            name: "LayabAuthVapor",
            dependencies: ["LayabAuth", "LayabAuthJWKS", .product(name: "Vapor", package: "vapor")]
        ),
        .target(
            name: "LayabAuthOpenAPI",
            dependencies: [
                "LayabAuth",
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "OpenAPIKit30", package: "OpenAPIKit"),
            ]
        ),
        .executableTarget(
            name: "HummingbirdExample",
            dependencies: ["LayabAuthHummingbird", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/HummingbirdExample"
        ),
        .executableTarget(
            name: "VaporExample",
            dependencies: ["LayabAuthVapor", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/VaporExample"
        ),
        .executableTarget(
            name: "layabauth",
            dependencies: [
                "LayabAuth",
                "LayabAuthJWKS",
                "LayabInspector",
                "LayabAuthOpenAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "LayabAuthTests",
            dependencies: ["LayabAuth", "LayabAuthTesting"]
        ),
        .testTarget(
            name: "LayabAuthJWKSTests",
            dependencies: ["LayabAuthJWKS", "LayabAuthTesting"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "LayabAuthHummingbirdTests",
            dependencies: [
                "LayabAuthHummingbird", "LayabAuthTesting", "HummingbirdExample",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "LayabAuthVaporTests",
            dependencies: ["LayabAuthVapor", "LayabAuthTesting", "VaporExample", .product(name: "VaporTesting", package: "vapor")]
        ),
        .testTarget(
            name: "LayabAuthOpenAPITests",
            dependencies: ["LayabAuthOpenAPI", "LayabAuthTesting"]
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
