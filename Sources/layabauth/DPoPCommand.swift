import ArgumentParser
import Foundation
import LayabAuth
import LayabConsole

/// `layabauth dpop`: a DPoP proof (RFC 9449 §4) for one request, as a client sends it in the `DPoP` header.
/// A command of its own rather than `sign --dpop`: a proof shares no option with an access token (no iss,
/// aud, exp or cnf; its key travels in the header), and its output goes straight into a request header.
struct DPoPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dpop",
        abstract: "Create a DPoP proof (RFC 9449) for one request: the value of its DPoP header.",
        discussion: """
        The proof is the only output on standard output, so that it fits a header: curl -H "DPoP: $(layabauth dpop ...)". Keys are read from files or - (standard input) only; private keys are never printed.

        Examples:
          layabauth dpop --generate ES256 --save-key dpop.pem --public-jwk dpop.jwk --method GET --url https://api.example/orders
          layabauth sign --key issuer.pem --cnf-jkt dpop.jwk --aud api > token.txt
          layabauth dpop --key dpop.pem --method GET --url https://api.example/orders --access-token @token.txt
        """
    )

    @Option(help: ArgumentHelp("The request's HTTP method (htm).", valueName: "method"))
    var method: String

    @Option(help: ArgumentHelp("The request's URL (htu); query and fragment are left out of htu.", valueName: "url"))
    var url: String

    @Option(name: .customLong("access-token"),
            help: ArgumentHelp("The access token sent with the proof (its hash is ath): a token, @path, or -.", valueName: "token|@file|-"))
    var accessToken: String?

    @Option(help: ArgumentHelp("The nonce the server sent in DPoP-Nonce.", valueName: "nonce"))
    var nonce: String?

    @Option(name: .customLong("key"), help: ArgumentHelp("The DPoP key: a PEM private key or private JWK file, or - for standard input.", valueName: "file"))
    var keyFile: String?

    @Option(help: ArgumentHelp("Sign with a fresh key for this algorithm (ES256, EdDSA, PS256, ...).", valueName: "alg"))
    var generate: String?

    @Option(name: .customLong("save-key"), help: ArgumentHelp("Write the generated private key (PEM, mode 0600) to this new file, for the next proofs.", valueName: "file"))
    var saveKey: String?

    @Option(name: .customLong("public-jwk"), help: ArgumentHelp("Write the key's public JWK to this file (for sign --cnf-jkt).", valueName: "file"))
    var publicJWK: String?

    @Option(help: ArgumentHelp("The algorithm, when the key allows several.", valueName: "alg"))
    var algorithm: String?

    @Flag(help: "Print JSON: proof, jkt (the key's RFC 7638 thumbprint), header and claims.")
    var json = false

    func run() throws {
        if accessToken == "-", keyFile == "-" { throw InputError("standard input can hold the access token or the key, not both") }
        let key = try signingKey()
        if let reason = DPoPProof.requestError(method: method, url: url, key: key) { throw InputError(reason) }
        let token = try accessToken.map { argument -> String in
            let text = try TokenInput.readText(TokenInput.Source(argument: argument))
            switch TokenInput.credential(text) {
            case let .success(token): return token
            case let .failure(error): throw InputError("--access-token: \(error.message)")
            }
        }
        if let saveKey { try Self.writePrivateKey(of: key, to: saveKey) }
        if let publicJWK { try Self.write(JSONValue.object(Self.publicJWK(of: key)).prettyJSONText() + "\n", to: publicJWK, option: "--public-jwk") }
        let proof: String
        do { proof = try DPoPProof.make(method: method, url: url, accessToken: token, nonce: nonce, key: key) } catch {
            Output.error(error.message)
            throw Output.rejected
        }
        if json {
            let decoded = try Verifier.decodeUnverified(proof)
            Output.json(["proof": .string(proof), "jkt": .string(key.verificationKey.thumbprint), "header": .object(decoded.header.members),
                         "claims": decoded.claims.map { .object($0.members) } ?? .null])
        } else {
            Output.line(proof)
        }
    }

    /// The key of `--key` or `--generate`, exactly one of which must be given.
    private func signingKey() throws -> SigningKey {
        let requested = try algorithm.map { try Algorithm.argument($0, option: "--algorithm") }
        switch (keyFile, generate) {
        case (nil, nil): throw InputError("no key to sign the proof with: give --key <file> or --generate <alg>")
        case (_?, _?): throw InputError("give one key, not --key and --generate")
        case let (keyFile?, nil):
            if saveKey != nil { throw InputError("--save-key is for a generated key; --key names a key file already") }
            let key = try SigningKeyFile.privateKey(keyFile, algorithm: requested, kid: nil)
            if key.algorithm.family == .hmac { throw InputError("--key: a DPoP proof is signed with an asymmetric private key, not an HMAC secret") }
            return key
        case let (nil, name?):
            let generated = try Algorithm.argument(name, option: "--generate")
            if let requested, requested != generated { throw InputError("--algorithm \(requested.rawValue) differs from --generate \(generated.rawValue)") }
            guard generated.family != .hmac else { throw InputError("--generate: a DPoP key is asymmetric; \(generated.rawValue) is HMAC") }
            do { return try SigningKey.generate(generated) } catch { throw InputError("--generate \(generated.rawValue): \(error.message)") }
        }
    }

    /// The public JWK of `key` with its `alg`: what `sign --cnf-jkt` takes the thumbprint of.
    static func publicJWK(of key: SigningKey) -> JSONObject {
        var jwk = key.verificationKey.publicJWK
        jwk["kid"] = nil
        jwk["alg"] = .string(key.algorithm.rawValue)
        return jwk
    }

    /// Writes the private key to a new file readable by its owner only; an existing file is never replaced.
    private static func writePrivateKey(of key: SigningKey, to path: String) throws {
        guard let pem = key.privateKeyPEM else { throw InputError("--save-key: the \(key.algorithm.rawValue) key has no PEM form") }
        if FileManager.default.fileExists(atPath: path) { throw InputError("--save-key \(path) exists already: a key file is never replaced") }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              (attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600
        else {
            throw InputError("--save-key \(path): cannot create the file")
        }
        try write(pem, to: path, option: "--save-key")
    }

    private static func write(_ text: String, to path: String, option: String) throws {
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
            throw InputError("\(option) \(path): cannot write it: \(error.localizedDescription)")
        }
    }
}
