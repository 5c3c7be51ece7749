import Foundation
import LayabAuth
import TestSupport
import Testing

/// `ClientCertificate` and `ClientCertificateHeader` against certificates made by the `openssl` tool, the
/// thumbprint checked against `openssl x509 -outform DER | openssl dgst -sha256 -binary`.
@Suite("Client certificates (RFC 8705)")
struct ClientCertificateTests {
    /// One CA and two clients for the whole suite: making them costs several `openssl` runs.
    final class Material: Sendable {
        let authority: TestCertificateAuthority
        let alice: TestCertificateAuthority.Issued
        let bob: TestCertificateAuthority.Issued
        let alicePEM: String
        let aliceThumbprint: String

        init() throws {
            authority = try TestCertificateAuthority()
            alice = try authority.client("alice")
            bob = try authority.client("bob")
            alicePEM = alice.certificatePEM
            aliceThumbprint = try TestCertificateAuthority.opensslThumbprint(ofCertificateFile: alice.certificatePath)
        }
    }

    static let shared = Result { try Material() }
    var material: Material { get throws { try Self.shared.get() } }

    /// The base64 body of a PEM certificate, on one line.
    static func body(_ pem: String) -> String { OpenSSLCommand.derBase64(pem) }

    /// Percent-encodes every byte outside `allowed`.
    static func escape(_ text: String, keeping allowed: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: allowed)) ?? ""
    }

    static let unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

    @Test("DER from openssl x509 -outform DER: the thumbprint is base64url SHA-256 as openssl dgst computes it")
    func derRoundTrip() throws {
        let material = try material
        let der = try TestCertificateAuthority.der(ofCertificateFile: material.alice.certificatePath)
        let certificate = try ClientCertificate(der: der)
        #expect(certificate.der == der)
        #expect(certificate.x5tS256 == material.aliceThumbprint)
        #expect(certificate.x5tS256.count == 43, "32 bytes in base64url without padding")
        #expect(try ClientCertificate(pem: material.alicePEM) == certificate)
        let bob = try ClientCertificate(pem: material.bob.certificatePEM)
        #expect(bob.x5tS256 == (try TestCertificateAuthority.opensslThumbprint(ofCertificateFile: material.bob.certificatePath)))
        #expect(bob.x5tS256 != certificate.x5tS256)
    }

    @Test("a PEM chain of two certificates gives the first (the leaf)")
    func chainGivesLeaf() throws {
        let material = try material
        let chain = material.alicePEM + material.bob.certificatePEM
        #expect(try ClientCertificate(pem: chain).x5tS256 == material.aliceThumbprint)
        let reversed = material.bob.certificatePEM + material.alicePEM
        #expect(try ClientCertificate(pem: reversed).x5tS256 != material.aliceThumbprint)
    }

    /// Each proxy's header form, written as that proxy writes it.
    enum Form: String, CaseIterable, CustomTestStringConvertible {
        case nginx, awsALB, envoy, envoyTwoElements, traefik, traefikEscaped, traefikTwoCertificates, pemFolded
        var testDescription: String { rawValue }

        func header(_ pem: String, other: String) -> (ClientCertificateHeader, String) {
            switch self {
            case .nginx:
                // $ssl_client_escaped_cert escapes like encodeURIComponent: newlines, '+', '/', '=' and spaces.
                (.nginx("X-SSL-Client-Cert"), escape(pem, keeping: unreserved))
            case .awsALB:
                // ALB keeps '+', '=' and '/' as they are.
                (.awsALB, escape(pem, keeping: unreserved + "+=/"))
            case .envoy:
                (.envoy, "By=spiffe://api.test/sa;Hash=0ab1;Cert=\"\(escape(pem, keeping: unreserved))\";Subject=\"CN=alice,O=Test\";URI=")
            case .envoyTwoElements:
                (.envoy, "Hash=0ab1;Subject=\"CN=alice;O=Te\\\"st\";Cert=\"\(escape(pem, keeping: unreserved))\","
                    + "By=spiffe://other;Cert=\"\(escape(other, keeping: unreserved))\"")
            case .traefik:
                (.traefik, body(pem))
            case .traefikEscaped:
                (.traefik, escape(body(pem), keeping: unreserved))
            case .traefikTwoCertificates:
                (.traefik, body(pem) + "," + body(other))
            case .pemFolded:
                (.init(name: "X-Client-Cert", format: .pem), pem.replacingOccurrences(of: "\n", with: " "))
            }
        }
    }

    @Test("each proxy's header form gives the presented certificate", arguments: Form.allCases)
    func headerForms(form: Form) throws {
        let material = try material
        let (header, value) = form.header(material.alicePEM, other: material.bob.certificatePEM)
        #expect(try header.certificate(from: value).x5tS256 == material.aliceThumbprint, "\(value.prefix(120))")
    }

    /// Malformed values, each with a part of the message that says what is wrong.
    struct Malformed: Sendable, CustomTestStringConvertible {
        let name: String
        let header: ClientCertificateHeader
        let value: @Sendable (String) -> String
        let expected: String
        var testDescription: String { name }
    }

    static let malformed: [Malformed] = [
        .init(name: "empty nginx header", header: .nginx("X-SSL-Client-Cert"), value: { _ in "" }, expected: "no PEM CERTIFICATE block"),
        .init(name: "garbage text", header: .awsALB, value: { _ in "hello%20world" }, expected: "no PEM CERTIFICATE block"),
        .init(name: "a public key, not a certificate", header: .init(name: "X-Client-Cert", format: .pem),
              value: { _ in "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n" },
              expected: "holds a PUBLIC KEY block, not a CERTIFICATE"),
        .init(name: "END of another label", header: .init(name: "X-Client-Cert", format: .pem),
              value: { $0.replacingOccurrences(of: "END CERTIFICATE", with: "END PUBLIC KEY") }, expected: "ends with another label"),
        .init(name: "no END line", header: .init(name: "X-Client-Cert", format: .pem),
              value: { String($0.prefix(200)) }, expected: "has no END line"),
        .init(name: "base64 broken inside the armour", header: .init(name: "X-Client-Cert", format: .pem),
              value: { $0.replacingOccurrences(of: "-----BEGIN CERTIFICATE-----\n", with: "-----BEGIN CERTIFICATE-----\n*") },
              expected: "is not"),
        .init(name: "truncated certificate", header: .init(name: "X-Client-Cert", format: .pem),
              value: { pem in
                  let lines = pem.split(separator: "\n")
                  return ([lines[0]] + lines[1...3] + [lines[lines.count - 1]]).joined(separator: "\n")
              }, expected: "not a DER X.509 certificate"),
        .init(name: "a lone % in nginx's value", header: .nginx("X-SSL-Client-Cert"), value: { escapeAll($0) + "%4" },
              expected: "not valid percent-encoding"),
        .init(name: "XFCC without Cert", header: .envoy, value: { _ in "Hash=0ab1;Subject=\"CN=alice\";URI=" },
              expected: "first x-forwarded-client-cert element has no Cert"),
        .init(name: "XFCC with Cert only in the second element", header: .envoy,
              value: { "Hash=0ab1,Cert=\"\(escapeAll($0))\"" }, expected: "first x-forwarded-client-cert element has no Cert"),
        .init(name: "XFCC with an unclosed quote", header: .envoy, value: { "Cert=\"\(escapeAll($0))" }, expected: "quoted x-forwarded-client-cert value is not closed"),
        .init(name: "Traefik value with PEM armour", header: .traefik, value: { $0 }, expected: "not standard base64"),
        .init(name: "Traefik value with base64 after padding", header: .traefik, value: { _ in "AA==AA" }, expected: "base64 after its padding"),
        .init(name: "Traefik value that is not a certificate", header: .traefik, value: { _ in "MAMCAQE=" }, expected: "not a DER X.509 certificate"),
        .init(name: "a header of a megabyte", header: .nginx("X-SSL-Client-Cert"),
              value: { _ in String(repeating: "A", count: 1 << 20) }, expected: "1048576 bytes, more than the 65536 accepted"),
    ]

    static func escapeAll(_ text: String) -> String { escape(text, keeping: unreserved) }

    @Test("malformed and oversized header values are refused with invalid_request, saying what is wrong", arguments: malformed)
    func malformedHeaders(_ vector: Malformed) throws {
        let material = try material
        let error = #expect(throws: LayabAuthError.self) { try vector.header.certificate(from: vector.value(material.alicePEM)) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.httpStatus == 400)
        #expect(error?.message.contains(vector.expected) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(vector.header.name) == true, "the header is named: \(error?.message ?? "")")
    }

    @Test("DER that is empty, truncated, followed by other bytes or too large is refused")
    func malformedDER() throws {
        let der = try TestCertificateAuthority.der(ofCertificateFile: try material.alice.certificatePath)
        for (bytes, expected) in [([UInt8](), "empty"), (Array(der.dropLast(5)), "not a DER X.509"), (der + [0], "not a DER X.509"),
                                  ([UInt8](repeating: 0x30, count: ClientCertificate.maximumDERLength + 1), "more than the 16384 accepted")] {
            let error = #expect(throws: LayabAuthError.self) { try ClientCertificate(der: bytes) }
            #expect(error?.code == .invalidRequest)
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        }
    }
}
