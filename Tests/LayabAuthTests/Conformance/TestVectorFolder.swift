import Foundation
import Testing

/// Where the shared conformance vectors live: `../shared/test-vectors` beside the package root, or the folder
/// named by `LAYABAUTH_TEST_VECTORS`. They are read in place, never copied into the repository.
enum TestVectorFolder {
    /// The environment variable that overrides the default location.
    static let environmentVariable = "LAYABAUTH_TEST_VECTORS"

    /// The folder, when it exists.
    static let url: URL? = {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expectedPath, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        return URL(fileURLWithPath: expectedPath, isDirectory: true)
    }()

    static var isAvailable: Bool { url != nil }

    /// The path looked at: the override, or `<package root>/../shared/test-vectors`.
    static let expectedPath: String = {
        if let override = ProcessInfo.processInfo.environment[environmentVariable], !override.isEmpty { return override }
        // This file is <root>/Tests/LayabAuthTests/Conformance/TestVectorFolder.swift.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/test-vectors").standardizedFileURL.path
    }()

    /// CI sets `CI=true`: there, missing vectors fail the suite instead of skipping it.
    static let isCI: Bool = {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased()
        return value == "true" || value == "1"
    }()

    /// Why the conformance tests do not run, shown by Swift Testing next to each skipped test.
    static let skipComment: Comment = "test vectors not found at \(expectedPath) (set \(environmentVariable) or lay shared/ beside the clone)"

    /// The bytes of a file given by its path inside the folder.
    static func contents(of relativePath: String) throws -> Data {
        guard let url else { throw VectorLoadingError("the test vector folder \(expectedPath) does not exist") }
        return try Data(contentsOf: url.appendingPathComponent(relativePath))
    }

    /// A JSON document inside the folder, as Foundation objects.
    static func json(_ relativePath: String) throws -> Any {
        try JSONSerialization.jsonObject(with: contents(of: relativePath))
    }

    /// Text inside the folder, without a trailing newline.
    static func text(_ relativePath: String) throws -> String {
        let data = try contents(of: relativePath)
        var text = String(decoding: data, as: UTF8.self)
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}

/// A vector file that could not be read or did not have the documented shape.
struct VectorLoadingError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
