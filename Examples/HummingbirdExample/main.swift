#if Hummingbird
import ArgumentParser
import Hummingbird
import HummingbirdAuth
import ExampleOptions
import LayabAuth
import LayabAuthHummingbird
import LayabAuthJWKS

/// GET /health (no token), GET /me and GET /whoami (any valid token), GET /admin (scope "admin"), GET /payments
/// (a login with `acr` "urn:example:mfa" at most 5 minutes old: RFC 9470 step-up), and with `--metrics`
/// GET /metrics (no token).
extension Me: ResponseEncodable {}

func buildRouter(verifier: any TokenVerifying, senderConstraints: SenderConstraints = .bearerOnly,
                 metrics: MetricsEndpoint? = nil) -> Router<BasicAuthRequestContext<VerifiedToken>> {
    let router = Router(context: BasicAuthRequestContext<VerifiedToken>.self)
    if let metrics {
        // Hummingbird's own request metrics beside LayabAuth's, and the scrape route, open like /health.
        router.add(middleware: MetricsMiddleware())
        router.get(RouterPath(MetricsEndpoint.path)) { _, _ in
            Response(status: .ok, headers: [.contentType: MetricsEndpoint.contentType],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: await metrics.scrape())))
        }
    }
    router.get("health") { _, _ in "ok\n" }
    let protected = router.group()
        .add(middleware: BearerTokenAuthenticator(verifier: verifier, realm: "hummingbird-example", cachingVerifiedTokens: false,
                                                            senderConstraints: senderConstraints))
        .add(middleware: RequireBearerToken(realm: "hummingbird-example"))
    protected.get("me") { _, context in
        let token = try context.requireIdentity()
        return Me(token)
    }
    // The subject as plain text: authentication and nothing else (Benchmarks/Scripts/load.py compares it with /health).
    protected.get("whoami") { _, context in (try context.requireIdentity().claims.subject ?? "") + "\n" }
    protected.group("admin")
        .add(middleware: RequireScopes(.all("admin"), realm: "hummingbird-example"))
        .get { _, context in
            let token = try context.requireIdentity()
            return Me(token)
        }
    protected.group("payments")
        .add(middleware: RequireAuthentication(paymentsLogin, realm: "hummingbird-example"))
        .get { _, context in
            let token = try context.requireIdentity()
            return Me(token)
        }
    return router
}


@main
struct HummingbirdExample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hummingbird-example", abstract: "A Hummingbird API protected by LayabAuth.")

    @Option(help: "Port to listen on (127.0.0.1).") var port = 8080
    @OptionGroup var verifierOptions: ExampleVerifierOptions
    @OptionGroup var observabilityOptions: ExampleObservabilityOptions

    func run() async throws {
        // Before the verifier: it reports to the metrics backend installed when it is made.
        let metrics = observabilityOptions.bootstrap()
        // The routes take the verifier as built here: the token cache is on unless --token-cache-capacity 0.
        let verifier = try verifierOptions.makeVerifier()
        let router = buildRouter(verifier: verifier, senderConstraints: verifierOptions.senderConstraints(),
                                 metrics: metrics?.refreshingGauges(of: verifier))
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                              logger: observabilityOptions.logger(label: "hummingbird-example"))
        try await app.runService()
    }
}
#else
// Built without the Hummingbird package trait: the example has nothing to run.
import Foundation

@main
enum HummingbirdExampleUnavailable {
    static func main() {
        FileHandle.standardError.write(Data("hummingbird-example needs the Hummingbird package trait: swift run --traits Hummingbird hummingbird-example\n".utf8))
        exit(2)
    }
}
#endif
