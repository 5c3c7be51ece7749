import LayabAuth
import LayabConsole

extension InspectorState {
    /// The binding report to show: the latest one made for the token and request shown, when the request
    /// carries a proof or a certificate, or the token is bound (`cnf`) and so is refused without one.
    package var shownBinding: BindingReport? {
        guard let checked = checkedBinding, checked.key.token == token, checked.key.request == bindingRequest else { return nil }
        let report = checked.report
        return bindingRequest.isGiven || report.boundKey != nil || report.boundCertificate != nil ? report : nil
    }

    /// The key of the binding report the runtime should make now for the token's `report`; nil when there is no token.
    package func bindingKey(now: Double, report: VerificationReport) -> CheckedBinding.Key? {
        guard !token.isEmpty else { return nil }
        return CheckedBinding.Key(token: token, request: bindingRequest, second: Int(now.rounded(.down)),
                                  verdict: [report.signature.word] + report.errors.map(\.code.rawValue))
    }

    /// The text the `R` prompt opens with: "GET https://api.example/orders".
    var requestLine: String { bindingRequest.uri.isEmpty ? bindingRequest.method + " " : "\(bindingRequest.method) \(bindingRequest.uri)" }

    /// Applies the `P` prompt: a DPoP proof (a `DPoP:` header line is accepted), or nothing to send the token as Bearer.
    /// - Returns: why the text was refused, or nil.
    mutating func applyProof(_ text: String) -> String? {
        var proof = text.trimmingCharacters(in: .whitespaces)
        if proof.lowercased().hasPrefix("dpop:") { proof = String(proof.dropFirst(5)).trimmingCharacters(in: .whitespaces) }
        if proof.isEmpty {
            bindingRequest.proof = nil
            notice = "no DPoP proof: the token is sent as Bearer"
            return nil
        }
        guard proof.split(separator: ".", omittingEmptySubsequences: false).count == 3, !proof.contains(" ") else {
            return "a DPoP proof is a compact JWS: three base64url parts separated by dots"
        }
        bindingRequest.proof = proof
        notice = bindingRequest.uri.isEmpty ? "DPoP proof given; R sets the request's method and URL" : "DPoP proof given for \(requestLine)"
        return nil
    }

    /// Applies the `R` prompt: the request's method and URL, "GET https://api.example/orders".
    /// - Returns: why the text was refused, or nil.
    mutating func applyRequest(_ text: String) -> String? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count == 2 else { return "give the method and the URL: GET https://api.example/orders" }
        if let reason = DPoPProof.requestError(method: words[0], url: words[1], key: nil) { return reason }
        bindingRequest.method = words[0]
        bindingRequest.uri = words[1]
        notice = "request \(words[0]) \(words[1])"
        return nil
    }
}
