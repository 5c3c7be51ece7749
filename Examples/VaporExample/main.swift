#if Vapor
import ArgumentParser
import ExampleOptions
import LayabAuth
import LayabAuthJWKS
import LayabAuthVapor
import Vapor

/// GET /health (no token), GET /me and GET /whoami (any valid token), GET /admin (scope "admin"), GET /payments
/// (a login with `acr` "urn:example:mfa" at most 5 minutes old: RFC 9470 step-up), and with `--metrics`
/// GET /metrics (no token).
extension Me: Content {}

func configureRoutes(_ app: Application, verifier: any TokenVerifying, senderConstraints: SenderConstraints = .bearerOnly,
                     metrics: MetricsEndpoint? = nil) {
    if let metrics {
        // The scrape route, open like /health; Vapor reports its own request metrics to the same backend.
        app.get(PathComponent(stringLiteral: MetricsEndpoint.path)) { _ async -> Response in
            Response(status: .ok, headers: ["Content-Type": MetricsEndpoint.contentType],
                     body: Response.Body(buffer: ByteBuffer(bytes: await metrics.scrape())))
        }
    }
    app.get("health") { _ in "ok\n" }
    let protected = app.grouped(BearerTokenAuthenticator(verifier: verifier, realm: "vapor-example", cachingVerifiedTokens: false,
                                                                         senderConstraints: senderConstraints), RequireBearerToken(realm: "vapor-example"))
    protected.get("me") { req -> Me in
        let token = try req.auth.require(VerifiedToken.self)
        return Me(token)
    }
    // The subject as plain text: authentication and nothing else (Benchmarks/Scripts/load.py compares it with /health).
    protected.get("whoami") { req -> String in (try req.auth.require(VerifiedToken.self).claims.subject ?? "") + "\n" }
    protected.grouped(RequireScopes(.all("admin"), realm: "vapor-example")).get("admin") { req -> Me in
        let token = try req.auth.require(VerifiedToken.self)
        return Me(token)
    }
    protected.grouped(RequireAuthentication(paymentsLogin, realm: "vapor-example")).get("payments") { req -> Me in
        let token = try req.auth.require(VerifiedToken.self)
        return Me(token)
    }
}


@main
struct VaporExample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vapor-example", abstract: "A Vapor API protected by LayabAuth.")

    @ArgumentParser.Option(help: "Port to listen on (127.0.0.1).") var port = 8080
    @OptionGroup var verifierOptions: ExampleVerifierOptions
    @OptionGroup var observabilityOptions: ExampleObservabilityOptions

    func run() async throws {
        // Before the verifier: it reports to the metrics backend installed when it is made.
        let metrics = observabilityOptions.bootstrap()
        // The routes take the verifier as built here: the token cache is on unless --token-cache-capacity 0.
        let verifier = try verifierOptions.makeVerifier()
        // Vapor's own command line must not see this program's options.
        var environment = Environment.production
        environment.arguments = ["vapor-example"]
        let app = try await Application.make(environment)
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = port
        configureRoutes(app, verifier: verifier, senderConstraints: verifierOptions.senderConstraints(),
                        metrics: metrics?.refreshingGauges(of: verifier))
        do {
            try await app.execute()
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
#else
// Built without the Vapor package trait: the example has nothing to run.
import Foundation

@main
enum VaporExampleUnavailable {
    static func main() {
        FileHandle.standardError.write(Data("vapor-example needs the Vapor package trait: swift run --traits Vapor vapor-example\n".utf8))
        exit(2)
    }
}
#endif
