import LayabAuth
import LayabInspector

/// The model tests' clock: 2027-01-15T08:00:00Z. Time moves only when a test renders at another instant.
let fixedNow: Double = 1_800_000_000

/// Mints test tokens with one key, with times relative to ``fixedNow``.
struct TestIssuer {
    static let issuer = "https://issuer.test"
    static let audience = "test-api"
    let key: SigningKey

    init(_ algorithm: Algorithm = .es256, kid: String = "test-key") throws {
        key = try SigningKey.generate(algorithm, kid: kid)
    }

    /// A token whose times are offsets from ``fixedNow`` in seconds; nil leaves the claim out.
    func token(issuedAt: Double? = 0, notBefore: Double? = nil, expiresAt: Double? = 3600, scope: String = "read",
               extra: [(String, JSONValue)] = []) throws -> String
    {
        var members: [(String, JSONValue)] = [("iss", .string(Self.issuer)), ("sub", "bob"), ("aud", .string(Self.audience))]
        if let issuedAt { members.append(("iat", .integer(Int64(fixedNow + issuedAt)))) }
        if let notBefore { members.append(("nbf", .integer(Int64(fixedNow + notBefore)))) }
        if let expiresAt { members.append(("exp", .integer(Int64(fixedNow + expiresAt)))) }
        members.append(("scope", .string(scope)))
        return try key.sign(claims: JSONObject(members + extra))
    }

    /// A state inspecting `token` with this issuer's key and no requirements.
    func state(showing token: String) -> InspectorState {
        var state = InspectorState()
        state.keys = KeySet(keys: [key.verificationKey])
        state.keySourceDescription = "test key"
        state.tokenText = token
        return state
    }
}

extension InspectorState {
    /// Presses one key per character of `text`, as a person typing.
    mutating func type(_ text: String) {
        for character in text { handle(.character(character)) }
    }

    /// Opens the prompt of `binding`, clears it with Ctrl-U, types `text` and presses Enter.
    @discardableResult
    mutating func set(_ binding: Character, to text: String) -> [Effect] {
        handle(.character(binding))
        handle(.control("u"))
        type(text)
        return handle(.enter)
    }

    /// The screen at `offset` seconds after ``fixedNow``.
    func screen(at offset: Double = 0, width: Int = 200, height: Int = 60) -> Screen {
        InspectorView.render(self, now: fixedNow + offset, width: width, height: height)
    }
}

/// The demo as it opens at ``fixedNow``, made once: generating its RSA key is the slow part.
private let demoAtFixedNow = Result { () throws(LayabAuthError) in try DemoIssuer.state(now: fixedNow, clock: { fixedNow }) }

/// The demo as it opens at ``fixedNow``, showing sample `index`.
func demoState(sample index: Int = 0) throws -> InspectorState {
    var state = try demoAtFixedNow.get()
    state.selectSample(index)
    return state
}
