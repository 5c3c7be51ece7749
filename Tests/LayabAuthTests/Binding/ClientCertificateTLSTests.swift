import Foundation
import LayabAuth
import TestSupport
import Testing

/// Our thumbprint against what a real TLS stack sees: `openssl s_server` on 127.0.0.1 requires a client
/// certificate signed by the test CA, `curl --cert` presents one, and the server reports the certificate it
/// received (its `-www` page prints the peer certificate in PEM).
@Suite("Client certificates over real TLS (RFC 8705)")
struct ClientCertificateTLSTests {
    @Test("the certificate s_server received has the x5t#S256 of ClientCertificate, as openssl dgst computes it")
    func thumbprintMatchesTLSPeer() async throws {
        let authority = try TestCertificateAuthority()
        let client = try authority.client("tls-client")
        let page = try await MutualTLSProbe.statusPage(authority: authority, client: client)
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
        await #expect(throws: MutualTLSProbe.Failed.self) { try await MutualTLSProbe.statusPage(authority: authority, client: nil) }
    }
}
