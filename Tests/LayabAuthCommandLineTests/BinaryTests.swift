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
    func version() throws {
        let process = Process()
        process.executableURL = Binary.url
        process.arguments = ["--version"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self).hasPrefix("0."))
    }
}
