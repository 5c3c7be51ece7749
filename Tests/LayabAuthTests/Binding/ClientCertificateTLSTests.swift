import Foundation
import LayabAuth
import LayabAuthJWKS
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Our thumbprint against what a real TLS stack sees: `openssl s_server` on 127.0.0.1 requires a client
/// certificate signed by the test CA, `curl --cert` presents one, and the server reports the certificate it
/// received (its `-www` page prints the peer certificate in PEM).
@Suite("Client certificates over real TLS (RFC 8705)")
struct ClientCertificateTLSTests {
    @Test("the certificate s_server received has the x5t#S256 of ClientCertificate, as openssl dgst computes it")
    func thumbprintMatchesTLSPeer() async throws {
        let authority = try TestCertificateAuthority()
        let client = try authority.client("tls-client")
        let page = try await OwnThread.run { try Self.fetchThroughMutualTLS(authority: authority, client: client) }
        #expect(page.contains("Client certificate"), "s_server saw a client certificate: \(page.prefix(2000))")

        let received = try ClientCertificate(pem: page)
        let receivedFile = authority.directory.appendingPathComponent("received.pem").path
        try Data(page.utf8).write(to: URL(fileURLWithPath: receivedFile))
        let serverSide = try TestCertificateAuthority.opensslThumbprint(ofCertificateFile: receivedFile)
        let presented = try ClientCertificate(pem: client.certificatePEM)
        #expect(presented.x5tS256 == serverSide)
        #expect(received.x5tS256 == serverSide)
        #expect(received.der == (try TestCertificateAuthority.der(ofCertificateFile: client.certificatePath)))
        let other = try ClientCertificate(pem: try authority.client("other-client").certificatePEM)
        #expect(other.x5tS256 != serverSide, "another client certificate of the same CA has another thumbprint")
    }

    @Test("s_server refuses a connection without a client certificate, so the check above is about the presented one")
    func serverRequiresClientCertificate() async throws {
        let authority = try TestCertificateAuthority()
        let failed = try await OwnThread.run { () throws -> Bool in
            do { _ = try Self.fetchThroughMutualTLS(authority: authority, client: nil); return false } catch is CurlFailed { return true }
        }
        #expect(failed)
    }

    struct CurlFailed: Error, CustomStringConvertible { let description: String }

    /// Starts `openssl s_server` for one connection on a port of its choosing and fetches its status page with
    /// `curl`, presenting `client` when given.
    static func fetchThroughMutualTLS(authority: TestCertificateAuthority, client: TestCertificateAuthority.Issued?) throws -> String {
        let server = try ChildProcess(executable: "/usr/bin/openssl", arguments: [
            "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-www",
            "-cert", authority.server.certificatePath, "-key", authority.server.privateKeyPath,
            "-CAfile", authority.authority.certificatePath, "-Verify", "1", "-verify_return_error",
        ])
        defer { server.stop(signal: SIGTERM) }
        func text(_ child: ChildProcess) -> String { String(decoding: child.standardOutput, as: UTF8.self) }
        let listening = server.pump(until: { text($0).split(separator: "\n").contains { $0.hasPrefix("ACCEPT 127.0.0.1:") } },
                                    deadline: Date().addingTimeInterval(30))
        guard listening, let line = text(server).split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT 127.0.0.1:") }),
              let port = Int(line.dropFirst("ACCEPT 127.0.0.1:".count)) else {
            throw CurlFailed(description: "s_server did not listen: \(text(server)) \(String(decoding: server.standardError, as: UTF8.self))")
        }
        var arguments = ["--silent", "--show-error", "--max-time", "20", "--cacert", authority.authority.certificatePath]
        if let client { arguments += ["--cert", client.certificatePath, "--key", client.privateKeyPath] }
        let result = try Subprocess.runBlocking("/usr/bin/curl", arguments + ["https://127.0.0.1:\(port)/"], timeout: 30)
        guard result.status == 0 else { throw CurlFailed(description: "curl: \(result)") }
        return result.output
    }
}
