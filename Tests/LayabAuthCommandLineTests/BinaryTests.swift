import Foundation
import Testing

/// The built `layabauth` binary, next to the test bundle in the build folder.
enum Binary {
    static var url: URL {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("layabauth")
    }
}

@Suite("The layabauth binary", .fewAtATime)
struct BinaryTests {
    @Test("the binary is built beside the tests and prints its version")
    func version() async throws {
        let result = try await layabauth(["--version"])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("0."))
    }
}
