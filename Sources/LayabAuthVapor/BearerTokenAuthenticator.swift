#if Vapor
import LayabAuth
import LayabAuthJWKS
import Vapor

extension VerifiedToken: Authenticatable {}

/// Authenticates `Authorization: Bearer <JWT>` requests: the Vapor counterpart of layabauth's Flask
/// `requires_authentication(jwks_uri)` (with `flask.g.token_body` becoming `req.auth.get(VerifiedToken.self)`).
///
/// - No `Authorization` header (or another scheme): the request passes on unauthenticated; guard
///   protected routes with ``RequireBearerToken``.
/// - A malformed header, an invalid or expired token: 400/401 with the RFC 6750 challenge. Keys
///   unavailable: 503, never 500.
/// - A valid token: the `VerifiedToken` is logged in (`req.auth`), and so is the user `createUser`
///   builds from it, when given.
/// - A ``BearerAuthenticationError`` thrown further down (`Request.requireScopes(_:realm:)` inside a
///   handler) is answered here with the RFC 6750 status, `WWW-Authenticate` and JSON body, before
///   Vapor's `ErrorMiddleware` could write its own `{"error": true, "reason": …}`.
///
/// ```swift
/// let protected = app.grouped(BearerTokenAuthenticator(verifier: verifier), RequireBearerToken())
/// protected.get("me") { req in try req.auth.require(VerifiedToken.self).claims.subject ?? "" }
/// ```
public struct BearerTokenAuthenticator: AsyncMiddleware {
    let verifier: any TokenVerifying
    let realm: String?
    let disclosure: LayabAuthError.Disclosure
    let constraints: SenderConstraints
    let createUser: (@Sendable (VerifiedToken, Request) async throws -> (any Authenticatable)?)?
    let scopes: (@Sendable (_ token: String, _ tokenBody: Claims) -> [String])?

    /// - Parameters:
    ///   - verifier: shared by every request of the application (one key cache).
    ///   - realm: the `realm` of `WWW-Authenticate` challenges, also for the guards and handler checks
    ///     behind this middleware that name none.
    ///   - disclosure: what a refused client is told: by default (`.limited`) the failed check and what the
    ///     token carried, never the expected audience or issuer, the known kids or a key's size; `.full` sends
    ///     the whole message (for development). The whole message is logged at debug level either way.
    ///   - cachingVerifiedTokens: give a `JWKSVerifier` that has no `VerifiedTokenCache` one of the
    ///     default capacity (on by default: clients send the same token with every request).
    ///   - senderConstraints: DPoP (RFC 9449) and certificate-bound tokens (RFC 8705): the policy, the origin
    ///     clients call, where the client certificate comes from. By default Bearer only, and a token bound to a
    ///     key or certificate is refused, its binding unproven.
    ///   - createUser: builds a user from the verified token, logged in beside it.
    public init(verifier: any TokenVerifying, realm: String? = nil, disclosure: LayabAuthError.Disclosure = .limited,
                cachingVerifiedTokens: Bool = true, senderConstraints: SenderConstraints = .bearerOnly,
                createUser: (@Sendable (VerifiedToken, Request) async throws -> (any Authenticatable)?)? = nil)
    {
        self.verifier = cachingVerifiedTokens ? verifier.cachingVerifiedTokens() : verifier
        self.realm = realm
        self.disclosure = disclosure
        constraints = senderConstraints
        self.createUser = createUser
        scopes = nil
    }

