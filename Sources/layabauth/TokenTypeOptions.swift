import ArgumentParser
import LayabAuth
import LayabConsole

/// The token type a token must have (RFC 8725 §3.11) and the JWT access-token profile (RFC 9068), shared by
/// verify and the inspector.
struct TokenTypeOptions: ParsableArguments {
    @Option(name: .customLong("require-typ"),
            help: ArgumentHelp("A required header typ (repeatable), compared ignoring ASCII case and an application/ prefix; a token without typ is refused.", valueName: "typ"))
    var requiredTypes: [String] = []

    @Flag(name: .customLong("access-token-profile"),
          help: "Require the JWT access-token profile (RFC 9068): typ at+jwt and the claims iss, exp, aud, sub, client_id, iat, jti.")
    var accessTokenProfile = false

    /// `configuration` with the required types and, with --access-token-profile, the profile's claims.
    func apply(to configuration: inout VerifierConfiguration) throws {
        if accessTokenProfile, !requiredTypes.isEmpty {
            throw InputError("--access-token-profile requires typ at+jwt: leave out --require-typ")
        }
        if requiredTypes.contains(where: \.isEmpty) { throw InputError("--require-typ needs a type, found an empty one") }
        configuration.requiredTypes = requiredTypes
        if accessTokenProfile { configuration.requireAccessTokenProfile() }
    }
}
