import LayabAuth
import Testing

/// Keys, a fixed clock and token forging shared by the policy tests.
///
/// Keys are generated once per test process (RSA generation is slow) and kept as `Result`s so that a
/// failure to generate one fails the tests that use it instead of crashing the run.
enum PolicyFixtures {
    /// 2027-01-15T08:00:00Z: every policy test runs at this instant.
    static let now = 1_800_000_000.0
    static let nowSeconds = Int64(now)

    static let es256: Result<SigningKey, LayabAuthError> = Result { () throws(LayabAuthError) in try SigningKey.generate(.es256, kid: "ec-1") }
    static let es256Other: Result<SigningKey, LayabAuthError> = Result { () throws(LayabAuthError) in try SigningKey.generate(.es256, kid: "ec-2") }
    static let attacker: Result<SigningKey, LayabAuthError> = Result { () throws(LayabAuthError) in try SigningKey.generate(.es256, kid: "attacker") }
    static let rs256: Result<SigningKey, LayabAuthError> = Result { () throws(LayabAuthError) in try SigningKey.generate(.rs256, kid: "rsa-1") }
    static let rsa1024: Result<SigningKey, LayabAuthError> = Result { () throws(LayabAuthError) in
        try SigningKey.generate(.rs256, kid: "rsa-weak", rsaBits: 1024)
    }
    static let rsa3072: Result<SigningKey, LayabAuthError> = Result { () throws(LayabAuthError) in
        try SigningKey.generate(.rs256, kid: "rsa-3072", rsaBits: 3072)
    }

    /// Claims that pass the default configuration: `exp` five minutes ahead.
    static func validClaims(_ extra: JSONObject = JSONObject()) -> JSONObject {
        var claims: JSONObject = ["exp": .integer(nowSeconds + 300), "sub": "alice"]
        for member in extra { claims[member.name] = member.value }
        return claims
    }

    /// A configuration at the fixed instant; `adjust` changes what a test needs.
    static func configuration(algorithms: Set<Algorithm> = Algorithm.asymmetric,
                              _ adjust: (inout VerifierConfiguration) -> Void = { _ in }) -> VerifierConfiguration
    {
        var configuration = VerifierConfiguration(algorithms: algorithms, clock: { now })
        adjust(&configuration)
        return configuration
    }

    static func verifier(_ keys: [VerificationKey], algorithms: Set<Algorithm> = Algorithm.asymmetric,
                         _ adjust: (inout VerifierConfiguration) -> Void = { _ in }) -> Verifier
    {
        // Verification itself refuses an invalid configuration, so the fixtures need not throw.
        Verifier(keys: KeySet(keys: keys), validated: configuration(algorithms: algorithms, adjust))
    }

    /// The ES256 fixture key and a verifier that trusts only it.
    static func ecSetup(_ adjust: (inout VerifierConfiguration) -> Void = { _ in }) throws -> (SigningKey, Verifier) {
        let key = try es256.get()
        return (key, verifier([key.verificationKey], adjust))
    }

    static func segment(_ text: String) -> String { Base64URL.encode(Array(text.utf8)) }
    static func segment(_ bytes: [UInt8]) -> String { Base64URL.encode(bytes) }

    /// A compact JWS over exact header and payload bytes, signed by `key` whatever the header says.
    static func forge(header: [UInt8], payload: [UInt8], signedBy key: SigningKey) throws -> String {
        let input = segment(header) + "." + segment(payload)
        return input + "." + segment(try key.signature(for: Array(input.utf8)))
    }

    static func forge(header: String, payload: String, signedBy key: SigningKey) throws -> String {
        try forge(header: Array(header.utf8), payload: Array(payload.utf8), signedBy: key)
    }

    /// A token with an arbitrary signature (the signature is never reached or deliberately wrong).
    static func unsigned(header: String, payload: String, signature: [UInt8] = Array(repeating: 7, count: 64)) -> String {
        segment(header) + "." + segment(payload) + "." + segment(signature)
    }

    /// The three segments of a compact token.
    static func parts(_ token: String) -> [String] { token.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }

    /// `token` with its signature replaced by `signature`.
    static func resigned(_ token: String, with signature: [UInt8]) -> String {
        let p = parts(token)
        return p[0] + "." + p[1] + "." + segment(signature)
    }

    /// Big-endian bytes from hex text (an even number of digits).
    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        let digits = Array(text.utf8)
        var index = 0
        while index + 1 < digits.count {
            bytes.append(hexDigit(digits[index]) << 4 | hexDigit(digits[index + 1]))
            index += 2
        }
        return bytes
    }

    private static func hexDigit(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: 0
        }
    }
}

/// One row of a table of inputs: its name shows in test results.
struct Vector<Input: Sendable>: Sendable, CustomTestStringConvertible {
    let name: String
    let input: Input
    let code: LayabAuthError.Code

    init(_ name: String, _ input: Input, _ code: LayabAuthError.Code) {
        self.name = name
        self.input = input
        self.code = code
    }

    var testDescription: String { "\(name) → \(code.rawValue)" }
}

/// Runs a test body that imports RSA or EC keys from JWK members.
///
/// Such imports currently fail every time: `OpenSSLKey.fromData` (Sources/LayabAuth/OpenSSL) hands
/// `OSSL_PARAM_BLD_push_*` parameter names and values as temporary C strings bridged from Swift, and the
/// builder keeps those pointers until `OSSL_PARAM_BLD_to_param`, when they dangle. Only that failure is
/// tolerated here; any other issue fails the test, and once the import works the whole body runs.

