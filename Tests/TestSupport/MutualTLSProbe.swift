import Foundation
import LayabAuthJWKS

#if canImport(Glibc)
import Glibc
#endif

/// A real mutual-TLS exchange on 127.0.0.1: `openssl s_server` requires a client certificate signed by a
/// ``TestCertificateAuthority`` and `curl --cert` presents one. The server's `-www` status page reports the
/// certificate it received (in PEM), so a test can compare it with what it expected.
public enum MutualTLSProbe {
    public struct Failed: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `openssl s_server` for one connection on a port of its choosing and returns its status page as
    /// `curl` received it, `client` presented when given.
    /// - Throws: ``Failed`` when the server does not start or `curl` fails (as it does without a certificate).
    public static func statusPage(authority: TestCertificateAuthority, client: TestCertificateAuthority.Issued?) async throws -> String {
        try await OwnThread.run { try statusPageBlocking(authority: authority, client: client) }
    }

    private static func statusPageBlocking(authority: TestCertificateAuthority, client: TestCertificateAuthority.Issued?) throws -> String {
        let server = try ChildProcess(executable: "/usr/bin/openssl", arguments: [
            "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-www",
            "-cert", authority.server.certificatePath, "-key", authority.server.privateKeyPath,
            "-CAfile", authority.authority.certificatePath, "-Verify", "1", "-verify_return_error",
        ])
        defer { server.stop(signal: SIGTERM) }
        let announcement = "ACCEPT 127.0.0.1:"
        func lines(_ child: ChildProcess) -> [Substring] { String(decoding: child.standardOutput, as: UTF8.self).split(separator: "\n") }
        let listening = server.pump(until: { lines($0).contains { $0.hasPrefix(announcement) } }, deadline: Date().addingTimeInterval(30))
        guard listening, let line = lines(server).first(where: { $0.hasPrefix(announcement) }), let port = Int(line.dropFirst(announcement.count)) else {
            throw Failed(description: "s_server did not listen: \(String(decoding: server.standardError, as: UTF8.self))")
        }
        var arguments = ["--silent", "--show-error", "--max-time", "20", "--cacert", authority.authority.certificatePath]
        if let client { arguments += ["--cert", client.certificatePath, "--key", client.privateKeyPath] }
        let result = try Subprocess.runBlocking("/usr/bin/curl", arguments + ["https://127.0.0.1:\(port)/"], timeout: 30)
        guard result.status == 0 else { throw Failed(description: "curl: \(result)") }
        return result.output
    }
}
