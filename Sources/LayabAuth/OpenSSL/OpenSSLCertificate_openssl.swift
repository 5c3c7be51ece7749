internal import COpenSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The single Swift owner of an OpenSSL `X509`.
///
/// `@unchecked Sendable`: never modified after construction; only read by OpenSSL getters.
final class OpenSSLCertificate: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { X509_free(pointer) }

    static func fromDER(_ der: [UInt8]) throws -> OpenSSLCertificate {
        try der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let x509 = d2i_X509(nil, &cursor, buffer.count) else { throw OpenSSLError.drain("decoding the X.509 certificate") }
            let certificate = OpenSSLCertificate(taking: x509)
            guard cursor == buffer.baseAddress.map({ $0 + buffer.count }) else {
                throw OpenSSLError(operation: "decoding the X.509 certificate", reasons: ["trailing data"])
            }
            return certificate
        }
    }

    func publicKey() throws -> OpenSSLKey {
        guard let key = X509_get_pubkey(pointer) else { throw OpenSSLError.drain("reading the certificate's public key") }
        return OpenSSLKey.adopting(key)
    }

    /// The subject in RFC 2253 form, e.g. "CN=issuer.example,O=Example".
    var subject: String {
        guard let name = X509_get_subject_name(pointer), let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        _ = X509_NAME_print_ex(bio, name, 0, layab_XN_FLAG_RFC2253())
        return readBIO(bio)
    }

    /// Seconds since 1970 of notBefore and notAfter.
    var validity: (notBefore: Double, notAfter: Double)? {
        guard let notBefore = Self.seconds(X509_get0_notBefore(pointer)),
              let notAfter = Self.seconds(X509_get0_notAfter(pointer)) else { return nil }
        return (notBefore, notAfter)
    }

    private static func seconds(_ time: UnsafePointer<ASN1_TIME>?) -> Double? {
        guard let time else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { OpenSSLError.clear(); return nil }
        return Double(timegm(&parts))
    }
}
