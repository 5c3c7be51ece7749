import LayabAuth
import LayabAuthJWKS

/// What the device authorization endpoint answered (RFC 8628 §3.2): the code the person enters and where.
package struct DeviceAuthorization: Sendable {
    package let deviceCode: String
    package let userCode: String
    package let verificationURI: String
    package let verificationURIComplete: String?
    /// Seconds the codes stay valid.
    package let expiresIn: Double
    /// Seconds between polls; 5 when the provider gave none (RFC 8628 §3.2).
    package let interval: Double

    init(_ response: HTTPResponse, endpoint: String) throws(ProviderError) {
        guard let object = (try? JSONParser.parse(response.body))?.objectValue else {
            throw ProviderError(.refused, "the device authorization endpoint \(endpoint) answered HTTP \(response.status) but not with JSON: \(response.bodyExcerpt(ProviderError.quotedLimit))")
        }
        // Some providers spell it verification_url.
        guard let deviceCode = object["device_code"]?.stringValue, let userCode = object["user_code"]?.stringValue,
              let verificationURI = object["verification_uri"]?.stringValue ?? object["verification_url"]?.stringValue
        else {
            throw ProviderError(.refused, "the device authorization endpoint \(endpoint) answered without device_code, user_code and verification_uri (members: \(object.names.joined(separator: ", ")))")
        }
        self.deviceCode = deviceCode
        self.userCode = userCode
        self.verificationURI = verificationURI
        verificationURIComplete = object["verification_uri_complete"]?.stringValue
        expiresIn = object["expires_in"]?.doubleValue ?? 600
        interval = max(0, object["interval"]?.doubleValue ?? 5)
    }
}

/// The device authorization grant (RFC 8628): ask for a user code, then poll the token endpoint until the
/// person approved, denied, or the code expired.
package struct DeviceFlow: Sendable {
    package let request: TokenRequest
    package let authorizationEndpoint: String

    package init(request: TokenRequest, authorizationEndpoint: String) {
        self.request = request
        self.authorizationEndpoint = authorizationEndpoint
    }

    /// Step 1: the user code and verification URI to show the person.
    package func authorize(now: Double = SystemClock.now()) async throws(ProviderError) -> DeviceAuthorization {
        var form: [(name: String, value: String)] = []
        if !request.scopes.isEmpty { form.append(("scope", request.scopes.joined(separator: " "))) }
        if let audience = request.audience { form.append(("audience", audience)) }
        let response = try await request.post(form + request.resourceFields, to: authorizationEndpoint, now: now)
        return try DeviceAuthorization(response, endpoint: authorizationEndpoint)
    }

    /// Step 2: polls every `interval` seconds until a token comes. `authorization_pending` polls on,
    /// `slow_down` adds 5 seconds to the interval for this and every later poll (RFC 8628 §3.5).
    /// - Parameters:
    ///   - slowedDown: told the new interval after each `slow_down`.
    ///   - sleep: waits the given seconds; a test may shorten it.
    /// - Throws: ``ProviderError``: `access_denied`, `expired_token` (or the code's lifetime over), any other refusal.
    package func poll(_ authorization: DeviceAuthorization, clock: @Sendable () -> Double = SystemClock.now,
                      slowedDown: (Double) -> Void = { _ in },
                      sleep: (Double) async throws -> Void = { try await Task.sleep(for: .milliseconds(Int($0 * 1000))) }) async throws(ProviderError) -> TokenResponse
    {
        let deadline = clock() + authorization.expiresIn
        var interval = authorization.interval
        while true {
            do { try await sleep(interval) } catch { throw ProviderError(.unreachable, "stopped waiting for the device to be approved") }
            guard clock() < deadline else {
                throw ProviderError(.refused, code: "expired_token", "the user code \(authorization.userCode) expired after \(Int(authorization.expiresIn)) s without approval")
            }
            do {
                return try await request.send(.deviceCode(authorization.deviceCode), now: clock())
            } catch where error.code == "authorization_pending" {
                continue
            } catch where error.code == "slow_down" {
                interval += 5
                slowedDown(interval)
            }
        }
    }
}
