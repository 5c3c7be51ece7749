import Foundation
import LayabAuthJWKS

/// One HTTPS request by `curl` to a server on 127.0.0.1 that terminates TLS itself, presenting a client
/// certificate of a ``TestCertificateAuthority``: the client side of mutual-TLS tests of the server adapters.
public enum MutualTLSRequest {
    public struct Reply: Sendable {
        public let status: Int
        public let body: String
    }

    /// GETs `path` on `https://127.0.0.1:<port>`, trusting the CA of `authority`, presenting `client` when given
    /// and sending `authorization` as the `Authorization` header.
    /// - Throws: ``MutualTLSProbe/Failed`` when `curl` fails (no TLS, refused handshake…).
    public static func get(port: Int, path: String, authority: TestCertificateAuthority, client: TestCertificateAuthority.Issued?,
                           authorization: String) async throws -> Reply
    {
        try await OwnThread.run {
            var arguments = ["--silent", "--show-error", "--max-time", "20", "--cacert", authority.authority.certificatePath,
                             "--header", "Authorization: \(authorization)", "--write-out", "\n%{http_code}"]
            if let client { arguments += ["--cert", client.certificatePath, "--key", client.privateKeyPath] }
            let result = try Subprocess.runBlocking("/usr/bin/curl", arguments + ["https://127.0.0.1:\(port)\(path)"], timeout: 30)
            guard result.status == 0, let last = result.output.split(separator: "\n").last, let status = Int(last) else {
                throw MutualTLSProbe.Failed(description: "curl: \(result)")
            }
            return Reply(status: status, body: String(result.output.dropLast(last.count + 1)))
        }
    }
}
