import Foundation

/// A certificate authority made by the `openssl` command line tool in a temporary directory (removed when this
/// value goes away), with a server certificate for 127.0.0.1 and client certificates it signs: the material of
/// mutual-TLS tests (RFC 8705).
///
/// Every file is PEM; keys are unencrypted EC P-256 keys. Paths are absolute, for `curl --cert`, `openssl
/// s_server` and TLS configurations of the server frameworks.
public final class TestCertificateAuthority: Sendable {
    /// A certificate with its private key.
    public struct Issued: Sendable, Hashable {
        public let certificatePath: String
        public let privateKeyPath: String
        /// The certificate, PEM.
        public var certificatePEM: String { (try? String(contentsOfFile: certificatePath, encoding: .utf8)) ?? "" }
    }

    public let directory: URL
    /// The CA's certificate (to trust, e.g. `openssl s_server -CAfile`, `curl --cacert`) and key.
    public let authority: Issued
    /// A server certificate for `IP:127.0.0.1` and `DNS:localhost`, signed by the CA.
    public let server: Issued

    /// Makes the CA and the server certificate.
    /// - Throws: ``OpenSSLCommand/Failed`` when `openssl` fails.
    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("layabauth-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try OpenSSLCommand.run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                                "-out", "ca.pem", "-days", "2", "-subj", "/CN=LayabAuth test CA",
                                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
                               in: directory)
        authority = Issued(certificatePath: directory.appendingPathComponent("ca.pem").path,
                           privateKeyPath: directory.appendingPathComponent("ca.key").path)
        server = try Self.issue(name: "server", subject: "/CN=127.0.0.1", in: directory,
                                extensions: ["subjectAltName=IP:127.0.0.1,DNS:localhost", "extendedKeyUsage=serverAuth"])
    }

    /// A client certificate signed by the CA, for `subject` (its CN), with `extendedKeyUsage=clientAuth`.
    /// - Parameter name: the files' base name (`<name>.pem`, `<name>.key`); one per client.
    public func client(_ name: String, subject: String? = nil) throws -> Issued {
        try Self.issue(name: name, subject: "/CN=\(subject ?? name)", in: directory, extensions: ["extendedKeyUsage=clientAuth"])
    }

    /// A certificate signed by the CA: a key and request, then `openssl x509 -req` with `extensions`.
    private static func issue(name: String, subject: String, in directory: URL, extensions: [String]) throws -> Issued {
        try OpenSSLCommand.run(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(name).key",
                                "-out", "\(name).csr", "-subj", subject], in: directory)
        let extensionFile = directory.appendingPathComponent("\(name).ext")
        try Data((extensions.joined(separator: "\n") + "\n").utf8).write(to: extensionFile)
        try OpenSSLCommand.run(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                                "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext"], in: directory)
        return Issued(certificatePath: directory.appendingPathComponent("\(name).pem").path,
                      privateKeyPath: directory.appendingPathComponent("\(name).key").path)
    }

    /// The DER of the first certificate of PEM `file`, by `openssl x509 -outform DER`: what the TLS stack sends.
    public static func der(ofCertificateFile file: String) throws -> [UInt8] {
        let result = try Subprocess.runBlocking("/usr/bin/openssl", ["x509", "-in", file, "-outform", "DER"])
        guard result.status == 0, !result.timedOut else { throw OpenSSLCommand.Failed(arguments: ["x509", "-in", file, "-outform", "DER"], status: result.status ?? -1) }
        return result.standardOutput
    }

    /// base64url (no padding) of `openssl x509 -outform DER | openssl dgst -sha256 -binary` over PEM `file`:
    /// the RFC 8705 thumbprint computed by OpenSSL's tools alone, to check ours against.
    public static func opensslThumbprint(ofCertificateFile file: String) throws -> String {
        let der = try der(ofCertificateFile: file)
        let digest = try Subprocess.runBlocking("/usr/bin/openssl", ["dgst", "-sha256", "-binary"], input: der)
        guard digest.status == 0, digest.standardOutput.count == 32 else { throw OpenSSLCommand.Failed(arguments: ["dgst", "-sha256", "-binary"], status: digest.status ?? -1) }
        return Data(digest.standardOutput).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}
