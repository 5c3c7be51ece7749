import Testing

@Suite("layabauth without arguments", .fewAtATime)
struct DemoCommandTests {
    @Test("outside a terminal the default inspector refuses clearly (exit 2) instead of drawing into a pipe")
    func noTerminal() async throws {
        let result = try await layabauth([])
        #expect(result.status == 2, "\(result)")
        #expect(result.errorOutput.contains("needs a terminal"), "\(result)")
        #expect(result.output.isEmpty, "\(result)")
    }
}
