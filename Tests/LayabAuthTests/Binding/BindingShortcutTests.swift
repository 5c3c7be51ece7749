import LayabAuth
import LayabAuthTesting
import Testing

/// `SenderConstraintPolicy.bindingChangesNothing(for:presentedAs:)` lets a server skip the binding rules; it
/// may say so only where running them returns the token as it is.
@Suite("Binding: the server's shortcut for plain Bearer tokens changes no outcome")
struct BindingShortcutTests {
    static let thumbprint = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"

    enum TokenKind: String, CaseIterable { case plain, dpopBound, certificateBound, malformedCnf }
    enum PolicyKind: String, CaseIterable { case bearerOnly, acceptsDPoP, requiresSenderConstraint, invalid }
    enum PresentationKind: String, CaseIterable { case bearer, bearerWithCertificate, dpop }

    func policy(_ kind: PolicyKind) -> SenderConstraintPolicy {
        switch kind {
        case .bearerOnly: SenderConstraints.bearerOnly.policy
        case .acceptsDPoP: SenderConstraintPolicy(replayStore: nil)
        case .requiresSenderConstraint: SenderConstraintPolicy(replayStore: nil).requiringSenderConstraint()
        case .invalid: SenderConstraintPolicy(acceptsDPoP: false, maximumProofAge: 0, replayStore: nil)
        }
    }

    func token(_ kind: TokenKind, _ fixture: DPoPFixture) throws -> String {
        switch kind {
        case .plain: try fixture.issuer.token(now: fixture.now)
        case .dpopBound: try fixture.boundToken()
        case .certificateBound: try fixture.issuer.certificateBoundToken(thumbprint: Self.thumbprint, now: fixture.now)
        case .malformedCnf: try fixture.issuer.token(claims: ["cnf": "not an object"], now: fixture.now)
        }
    }

    @Test("wherever the shortcut applies, the rules accept the token and bind it to nothing",
          arguments: TokenKind.allCases, PolicyKind.allCases)
    func shortcutAgreesWithRules(token kind: TokenKind, policy policyKind: PolicyKind) async throws {
        let fixture = try DPoPFixture()
        let raw = try token(kind, fixture)
        let verified = try fixture.verifier.verify(raw)
        let policy = policy(policyKind)
        for presentationKind in PresentationKind.allCases {
            let presentation = TokenPresentation(
                scheme: presentationKind == .dpop ? .dpop : .bearer,
                dpopProofs: presentationKind == .dpop ? [try fixture.proof(for: raw)] : [], method: "GET", uri: DPoPFixture.url,
                clientCertificateThumbprint: presentationKind == .bearerWithCertificate ? Self.thumbprint : nil)
            guard policy.bindingChangesNothing(for: verified, presentedAs: presentation) else { continue }
            let bound = try await policy.verifyBinding(of: verified, presentedAs: presentation, now: fixture.now)
            #expect(bound.binding == nil, "\(kind) \(policyKind) \(presentationKind)")
            #expect(bound.raw == verified.raw)
        }
    }

    @Test("the shortcut applies to a plain token sent as Bearer under a valid policy that requires no binding, and nowhere else")
    func whereItApplies() throws {
        let fixture = try DPoPFixture()
        let plain = try fixture.verifier.verify(try token(.plain, fixture))
        let bearer = TokenPresentation(scheme: .bearer, method: "GET", uri: DPoPFixture.url)
        let certificate = TokenPresentation(scheme: .bearer, method: "GET", uri: DPoPFixture.url, clientCertificateThumbprint: Self.thumbprint)
        #expect(policy(.bearerOnly).bindingChangesNothing(for: plain, presentedAs: bearer))
        #expect(policy(.acceptsDPoP).bindingChangesNothing(for: plain, presentedAs: bearer))
        #expect(policy(.bearerOnly).bindingChangesNothing(for: plain, presentedAs: certificate))
        #expect(!policy(.requiresSenderConstraint).bindingChangesNothing(for: plain, presentedAs: bearer))
        #expect(!policy(.invalid).bindingChangesNothing(for: plain, presentedAs: bearer))
        #expect(!policy(.acceptsDPoP).bindingChangesNothing(for: plain, presentedAs: TokenPresentation(scheme: .dpop, method: "GET", uri: DPoPFixture.url)))
        for kind in [TokenKind.dpopBound, .certificateBound, .malformedCnf] {
            let other = try fixture.verifier.verify(try token(kind, fixture))
            #expect(!policy(.bearerOnly).bindingChangesNothing(for: other, presentedAs: bearer), "\(kind)")
        }
    }
}
