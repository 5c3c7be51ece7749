#if Hummingbird
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import LayabAuth
import LayabAuthJWKS

/// Authenticates `Authorization: Bearer <JWT>` requests: the Hummingbird counterpart of layabauth's
/// Starlette `OAuth2IdTokenBackend(jwks_uri, create_user, scopes)`.
///
/// - No `Authorization` header (or another scheme): the request passes on unauthenticated, so routes
///   that allow anonymous access keep working; guard protected routes with ``RequireBearerToken``.
/// - A malformed header, an invalid or expired token: the request stops with 400/401 and the RFC 6750
///   challenge. Keys unavailable: 503, never 500.
/// - A valid token: `createUser` builds `context.identity` from it; with
///   ``init(verifier:realm:disclosure:cachingVerifiedTokens:senderConstraints:createUser:scopes:)`` it is an ``AuthenticatedUser``
///   of the application's own user type.
///
/// ```swift
/// let verifier = try JWKSVerifier(jwksURI: "https://idp.example/jwks.json")
/// router.group("api")
///     .add(middleware: BearerTokenAuthenticator(verifier: verifier))
///     .add(middleware: RequireBearerToken())
///     .get("me") { _, context in try context.requireIdentity().claims.subject ?? "" }
/// ```
public struct BearerTokenAuthenticator<Context: AuthRequestContext>: AuthenticatorMiddleware where Context.Identity: Sendable {
    public typealias Identity = Context.Identity

    let verifier: any TokenVerifying
    let realm: String?
    let disclosure: LayabAuthError.Disclosure
    let constraints: SenderConstraints
    let createUser: @Sendable (VerifiedToken) async throws -> Identity

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
    ///   - createUser: builds the identity from the verified token (layabauth's `create_user(token, token_body)`).
    public init(verifier: any TokenVerifying, realm: String? = nil, disclosure: LayabAuthError.Disclosure = .limited,
                cachingVerifiedTokens: Bool = true, senderConstraints: SenderConstraints = .bearerOnly,
                createUser: @escaping @Sendable (VerifiedToken) async throws -> Identity)
    {
        self.verifier = cachingVerifiedTokens ? verifier.cachingVerifiedTokens() : verifier
        self.realm = realm
        self.disclosure = disclosure
        constraints = senderConstraints
        self.createUser = createUser
    }

    /// Authenticates, then runs the rest of the chain. A ``BearerAuthenticationError`` thrown behind this
    /// middleware without a realm of its own (``RequireBearerToken``, `context.requireScopes(_:)` in a
    /// handler) takes this authenticator's realm and disclosure, so every challenge of a route names the
    /// same realm and tells as much.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let identity = try await authenticate(request: request, context: context) { context.identity = identity }
        guard realm != nil || disclosure != .limited || constraints.policy.acceptsDPoP else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as BearerAuthenticationError where error.realm == nil {
            // A guard's 401 offers DPoP too where it is accepted (RFC 9449 §7.1).
            let answered = error.error.dpop == nil ? constraints.policy.answering(error.error, presentation: nil) : error.error
            throw BearerAuthenticationError(answered, realm: realm, disclosure: disclosure)
        }
    }

    public func authenticate(request: Request, context: Context) async throws -> Identity? {
        do {
            // No header or another scheme (Basic…) is not ours: leave it to other authenticators.
            let certificateHeader = constraints.certificateHeaderName.flatMap { HTTPField.Name($0) }
            let credentials = RequestCredentials(authorizationValues: request.headers[values: .authorization],
                                                 dpopHeaderValues: Self.dpopHeader.map { request.headers[values: $0] } ?? [],
                                                 method: request.method.rawValue, target: request.uri.path,
                                                 certificateHeaderValues: certificateHeader.map { request.headers[values: $0] } ?? [],
                                                 clientCertificateDER: constraints.readsTLSConnection ? await tlsClientCertificate(of: context) : nil)
            guard let token = try await verifier.verify(credentials, constraints: constraints, logger: context.logger) else { return nil }
            return try await createUser(token)
        } catch let error as LayabAuthError {
            // A verifier that finds no credentials after all (a test double): unauthenticated, as without a header.
            if error.code == .missingToken { return nil }
            // The client is told only that the keys are unavailable; the cause is for the operator. Every
            // refusal's whole story is logged at debug by the verifier's server path.
            if error.httpStatus == 503 { context.logger.warning("bearer token not verified: \(error.message)") }
            throw BearerAuthenticationError(error, realm: realm, disclosure: disclosure)
        }
    }
}

