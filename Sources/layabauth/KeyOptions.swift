import ArgumentParser
import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabConsole

/// Where the keys come from, shared by the commands that verify.
struct KeyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("JWKS URI: https://, http://, file:// or a path.", valueName: "uri"))
    var jwks: String?

    @Option(help: ArgumentHelp("Issuer URL. Alone: OIDC discovery of its keys; in every case iss must equal it.", valueName: "url"))
    var issuer: String?

    @Option(name: .customLong("key"), help: ArgumentHelp("A PEM public key or certificate, a JWK, a JWK Set, or an OpenSSH public key (ssh-rsa, ecdsa-sha2-nistp256/384/521, ssh-ed25519) file.", valueName: "file"))
    var keyFile: String?

    @Option(name: .customLong("secret-file"), help: ArgumentHelp("A file holding an HMAC secret (one trailing line break is ignored).", valueName: "path"))
    var secretFile: String?

    @Option(name: .customLong("ca-bundle"), help: ArgumentHelp("PEM CA certificates to trust for https key retrieval.", valueName: "file"))
    var caBundle: String?

    var hasStaticKeys: Bool { keyFile != nil || secretFile != nil }
    var hasAnyKeys: Bool { hasStaticKeys || jwks != nil || issuer != nil }

    /// The key source these options describe, or nil when none was given, and the keys of `--key` and
    /// `--secret-file` that a verifier refuses as too weak, kept apart: the tools check tokens against them
    /// too (``VerificationReport/checkingWeakKeys(_:)``), so that such a file is not refused before any token is looked at.
    func makeSource(policy: KeyPolicy) throws -> (source: (any KeySource)?, weakKeys: [WeakKey]) {
        let options = try Self.httpOptions(caBundle: caBundle)
        if hasStaticKeys {
            if jwks != nil { throw InputError("give either --jwks or --key/--secret-file, not both") }
            var keys = DebuggingKeys()
            if let keyFile { keys = keys.merging(try KeyFile.loadKeepingWeakKeys(path: keyFile, policy: policy)) }
            if let secretFile { keys = keys.merging(try KeyFile.secretKeepingWeakness(path: secretFile)) }
            return (StaticKeySource(keys.keys, location: [keyFile, secretFile].compactMap { $0 }.joined(separator: ", ")), keys.weakKeys)
        }
        if let jwks {
            do { return (try RemoteKeySource(uri: jwks, options: options, keyPolicy: policy), []) } catch { throw InputError(error.message) }
        }
        if let issuer { return (try DiscoveryKeySource(issuer: try DiscoverableIssuer.validated(issuer), options: options, keyPolicy: policy), []) }
        return (nil, [])
    }

    /// HTTP options with the CA bundle checked now: a mistyped path is a configuration error, not a
    /// silently ignored option or a TLS failure later.
    static func httpOptions(caBundle: String?) throws -> HTTPOptions {
        if let caBundle, !FileManager.default.isReadableFile(atPath: caBundle) {
            throw InputError("cannot read the CA bundle \(caBundle): no such file or not readable")
        }
        return HTTPOptions(caBundlePath: caBundle)
    }
}

/// What a token must satisfy, shared by verify and the inspector.
struct CheckOptions: ParsableArguments {
    @Option(help: ArgumentHelp("An accepted audience (repeatable); aud must contain one.", valueName: "aud"))
    var audience: [String] = []

    @Option(help: ArgumentHelp("A required scope (repeatable); all must be granted.", valueName: "scope"))
    var scope: [String] = []

    @Option(help: ArgumentHelp("Clock skew tolerated for exp, nbf and iat, in seconds.", valueName: "seconds"))
    var leeway: Double = 30

    @Option(help: ArgumentHelp("An accepted algorithm (repeatable). Default: every asymmetric one, plus HS* with --secret-file.", valueName: "alg"))
    var algorithm: [String] = []

    func configuration(issuer: String?, allowHMAC: Bool) throws -> VerifierConfiguration {
        var algorithms = Algorithm.asymmetric
        if !algorithm.isEmpty {
            algorithms = []
            for name in algorithm { algorithms.insert(try Algorithm.argument(name, option: "--algorithm")) }
        } else if allowHMAC {
            algorithms.formUnion([.hs256, .hs384, .hs512])
        }
        guard leeway >= 0, leeway.isFinite else { throw InputError("--leeway must be a number of seconds, 0 or more") }
        return VerifierConfiguration(algorithms: algorithms, issuers: issuer.map { [$0] } ?? [], audiences: audience, leeway: leeway)
    }

    var requirement: ScopeRequirement? { scope.isEmpty ? nil : ScopeRequirement(scope, mode: .all) }
}
