import Testing

@Suite("layabauth demo", .fewAtATime)
struct DemoCommandTests {
    @Test("the demo is the default command and each sample gets the verdict its name promises")
    func verdicts() async throws {
        // The demo mints fresh keys and tokens on every run; a few runs cover the random cases.
        let results = try await withThrowingTaskGroup(of: CommandResult.self) { group in
            for _ in 0..<6 { group.addTask { try await layabauth([]) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for result in results {
            #expect(result.status == 0, "\(result)")
            #expect(result.output.hasPrefix("DEMO  issuer https://demo.layabauth.invalid"), "\(result)")
            func verdict(_ sample: String) -> [String] {
                let lines = result.outputLines
                guard let start = lines.firstIndex(where: { $0.hasSuffix("  " + sample) }) else { return [] }
                return [lines[start]] + lines[(start + 1)...].prefix { $0.hasPrefix("        ") }
            }
            #expect(verdict("valid (RS256)").first?.hasPrefix("ACCEPT") == true, "\(result)")
            #expect(verdict("expiring within two minutes (ES256)").first?.hasPrefix("ACCEPT") == true, "\(result)")
            #expect(verdict("expired (EdDSA)").contains { $0.contains("expired:") }, "\(result)")
            let tampered = verdict("tampered signature")
            #expect(tampered.first?.hasPrefix("REJECT") == true, "\(result)")
            #expect(tampered.contains { $0.contains("signature INVALID") }, "\(tampered)")
            #expect(tampered.contains { $0.contains("bad_signature:") }, "a tampered signature is a bad signature, not a malformed token: \(tampered)")
            #expect(verdict("missing the required scope 'write'").contains { $0.contains("insufficient_scope:") }, "\(result)")
            #expect(verdict("unknown kid").contains { $0.contains("key_not_found:") }, "\(result)")
            #expect(verdict("alg: none").contains { $0.contains("unsupported_algorithm:") }, "\(result)")
        }
    }
}