    /// Logs in the application's own user type, built from the raw token and its claims, with the scopes
    /// granted to it: layabauth's `create_user(token, token_body)` and `scopes(token, token_body)`.
    ///
    /// ```swift
    /// app.grouped(BearerTokenAuthenticator(
    ///     verifier: verifier,
    ///     createUser: { token, tokenBody in User(id: tokenBody.subject ?? "") },
    ///     scopes: { token, tokenBody in ScopeExtractor.strings(tokenBody["roles"]) }))
    /// ```
    /// - Parameters:
    ///   - verifier: shared by every request of the application (one key cache).
    ///   - realm: the `realm` of `WWW-Authenticate` challenges.
    ///   - disclosure: what a refused client is told, as in ``init(verifier:realm:disclosure:cachingVerifiedTokens:senderConstraints:createUser:)``.
    ///   - cachingVerifiedTokens: as in ``init(verifier:realm:disclosure:cachingVerifiedTokens:senderConstraints:createUser:)``.
    ///   - createUser: builds the user (`req.auth.require(User.self)`) from the raw token and its claims.
    ///   - scopes: the scopes granted, which ``RequireScopes`` and `Request.requireScopes(_:realm:)` check
    ///     and the logged-in `VerifiedToken` carries; without it, the scopes the verifier's
    ///     `ScopeExtractor` found.
    public init<User: Authenticatable & SendableMetatype>(verifier: any TokenVerifying, realm: String? = nil,
                                       disclosure: LayabAuthError.Disclosure = .limited, cachingVerifiedTokens: Bool = true,
                                       senderConstraints: SenderConstraints = .bearerOnly,
                                       createUser: @escaping @Sendable (_ token: String, _ tokenBody: Claims) async throws -> User,
                                       scopes: (@Sendable (_ token: String, _ tokenBody: Claims) -> [String])? = nil)
    {
        self.verifier = cachingVerifiedTokens ? verifier.cachingVerifiedTokens() : verifier
        self.realm = realm
        self.disclosure = disclosure
        constraints = senderConstraints
        self.createUser = { token, _ in try await createUser(token.raw, token.claims) }
        self.scopes = scopes
    }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let realm { request.storage[AuthenticatorRealm.self] = realm }
        if constraints.policy.acceptsDPoP { request.storage[AuthenticatorConstraints.self] = constraints }
        do {
            // No header or another scheme (Basic…) is not ours: leave it to other authenticators.
            let credentials = RequestCredentials(authorizationValues: request.headers[.authorization], dpopHeaderValues: request.headers["DPoP"],
                                                 method: request.method.rawValue, target: request.url.path,
                                                 certificateHeaderValues: constraints.certificateHeaderName.map { request.headers[$0] } ?? [],
                                                 clientCertificateDER: constraints.readsTLSConnection ? request.clientCertificateDER : nil)
            if var token = try await verifier.verify(credentials, constraints: constraints, logger: request.logger) {
                if let scopes { token = token.granting(scopes(token.raw, token.claims)) }
                request.auth.login(token)
                if let createUser, let user = try await createUser(token, request) { request.auth.login(user) }
            }
        } catch let error as LayabAuthError {
            // A verifier that finds no credentials after all (a test double) leaves the request unauthenticated.
            if error.code != .missingToken {
                // The client is told only that the keys are unavailable; the cause is for the operator. Every
                // refusal's whole story is logged at debug by the verifier's server path.
                if error.httpStatus == 503 { request.logger.warning("bearer token not verified: \(error.message)") }
                return BearerAuthenticationError(error, realm: realm, disclosure: disclosure).response
            }
        }
        do {
            return try await next.respond(to: request)
        } catch let error as BearerAuthenticationError {
            // Only LayabAuth throws this type, so rendering it here is what the thrower meant: the same
            // answer the route middlewares give.
            guard error.realm == nil else { return error.response }
            let answered = error.error.dpop == nil ? constraints.policy.answering(error.error, presentation: nil) : error.error
            return BearerAuthenticationError(answered, realm: realm, disclosure: disclosure).response
        }
    }
}

/// The realm of the ``BearerTokenAuthenticator`` a request passed through: the guards and handler checks
/// behind it that name no realm of their own use it, so every challenge of a route names the same realm.
enum AuthenticatorRealm: StorageKey {
    typealias Value = String
}

/// The sender constraints of the ``BearerTokenAuthenticator`` a request passed through, when it accepts DPoP:
/// the guards behind it then challenge DPoP beside Bearer (RFC 9449 §7.1).
enum AuthenticatorConstraints: StorageKey {
    typealias Value = SenderConstraints
}

extension Request {
    /// `realm`, or else the realm of the authenticator the request passed through.
    func challengeRealm(_ realm: String?) -> String? { realm ?? storage[AuthenticatorRealm.self] }

    /// A guard's way on: `next` when `check` passes, its ``BearerAuthenticationError`` rendered otherwise.
    func passing(_ next: any Responder, _ check: (Request) throws -> Void) -> EventLoopFuture<Response> {
        do { try check(self) } catch let error as BearerAuthenticationError {
            return eventLoop.makeSucceededFuture(error.response)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        return next.respond(to: self)
    }

    /// A guard's refusal, with the realm of ``challengeRealm(_:)`` and the DPoP challenge of the authenticator's
    /// constraints when it accepts DPoP.
    func refusal(_ error: LayabAuthError, realm: String?) -> BearerAuthenticationError {
        let answered = storage[AuthenticatorConstraints.self].map { $0.policy.answering(error, presentation: nil) } ?? error
        return BearerAuthenticationError(answered, realm: challengeRealm(realm))
    }
}

/// Stops unauthenticated requests with 401 and `WWW-Authenticate: Bearer realm="…"` (no error code:
/// the request carried no credentials, RFC 6750 §3.1).
///
/// A plain (not async) middleware: the check needs no waiting, and an async one would cost every request a
/// hop from the event loop to Swift's cooperative pool and back.
public struct RequireBearerToken: Middleware {
    let realm: String?

    /// - Parameter realm: the challenge's realm; without one, the realm of the ``BearerTokenAuthenticator``
    ///   in front.
    public init(realm: String? = nil) { self.realm = realm }

    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.auth.has(VerifiedToken.self) else {
            let error = request.refusal(LayabAuthError(.missingToken, "this resource requires a bearer token"), realm: realm)
            return request.eventLoop.makeSucceededFuture(error.response)
        }
        return next.respond(to: request)
    }
}

