import ArgumentParser
import Foundation
import LayabAuth
import LayabConsole

/// `sign --cnf-x5t` and `--cnf-jkt`: the `cnf` (confirmation, RFC 7800) claim of a sender-constrained access
/// token, bound to a client certificate (RFC 8705 §3.1) or to a DPoP key (RFC 9449 §6.1).
struct ConfirmationOptions: ParsableArguments {
    @Option(name: .customLong("cnf-x5t"),
            help: ArgumentHelp("Bind the token to a client certificate: cnf.x5t#S256 of this PEM or DER certificate file.", valueName: "file"))
    var certificateFile: String?

    @Option(name: .customLong("cnf-jkt"),
            help: ArgumentHelp("Bind the token to a DPoP key: cnf.jkt, an RFC 7638 thumbprint or a public JWK file to take it of.",
                               valueName: "thumbprint|file"))
    var keyThumbprint: String?

    /// A certificate file is a few kilobytes; anything far larger is not one.
    static let maximumCertificateFileBytes = 1 << 20

    /// `claims` with the members of `cnf` these options ask for added to its `cnf` (kept when it has one).
    func applied(to claims: JSONObject) throws -> JSONObject {
        guard certificateFile != nil || keyThumbprint != nil else { return claims }
        var claims = claims
        var confirmation: JSONObject
        switch claims["cnf"] {
        case nil: confirmation = JSONObject()
        case let .object(existing)?: confirmation = existing
        default: throw InputError("--claims has a cnf that is not an object: --cnf-x5t and --cnf-jkt add members to an object")
        }
        if let certificateFile { confirmation["x5t#S256"] = .string(try Self.certificateThumbprint(certificateFile)) }
        if let keyThumbprint { confirmation["jkt"] = .string(try Self.jwkThumbprint(keyThumbprint)) }
        claims["cnf"] = .object(confirmation)
        return claims
    }

    /// The RFC 8705 thumbprint of the certificate in `path`: PEM (its first certificate) or DER.
    /// - Parameter option: the option named in errors.
    static func certificateThumbprint(_ path: String, option: String = "--cnf-x5t") throws -> String {
        let bytes = try readBytes(path, option: option)
        do {
            let pemMarker = Array("-----BEGIN".utf8)
            let isPEM = bytes.count >= pemMarker.count && (0...(bytes.count - pemMarker.count)).contains { bytes[$0..<$0 + pemMarker.count].elementsEqual(pemMarker) }
            let certificate = isPEM ? try ClientCertificate(pem: String(decoding: bytes, as: UTF8.self)) : try ClientCertificate(der: bytes)
            return certificate.x5tS256
        } catch {
            throw InputError("\(option) \(path): \(error.message)")
        }
    }

    /// `argument` itself when it is a thumbprint (43 base64url characters, 32 bytes), else the RFC 7638
    /// thumbprint of the public JWK in the file it names.
    static func jwkThumbprint(_ argument: String) throws -> String {
        if !FileManager.default.fileExists(atPath: argument) {
            guard argument.utf8.count == 43, let bytes = try? Base64URL.decode(argument), bytes.count == 32 else {
                throw InputError("--cnf-jkt \(argument): neither a file nor an RFC 7638 thumbprint (43 base64url characters of a SHA-256)")
            }
            return argument
        }
        let text = String(decoding: try readBytes(argument, option: "--cnf-jkt"), as: UTF8.self)
        let value: JSONValue
        do { value = try JSONParser.parse(Array(text.utf8)) } catch { throw InputError("--cnf-jkt \(argument) is not valid JSON: \(error)") }
        guard var jwk = value.objectValue, jwk["keys"] == nil else { throw InputError("--cnf-jkt \(argument): give one public JWK, not a JWK Set") }
        guard jwk["kty"]?.stringValue != "oct" else { throw InputError("--cnf-jkt \(argument): a DPoP key is asymmetric, not an oct secret") }
        // The thumbprint covers the public members only; key_ops or use meant for the private half do not matter.
        jwk["key_ops"] = nil
        jwk["use"] = nil
        do { return try VerificationKey(jwk: jwk, policy: KeyPolicy(minimumRSABits: 1024)).thumbprint } catch {
            throw InputError("--cnf-jkt \(argument): \(error.message)")
        }
    }

    private static func readBytes(_ path: String, option: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw InputError("\(option) \(path): no such file or not readable") }
        defer { try? handle.close() }
        let data: Data?
        do { data = try handle.read(upToCount: maximumCertificateFileBytes + 1) } catch {
            throw InputError("\(option) \(path): cannot read it: \(error.localizedDescription)")
        }
        let bytes = Array(data ?? Data())
        guard bytes.count <= maximumCertificateFileBytes else { throw InputError("\(option) \(path) is larger than \(maximumCertificateFileBytes) bytes") }
        return bytes
    }
}
