import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import Testing

extension HTTPScenario {
    /// Sends one request to the app and returns its answer.
    public typealias Send = @Sendable (ScenarioRequest) async throws -> ScenarioReply
    /// The scenario's steps, given the driver's way of sending a request.
    public typealias Conversation = @Sendable (_ send: Send) async throws -> Void

    /// Runs the scenario: sets up the verifier (and the issuer and JWKS server behind it), lets `serve` build
    /// the ``app`` around it and run the conversation against it, then checks what the JWKS server was asked.
    /// Every failure names the scenario and the request.
    public func run(serve: (_ verifier: any TokenVerifying, _ conversation: @escaping Conversation) async throws -> Void) async throws {
        let issuer: TestIssuer?
        let server: TestHTTPServer?
        let keys: JWKSVerifier?
        switch verifier {
        case .jwks:
            let jwksIssuer = try TestIssuer()
            let jwksServer = try jwksIssuer.serve()
            issuer = jwksIssuer
            server = jwksServer
            keys = try JWKSVerifier(jwksURI: jwksServer.url("/jwks.json"))
        case let .jwksRequiring(audience):
            let jwksIssuer = try TestIssuer()
            let jwksServer = try jwksIssuer.serve()
            issuer = jwksIssuer
            server = jwksServer
            keys = try JWKSVerifier(jwksURI: jwksServer.url("/jwks.json"), configuration: VerifierConfiguration(audiences: [audience]))
        case let .jwksServerGone(retryAfterFailure):
            let jwksIssuer = try TestIssuer()
            let jwksServer = try jwksIssuer.serve()
            let url = jwksServer.url("/jwks.json")
            jwksServer.stop()
            issuer = jwksIssuer
            server = jwksServer
            keys = try JWKSVerifier(jwksURI: url, cachePolicy: KeyCachePolicy(retryAfterFailure: retryAfterFailure))
        case .jwksExpiringAtOnce:
            let jwksIssuer = try TestIssuer()
            let jwksServer = try jwksIssuer.serve()
            issuer = jwksIssuer
            server = jwksServer
            keys = try JWKSVerifier(jwksURI: jwksServer.url("/jwks.json"),
                                    cachePolicy: KeyCachePolicy(minimumLifetime: 0, maximumLifetime: 0, retryAfterFailure: 0))
        case .mock:
            issuer = nil
            server = nil
            keys = nil
        }
        defer { server?.stop() }
        let verifier: any TokenVerifying
        if case let .mock(tokenBody) = self.verifier {
            verifier = try MockVerifier(tokenBody: tokenBody)
        } else if let keys {
            verifier = keys
        } else {
            throw ScenarioError(description: "\(name): no verifier")
        }

        let scenario = self
        let dpopKey = try TestIssuer.dpopKey()
        let lastProof = Locked<(token: String, proof: String)?>(nil)
        try await serve(verifier) { send in
            for step in scenario.steps {
                switch step {
                case let .exchange(exchange):
                    try await scenario.perform(exchange, issuer: issuer, dpopKey: dpopKey, lastProof: lastProof, send: send)
                case .stopKeyServer:
                    server?.stop()
                case let .awaitKeySourceError(text):
                    guard let keys else { throw ScenarioError(description: "\(scenario.name): no key source to wait for") }
                    let deadline = Date().addingTimeInterval(30)
                    while await keys.source.status().lastError == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
                    let message = await keys.source.status().lastError?.message
                    #expect(message?.contains(text) == true, "\(scenario.name): the key source's error \(message ?? "none") does not say \(text)")
                }
            }
        }
        if let expected = keyServerRequests, let server {
            #expect(server.requestCount(path: "/jwks.json") == expected, "\(name): requests for /jwks.json")
        }
    }

    struct ScenarioError: Error, CustomStringConvertible {
        let description: String
    }