/// Stops requests whose token lacks the required scopes with 403 `insufficient_scope` (layabauth's
/// `requires_scopes`); unauthenticated requests get 401. A plain middleware, as ``RequireBearerToken``.
public struct RequireScopes: Middleware {
    let requirement: ScopeRequirement
    let realm: String?

    /// - Parameters:
    ///   - requirement: the scopes the token must grant.
    ///   - realm: the challenge's realm; without one, the realm of the ``BearerTokenAuthenticator`` in front.
    public init(_ requirement: ScopeRequirement, realm: String? = nil) {
        self.requirement = requirement
        self.realm = realm
    }

    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        request.passing(next) { try $0.requireScopes(requirement, realm: realm) }
    }
}

extension Request {
    /// The verified token, when it grants `requirement`; for checks inside a handler.
    /// - Parameter realm: the challenge's realm; without one, the realm of the ``BearerTokenAuthenticator`` in front.
    /// - Throws: ``BearerAuthenticationError``: 401 without a token, 403 `insufficient_scope` otherwise.
    @discardableResult
    public func requireScopes(_ requirement: ScopeRequirement, realm: String? = nil) throws -> VerifiedToken {
        guard let token = auth.get(VerifiedToken.self) else {
            throw refusal(LayabAuthError(.missingToken, "this resource requires a bearer token"), realm: realm)
        }
        if let error = requirement.evaluate(granted: token.scopes).error { throw refusal(error, realm: realm) }
        return token
    }
}

/// Stops requests whose login is not strong or recent enough (RFC 9470 step-up) with 401
/// `insufficient_user_authentication`, `acr_values` and `max_age` in `WWW-Authenticate`; unauthenticated
/// requests get 401 without an error code. A plain middleware, as ``RequireBearerToken``.
public struct RequireAuthentication: Middleware {
    let requirement: AuthenticationRequirement
    let leeway: Double
    let realm: String?
    let clock: @Sendable () -> Double

    /// - Parameters:
    ///   - requirement: the accepted `acr` values and the longest time since `auth_time`.
    ///   - leeway: seconds tolerated beyond `max_age` (the verifier's default, 30).
    ///   - realm: the challenge's realm; without one, the realm of the ``BearerTokenAuthenticator`` in front.
    ///   - clock: seconds since 1970 now.
    public init(_ requirement: AuthenticationRequirement, leeway: Double = 30, realm: String? = nil,
                clock: @escaping @Sendable () -> Double = SystemClock.now)
    {
        self.requirement = requirement
        self.leeway = leeway
        self.realm = realm
        self.clock = clock
    }

    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        request.passing(next) { try $0.requireAuthentication(requirement, leeway: leeway, realm: realm, now: clock()) }
    }
}

extension Request {
    /// The verified token, when its login meets `requirement` (RFC 9470); for checks inside a handler.
    /// - Parameters:
    ///   - leeway: seconds tolerated beyond `max_age`.
    ///   - realm: the challenge's realm; without one, the realm of the ``BearerTokenAuthenticator`` in front.
    ///   - now: seconds since 1970.
    /// - Throws: ``BearerAuthenticationError``: 401 without a token, 401 `insufficient_user_authentication` otherwise.
    @discardableResult
    public func requireAuthentication(_ requirement: AuthenticationRequirement, leeway: Double = 30, realm: String? = nil,
                                      now: Double = SystemClock.now()) throws -> VerifiedToken
    {
        guard let token = auth.get(VerifiedToken.self) else {
            throw refusal(LayabAuthError(.missingToken, "this resource requires a bearer token"), realm: realm)
        }
        do { try requirement.check(token.claims, now: now, leeway: leeway) } catch {
            throw refusal(error, realm: realm)
        }
        return token
    }
}

/// Stops requests whose token is bound to nothing (RFC 9449 DPoP, RFC 8705 certificate-bound tokens are
/// required here) with 401 `invalid_token`; the authenticator in front has proven the binding of any token
/// that has one. Unauthenticated requests get 401 without an error code. A plain middleware.
public struct RequireSenderConstrainedToken: Middleware {
    let realm: String?

    /// - Parameter realm: the challenge's realm; without one, the realm of the ``BearerTokenAuthenticator`` in front.
    public init(realm: String? = nil) { self.realm = realm }

    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let token = request.auth.get(VerifiedToken.self) else {
            let error = request.refusal(LayabAuthError(.missingToken, "this resource requires a bearer token"), realm: realm)
            return request.eventLoop.makeSucceededFuture(error.response)
        }
        guard token.binding != nil else { return request.eventLoop.makeSucceededFuture(request.refusal(.senderConstraintRequired, realm: realm).response) }
        return next.respond(to: request)
    }
}
#endif