extension BearerTokenAuthenticator {
    /// The client certificate of the request's TLS connection, when the constraints read it from there and
    /// the context keeps the channel (`TLSConnectionRequestContext`, trait HummingbirdTLS); nil otherwise.
    func tlsClientCertificate(of context: Context) async -> [UInt8]? {
        guard constraints.readsTLSConnection else { return nil }
        #if HummingbirdTLS
        guard let context = context as? any TLSConnectionRequestContext else {
            context.logger.warning("the client certificate is read from the TLS connection, but the request context does not keep its channel (TLSConnectionRequestContext)")
            return nil
        }
        return await context.clientCertificateDER()
        #else
        context.logger.warning("the client certificate is read from the TLS connection, which needs LayabAuth's HummingbirdTLS trait")
        return nil
        #endif
    }

    static var dpopHeader: HTTPField.Name? { HTTPField.Name("DPoP") }
}

extension BearerTokenAuthenticator {
    /// The identity is the application's own user type, built from the raw token and its claims, paired
    /// with the scopes granted to it: layabauth's `OAuth2IdTokenBackend(jwks_uri, create_user, scopes)`.
    ///
    /// ```swift
    /// let router = Router(context: BasicAuthRequestContext<AuthenticatedUser<User>>.self)
    /// router.add(middleware: BearerTokenAuthenticator(
    ///     verifier: verifier,
    ///     createUser: { token, tokenBody in User(id: tokenBody.subject ?? "") },
    ///     scopes: { token, tokenBody in ScopeExtractor.strings(tokenBody["roles"]) }))
    /// ```
    /// - Parameters:
    ///   - verifier: shared by every request of the application (one key cache).
    ///   - realm: the `realm` of `WWW-Authenticate` challenges.
    ///   - disclosure: what a refused client is told, as in ``init(verifier:realm:disclosure:cachingVerifiedTokens:senderConstraints:createUser:)``.
    ///   - cachingVerifiedTokens: as in ``init(verifier:realm:disclosure:cachingVerifiedTokens:senderConstraints:createUser:)``.
    ///   - createUser: builds the user from the raw token and its claims (the token body).
    ///   - scopes: the scopes granted to the user, which ``RequireScopes`` and `context.requireScopes`
    ///     check; without it, the scopes the verifier's `ScopeExtractor` found.
    public init<User: Sendable>(verifier: any TokenVerifying, realm: String? = nil, disclosure: LayabAuthError.Disclosure = .limited,
                                cachingVerifiedTokens: Bool = true, senderConstraints: SenderConstraints = .bearerOnly,
                                createUser: @escaping @Sendable (_ token: String, _ tokenBody: Claims) async throws -> User,
                                scopes: (@Sendable (_ token: String, _ tokenBody: Claims) -> [String])? = nil)
        where Identity == AuthenticatedUser<User>
    {
        self.init(verifier: verifier, realm: realm, disclosure: disclosure, cachingVerifiedTokens: cachingVerifiedTokens,
                  senderConstraints: senderConstraints) { token in
            let granted = scopes.map { token.granting($0(token.raw, token.claims)) } ?? token
            return AuthenticatedUser(user: try await createUser(token.raw, token.claims), token: granted)
        }
    }
}

extension BearerTokenAuthenticator where Identity == VerifiedToken {
    /// The verified token itself is the identity.
    public init(verifier: any TokenVerifying, realm: String? = nil, disclosure: LayabAuthError.Disclosure = .limited,
                cachingVerifiedTokens: Bool = true, senderConstraints: SenderConstraints = .bearerOnly)
    {
        self.init(verifier: verifier, realm: realm, disclosure: disclosure, cachingVerifiedTokens: cachingVerifiedTokens,
                  senderConstraints: senderConstraints) { $0 }
    }
}

/// Stops unauthenticated requests with 401 and `WWW-Authenticate: Bearer realm="…"` (no error code:
/// the request carried no credentials, RFC 6750 §3.1).
public struct RequireBearerToken<Context: AuthRequestContext>: RouterMiddleware {
    let realm: String?