    private func perform(_ exchange: HTTPExchange, issuer: TestIssuer?, dpopKey: SigningKey, lastProof: Locked<(token: String, proof: String)?>, send: Send) async throws {
        let place = "\(name) › \(exchange.label)"
        var token: String?
        var headers: [(name: String, value: String)] = []
        switch exchange.credential {
        case let .dpop(claims, scheme, choice):
            guard let issuer else { throw ScenarioError(description: "\(place): a token needs a verifier with an issuer") }
            // A replay sends the previous request's token and proof again, unchanged.
            let previous = choice == .replayed ? lastProof.withLock { $0 } : nil
            let bound = try previous?.token ?? issuer.dpopBoundToken(to: dpopKey, claims: claims)
            headers.append(("Authorization", "\(scheme) \(bound)"))
            let url = HTTPScenario.senderConstraints.origin.map { $0 + exchange.path } ?? exchange.path
            let proof: String? = switch choice {
            case .valid: try TestIssuer.dpopProof(method: exchange.method, url: url, accessToken: bound, key: dpopKey)
            case .none: nil
            case .otherKey: try TestIssuer.dpopProof(method: exchange.method, url: url, accessToken: bound, key: try TestIssuer.dpopKey())
            case .otherURI: try TestIssuer.dpopProof(method: exchange.method, url: "https://elsewhere.example/me", accessToken: bound, key: dpopKey)
            case .replayed: previous?.proof
            }
            if let proof {
                headers.append(("DPoP", proof))
                lastProof.withLock { $0 = (bound, proof) }
            }
        case let .certificateBound(claims, thumbprint, certificateHeader):
            guard let issuer else { throw ScenarioError(description: "\(place): a token needs a verifier with an issuer") }
            headers.append(("Authorization", "Bearer \(try issuer.certificateBoundToken(thumbprint: thumbprint, claims: claims))"))
            if let certificateHeader, let name = HTTPScenario.senderConstraints.certificateHeaderName { headers.append((name, certificateHeader)) }
        case .none, .header:
            break
        case let .token(claims):
            guard let issuer else { throw ScenarioError(description: "\(place): a token needs a verifier with an issuer") }
            token = try issuer.token(claims: claims)
        case let .forged(forgery):
            guard let issuer else { throw ScenarioError(description: "\(place): a forgery needs a verifier with an issuer") }
            token = try issuer.forged(forgery)
        }
        if case let .header(value) = exchange.credential { headers.append(("Authorization", value)) }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }

        let reply = try await send(ScenarioRequest(method: exchange.method, path: exchange.path, headers: headers))

        #expect(reply.status == exchange.status, "\(place): \(reply.text)")
        for check in exchange.headers {
            switch check {
            case let .equals(name, value):
                #expect(reply.header(name) == value, "\(place): \(name)")
            case let .hasPrefix(name, prefix):
                #expect(reply.header(name)?.hasPrefix(prefix) == true, "\(place): \(name): \(reply.header(name) ?? "absent")")
            case let .contains(name, text):
                #expect(reply.header(name)?.contains(text) == true, "\(place): \(name): \(reply.header(name) ?? "absent")")
            case let .lacks(name, text):
                #expect(reply.header(name).map { !$0.contains(text) } == true, "\(place): \(name): \(reply.header(name) ?? "absent")")
            case let .present(name):
                #expect(reply.header(name) != nil, "\(place): \(name)")
            case let .valuesHavePrefixes(name, prefixes):
                let values = reply.headerValues(name)
                #expect(values.count == prefixes.count && zip(values, prefixes).allSatisfy { $0.hasPrefix($1) }, "\(place): \(name): \(values)")
            }
        }
        let json = try? JSONParser.parse(reply.body)
        for check in exchange.body {
            switch check {
            case let .text(text):
                #expect(reply.text == text, "\(place)")
            case let .member(name, value):
                #expect(json?[name] == value, "\(place): \(reply.text)")
            case let .memberContains(name, text):
                #expect(json?[name]?.stringValue?.contains(text) == true, "\(place): \(reply.text)")
            case let .memberLacks(name, text):
                #expect(json?[name]?.stringValue.map { !$0.contains(text) } == true, "\(place): \(reply.text)")
            case let .memberIsSentToken(name):
                #expect(token != nil && json?[name] == token.map(JSONValue.string), "\(place): \(reply.text)")
            }
        }
    }
}
