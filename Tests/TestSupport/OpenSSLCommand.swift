import Foundation
import LayabAuthTesting

/// Certificates made by the `openssl` command line tool (`/usr/bin/openssl`), for tests of keys that
/// carry an X.509 certificate (`x5c`).
public enum OpenSSLCommand {
    public struct Failed: Error, CustomStringConvertible {
        public let arguments: [String]
        public let status: Int32
        public var description: String { "openssl \(arguments.joined(separator: " ")) exited with \(status)" }
    }

    /// A self-signed certificate (subject CN "LayabAuth x5c test") and its private key, both PEM, for a key
    /// made by `newKey` (the `-newkey` and `-pkeyopt` arguments of `openssl req`).
    public static func selfSignedCertificate(_ newKey: [String]) throws -> (certificate: String, privateKey: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("layabauth-x5c-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try run(["req", "-x509"] + newKey + ["-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=LayabAuth x5c test"],
                in: directory)
        return (try String(contentsOf: directory.appendingPathComponent("cert.pem"), encoding: .utf8),
                try String(contentsOf: directory.appendingPathComponent("key.pem"), encoding: .utf8))
    }

    /// Runs `openssl arguments…` in `directory`, its output discarded.
    /// - Throws: ``Failed`` when it exits with another status than 0.
    public static func run(_ arguments: [String], in directory: URL) throws {
        let result = try Subprocess.runBlocking("/usr/bin/openssl", arguments, directory: directory.path)
        guard result.status == 0, !result.timedOut else { throw Failed(arguments: arguments, status: result.status ?? -1) }
    }

    /// The base64 DER body of a PEM block, as `x5c` holds it (RFC 7517 §4.7).
    public static func derBase64(_ pem: String) -> String {
        pem.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
    }
}
