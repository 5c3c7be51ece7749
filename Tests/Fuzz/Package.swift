// swift-tools-version:6.1
// libFuzzer targets for LayabAuth's parsers. A package of its own so that the root build never carries the
// sanitizers and only LayabAuth is built here. run.sh builds it (with libFuzzer and ASan) and runs each target.
import PackageDescription

let package = Package(
    name: "LayabAuthFuzz",
    dependencies: [
        .package(name: "LayabAuth", path: "../.."),
    ],
    targets: [
        .target(
            name: "FuzzChecks",
            dependencies: [.product(name: "LayabAuth", package: "LayabAuth")]
        ),
        .executableTarget(
            name: "FuzzToken",
            dependencies: ["FuzzChecks", .product(name: "LayabAuth", package: "LayabAuth")]
        ),
        .executableTarget(
            name: "FuzzSignedToken",
            dependencies: ["FuzzChecks", .product(name: "LayabAuth", package: "LayabAuth")]
        ),
        .executableTarget(
            name: "FuzzJWKS",
            dependencies: ["FuzzChecks", .product(name: "LayabAuth", package: "LayabAuth")]
        ),
        .executableTarget(
            name: "FuzzBearer",
            dependencies: ["FuzzChecks", .product(name: "LayabAuth", package: "LayabAuth")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
