import ArgumentParser
import Foundation
import LayabAuth
import LayabConsole

struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Create a signed token (JWT) from claims and a private key, an HMAC secret or a fresh key.",
        discussion: """
        The token is the only output on standard output. Options override members of --claims. Unless set, iat is now and exp one hour later. Times: a duration from now (15m, 2h, -5m, 1h30m), now, ISO 8601 (2026-12-07T10:00:00Z) or seconds since 1970.

        The algorithm follows from the key: EC keys their curve's ES*, Ed25519/Ed448 EdDSA, a 32 to 47-byte secret HS256; RSA keys and longer secrets need --algorithm. Keys are read from files or - (standard input) only, and never printed.

        Examples:
          layabauth sign --generate ES256 --public-jwks jwks.json --iss https://issuer.test --aud api --scope read
          layabauth sign --key private.pem --algorithm PS256 --claims @claims.json --exp 15m
          layabauth sign --secret-file secret.txt --sub alice --exp -5m | layabauth verify - --secret-file secret.txt
        """
    )

    @Option(help: ArgumentHelp("Claims: a JSON object, @path, or - for standard input.", valueName: "json|@file|-"))
    var claims: String?

    @Option(name: .customLong("iss"), help: ArgumentHelp("The issuer claim.", valueName: "issuer"))
    var issuer: String?

    @Option(name: .customLong("sub"), help: ArgumentHelp("The subject claim.", valueName: "subject"))
    var subject: String?

    @Option(name: .customLong("aud"), help: ArgumentHelp("An audience (repeatable; several make an array).", valueName: "audience"))
    var audiences: [String] = []

    @Option(name: .customLong("scope"), help: ArgumentHelp("A scope (repeatable; joined with spaces in scope).", valueName: "scope"))
    var scopes: [String] = []

    // `.unconditional`: a duration in the past (`--exp -5m`) would otherwise be taken for an option.
    @Option(name: .customLong("exp"), parsing: .unconditional, help: ArgumentHelp("Expiry: a duration from now or a time. Default: 1h after iat.", valueName: "duration|time"))
    var expiry: String?

    @Option(name: .customLong("nbf"), parsing: .unconditional, help: ArgumentHelp("Not before: a duration from now or a time.", valueName: "duration|time"))
    var notBefore: String?

    @Option(name: .customLong("iat"), parsing: .unconditional, help: ArgumentHelp("Issued at: now (the default) or a time.", valueName: "now|time"))
    var issuedAt: String?

    @Option(name: .customLong("jti"), help: ArgumentHelp("Token id: auto for a random one, or the id.", valueName: "auto|id"))
    var tokenID: String?

    @Option(name: .customLong("typ"), help: ArgumentHelp("The header typ (default JWT; at+jwt for RFC 9068 access tokens).", valueName: "typ"))
    var type: String?

    @Option(help: ArgumentHelp("The header kid. Default: the JWK's kid, or the thumbprint of a generated key.", valueName: "kid"))
    var kid: String?

    @Option(name: .customLong("header"), help: ArgumentHelp("An extra header member (repeatable), such as cty='\"JWT\"'.", valueName: "name=json"))
    var headers: [String] = []

    @Option(name: .customLong("key"), help: ArgumentHelp("A PEM private key or private JWK file, or - for standard input.", valueName: "file"))
    var keyFile: String?

    @Option(name: .customLong("secret-file"), help: ArgumentHelp("A file holding an HMAC secret (one trailing line break is ignored), or -.", valueName: "file"))
    var secretFile: String?

    @Option(help: ArgumentHelp("Sign with a fresh key for this algorithm; needs --public-jwks.", valueName: "alg"))
    var generate: String?

    @Option(name: .customLong("public-jwks"), help: ArgumentHelp("Write the signing key's public JWK Set to this file (for verify --jwks).", valueName: "file"))
    var publicJWKS: String?

    @Option(help: ArgumentHelp("The algorithm, when the key allows several.", valueName: "alg"))
    var algorithm: String?

    @OptionGroup(title: "Sender-constrained tokens")
    var confirmation: ConfirmationOptions

    @Flag(help: "Print JSON: token, header and claims.")
    var json = false

    /// Without exp a verifier refuses the token (exp is required by default): one hour unless asked otherwise.
    static let defaultLifetime: Int64 = 3600

    func run() throws {
        let key = try signingKey()
        let now = Int64(Date().timeIntervalSince1970)
        let claims = try tokenClaims(now: now)
        var header = JSONObject()
        for argument in headers {
            let member = try JSONArgument.member(argument, option: "--header")
            guard member.name != "alg" else { throw InputError("--header cannot set alg: the algorithm is --algorithm's, or the key's") }
            header[member.name] = member.value
        }
        if let type { header["typ"] = .string(type) }
        if let kid = kid ?? (generate != nil ? key.verificationKey.thumbprint : nil) { header["kid"] = .string(kid) }
        if let publicJWKS { try writePublicJWKS(of: key, kid: header["kid"]?.stringValue ?? key.kid, to: publicJWKS) }
        let token: String
        do { token = try key.sign(claims: claims, extraHeader: header) } catch {
            Output.error(error.message)
            throw Output.rejected
        }
        if json {
            let decoded = try Verifier.decodeUnverified(token)
            Output.json(["token": .string(token), "header": .object(decoded.header.members), "claims": .object(claims)])
        } else {
            Output.line(token)
        }
    }

    /// The key of `--key`, `--secret-file` or `--generate`, exactly one of which must be given.
    private func signingKey() throws -> SigningKey {
        let given = [keyFile.map { _ in "--key" }, secretFile.map { _ in "--secret-file" }, generate.map { _ in "--generate" }].compactMap { $0 }
        guard given.count == 1 else {
            throw InputError(given.isEmpty ? "no key to sign with: give --key <file>, --secret-file <file> or --generate <alg> --public-jwks <file>"
                : "give one key, not \(given.joined(separator: " and "))")
        }
        if claims == "-", keyFile == "-" || secretFile == "-" { throw InputError("standard input can hold the claims or the key, not both") }
        let requested = try algorithm.map { try Algorithm.argument($0, option: "--algorithm") }
        if let keyFile { return try SigningKeyFile.privateKey(keyFile, algorithm: requested, kid: kid) }
        if let secretFile {
            if publicJWKS != nil { throw InputError("--public-jwks: an HMAC secret has no public key to publish") }
            return try SigningKeyFile.secret(secretFile, algorithm: requested, kid: kid)
        }
        let generated = try Algorithm.argument(generate ?? "", option: "--generate")
        if let requested, requested != generated { throw InputError("--algorithm \(requested.rawValue) differs from --generate \(generated.rawValue)") }
        guard generated.family != .hmac else { throw InputError("--generate makes key pairs; for \(generated.rawValue) write a secret to a file and give --secret-file") }
        guard publicJWKS != nil else { throw InputError("--generate needs --public-jwks <file>: without the public key no one could verify the token") }
        do { return try SigningKey.generate(generated) } catch { throw InputError("--generate \(generated.rawValue): \(error.message)") }
    }

    /// `--claims` with every claim option applied over it.
    private func tokenClaims(now: Int64) throws -> JSONObject {
        var claims = try claims.map { try JSONArgument.object($0, option: "--claims") } ?? JSONObject()
        if let issuer { claims["iss"] = .string(issuer) }
        if let subject { claims["sub"] = .string(subject) }
        if audiences.count == 1 { claims["aud"] = .string(audiences[0]) }
        if audiences.count > 1 { claims["aud"] = .array(audiences.map(JSONValue.string)) }
        if !scopes.isEmpty { claims["scope"] = .string(scopes.joined(separator: " ")) }
        if let issuedAt { claims["iat"] = .integer(try TimeArgument.seconds(issuedAt, option: "--iat", now: now)) }
        if claims["iat"] == nil { claims["iat"] = .integer(now) }
        if let notBefore { claims["nbf"] = .integer(try TimeArgument.seconds(notBefore, option: "--nbf", now: now)) }
        if let expiry { claims["exp"] = .integer(try TimeArgument.seconds(expiry, option: "--exp", now: now)) }
        if claims["exp"] == nil { claims["exp"] = .integer(now + Self.defaultLifetime) }
        if let tokenID { claims["jti"] = .string(tokenID == "auto" ? UUID().uuidString.lowercased() : tokenID) }
        return try confirmation.applied(to: claims)
    }

    /// Writes the public JWK Set of `key`, with `kid`, `alg` and `use: sig`, for `verify --jwks`.
    private func writePublicJWKS(of key: SigningKey, kid: String?, to path: String) throws {
        var jwk = key.verificationKey.publicJWK
        if let kid { jwk["kid"] = .string(kid) }
        jwk["alg"] = .string(key.algorithm.rawValue)
        jwk["use"] = "sig"
        let document = JSONValue.object(["keys": [.object(jwk)]]).prettyJSONText() + "\n"
        do { try Data(document.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw InputError("cannot write the public JWK Set to \(path): \(error.localizedDescription)")
        }
    }
}
