import ArgumentParser
import Foundation
import LayabAuth
import LayabConsole

/// `verify --dpop`, `--htm`, `--htu`, `--client-cert` and `--dpop-nonce` (and the inspector's): the request a
/// sender-constrained token (RFC 9449 DPoP, RFC 8705 certificate-bound) comes with, checked as a server would.
struct BindingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The request's DPoP proof: the proof, @path, or - for standard input. The token is then sent with the DPoP scheme.",
                               valueName: "proof|@file|-"))
    var dpop: String?

    @Option(help: ArgumentHelp("The request's HTTP method, compared with the proof's htm (with --dpop).", valueName: "method"))
    var htm: String?

    @Option(help: ArgumentHelp("The request's URL as the server sees it, compared with the proof's htu (with --dpop).", valueName: "url"))
    var htu: String?

    @Option(name: .customLong("client-cert"), help: ArgumentHelp("The TLS client certificate of the request (PEM or DER file), compared with cnf.x5t#S256.",
                                                                 valueName: "file"))
    var clientCertificate: String?

    @Option(name: .customLong("dpop-nonce"), help: ArgumentHelp("The nonce the server handed out (DPoP-Nonce): the proof must carry it.", valueName: "nonce"))
    var dpopNonce: String?

    /// Whether any of these options was given.
    var isGiven: Bool { dpop != nil || htm != nil || htu != nil || clientCertificate != nil || dpopNonce != nil }

    /// The request these options describe, read and checked now (a usage error before any token is judged).
    func request() throws -> BindingRequest {
        let thumbprint = try clientCertificate.map { try ConfirmationOptions.certificateThumbprint($0, option: "--client-cert") }
        guard let dpop else {
            if htm != nil || htu != nil || dpopNonce != nil { throw InputError("--htm, --htu and --dpop-nonce describe the request of a DPoP proof: add --dpop") }
            return BindingRequest(clientCertificateThumbprint: thumbprint)
        }
        guard let htm, let htu else { throw InputError("--dpop needs the request it was made for: --htm <method> and --htu <url>") }
        let text = try TokenInput.readText(TokenInput.Source(argument: dpop), limit: SenderConstraintPolicy().maximumProofSize + 1024)
        let proof = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !proof.isEmpty else { throw InputError("--dpop holds no proof") }
        return BindingRequest(proof: proof, method: htm, uri: htu, clientCertificateThumbprint: thumbprint, nonce: dpopNonce)
    }
}