    /// - Parameter realm: the challenge's realm; without one, the realm of the ``BearerTokenAuthenticator``
    ///   in front.
    public init(realm: String? = nil) { self.realm = realm }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.identity != nil else {
            throw BearerAuthenticationError(LayabAuthError(.missingToken, "this resource requires a bearer token"), realm: realm)
        }
        return try await next(request, context)
    }
}

/// Stops requests whose identity lacks the required scopes with 403 `insufficient_scope` (layabauth's
/// `requires_scopes`). Unauthenticated requests get 401.
public struct RequireScopes<Context: AuthRequestContext>: RouterMiddleware where Context.Identity: ScopeCarrying {
    let requirement: ScopeRequirement
    let realm: String?

    /// - Parameters:
    ///   - requirement: the scopes the identity must be granted.
    ///   - realm: the challenge's realm; without one, the realm of the ``BearerTokenAuthenticator`` in front.
    public init(_ requirement: ScopeRequirement, realm: String? = nil) {
        self.requirement = requirement
        self.realm = realm
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        _ = try context.requireScopes(requirement, realm: realm)
        return try await next(request, context)
    }
}

/// Stops requests whose login is not strong or recent enough (RFC 9470 step-up) with 401
/// `insufficient_user_authentication`, `acr_values` and `max_age` in `WWW-Authenticate`, so that the client
/// asks the authorization server for a new login. Unauthenticated requests get 401 without an error code.
public struct RequireAuthentication<Context: AuthRequestContext>: RouterMiddleware where Context.Identity: ClaimsCarrying {
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

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        _ = try context.requireAuthentication(requirement, leeway: leeway, realm: realm, now: clock())
        return try await next(request, context)
    }
}

/// Stops requests whose token is bound to nothing (RFC 9449 DPoP, RFC 8705 certificate-bound tokens are
/// required here) with 401 `invalid_token`. The authenticator in front has proven the binding of any token that
/// has one. Unauthenticated requests get 401 without an error code.
public struct RequireSenderConstrainedToken<Context: AuthRequestContext>: RouterMiddleware where Context.Identity: ClaimsCarrying {
    let realm: String?

    /// - Parameter realm: the challenge's realm; without one, the realm of the ``BearerTokenAuthenticator`` in front.
    public init(realm: String? = nil) { self.realm = realm }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let identity = context.identity else {
            throw BearerAuthenticationError(LayabAuthError(.missingToken, "this resource requires a bearer token"), realm: realm)
        }
        guard identity.verifiedBinding != nil else { throw BearerAuthenticationError(.senderConstraintRequired, realm: realm) }
        return try await next(request, context)
    }
}

extension AuthRequestContext where Identity: ClaimsCarrying {
    /// The identity, when its login meets `requirement` (RFC 9470); for checks inside a handler.
    /// - Parameters:
    ///   - leeway: seconds tolerated beyond `max_age`.
    ///   - realm: the challenge's realm; without one, the realm of the ``BearerTokenAuthenticator`` in front.
    ///   - now: seconds since 1970.
    /// - Throws: ``BearerAuthenticationError``: 401 without an identity, 401 `insufficient_user_authentication` otherwise.
    @discardableResult
    public func requireAuthentication(_ requirement: AuthenticationRequirement, leeway: Double = 30, realm: String? = nil,
                                      now: Double = SystemClock.now()) throws -> Identity
    {
        guard let identity else {
            throw BearerAuthenticationError(LayabAuthError(.missingToken, "this resource requires a bearer token"), realm: realm)
        }
        do { try requirement.check(identity.verifiedClaims, now: now, leeway: leeway) } catch {
            throw BearerAuthenticationError(error, realm: realm)
        }
        return identity
    }
}

extension AuthRequestContext where Identity: ScopeCarrying {
    /// The identity, when it grants `requirement`; for checks inside a handler.
    /// - Parameter realm: the challenge's realm; without one, the realm of the ``BearerTokenAuthenticator`` in front.
    /// - Throws: ``BearerAuthenticationError``: 401 without an identity, 403 `insufficient_scope` otherwise.
    @discardableResult
    public func requireScopes(_ requirement: ScopeRequirement, realm: String? = nil) throws -> Identity {
        guard let identity else {
            throw BearerAuthenticationError(LayabAuthError(.missingToken, "this resource requires a bearer token"), realm: realm)
        }
        if let error = requirement.evaluate(granted: identity.grantedScopes).error { throw BearerAuthenticationError(error, realm: realm) }
        return identity
    }
}
#endif
