import Foundation
import LayabAuth

/// Reads an introspection endpoint's HTTP answer (RFC 7662 §2.2, RFC 9701 §5) into an `IntrospectionAnswer`.
enum IntrospectionResponse {
    /// - Parameters:
    ///   - clientID: the resource server's client identifier, the `aud` a signed answer must carry.
    ///   - configuration: the resource server's configuration (allowed algorithms, key policy) for a signed answer.
    ///   - issuer: the issuer whose discovery document named the endpoint: an answer without `iss` (optional in
    ///     RFC 7662 §2.2) is that issuer's, and gets it as `iss`, so that the issuer rule holds it to the accepted ones.
    /// - Throws: `introspection_unavailable` for anything but a well-formed answer with a boolean `active`.
    static func read(_ response: HTTPResponse, endpoint: String, clientID: String, signed: SignedIntrospectionResponses?,
                     configuration: VerifierConfiguration, issuer: String? = nil) async throws(LayabAuthError) -> IntrospectionAnswer
    {
        guard response.status == 200 else {
            throw unavailable("the introspection endpoint \(endpoint) answered HTTP \(response.status): \(response.bodyExcerpt())")
        }
        let contentType = response.headers["content-type"]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        let answer: JSONValue
        if contentType == SignedIntrospectionResponses.mediaType {
            answer = try await signedAnswer(response, endpoint: endpoint, clientID: clientID, signed: signed, configuration: configuration)
        } else {
            do { answer = try JSONParser.parse(response.body) } catch {
                throw unavailable("the introspection endpoint \(endpoint) answered no JSON (\(error)): \(response.bodyExcerpt())")
            }
        }
        guard case var .object(members) = answer else {
            throw unavailable("the introspection endpoint \(endpoint) answered \(answer.typeName), not a JSON object")
        }
        switch members["active"] {
        case .bool(true)?:
            if members["iss"] == nil, let issuer { members["iss"] = .string(issuer) }
            return .active(Claims(members))
        case .bool(false)?: return .inactive
        case let value?: throw unavailable("the introspection endpoint \(endpoint) answered \"active\": \(value.typeName), not a boolean")
        case nil: throw unavailable("the introspection endpoint \(endpoint) answered without \"active\"")
        }
    }

    /// The `token_introspection` member of a signed answer, once its signature, `typ`, `iss` and `aud` hold.
    private static func signedAnswer(_ response: HTTPResponse, endpoint: String, clientID: String, signed: SignedIntrospectionResponses?,
                                     configuration: VerifierConfiguration) async throws(LayabAuthError) -> JSONValue
    {
        guard let signed else {
            throw unavailable("the introspection endpoint \(endpoint) answered a signed JWT (RFC 9701) but no keys are configured to verify it")
        }
        let jwt = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let keys: KeySet
        do { keys = try await signed.keys.currentKeys() } catch {
            throw unavailable("the keys of the signed introspection answer cannot be obtained: \(error.message)")
        }
        let decoded: DecodedToken
        do { decoded = try Verifier(keys: keys, validated: configuration).verifySignature(jwt).token } catch {
            throw unavailable("the signed introspection answer of \(endpoint) does not verify: \(error.message)")
        }
        guard let type = decoded.header.type, type.lowercased() == "token-introspection+jwt" || type.lowercased() == SignedIntrospectionResponses.mediaType else {
            throw unavailable("the signed introspection answer of \(endpoint) has typ \"\(LayabAuthError.shown(decoded.header.type ?? "none"))\", expected \"token-introspection+jwt\"")
        }
        guard let claims = decoded.claims else {
            throw unavailable("the signed introspection answer of \(endpoint) carries no JSON object")
        }
        guard let issuer = claims.issuer, ExactString(issuer) == ExactString(signed.issuer) else {
            throw unavailable("the signed introspection answer of \(endpoint) is issued by \"\(LayabAuthError.shown(claims.issuer ?? "nobody"))\", expected \"\(signed.issuer)\"")
        }
        guard claims.audience?.contains(where: { ExactString($0) == ExactString(clientID) }) == true else {
            throw unavailable("the signed introspection answer of \(endpoint) is not addressed to the client \"\(clientID)\"")
        }
        guard let introspection = claims["token_introspection"] else {
            throw unavailable("the signed introspection answer of \(endpoint) has no \"token_introspection\"")
        }
        return introspection
    }

    static func unavailable(_ message: String) -> LayabAuthError {
        LayabAuthError(.introspectionUnavailable, message)
    }
}
