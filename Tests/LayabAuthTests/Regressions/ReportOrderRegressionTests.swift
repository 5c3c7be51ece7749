import LayabAuth
import Testing

/// Found by FuzzToken: when a token decoded but its payload was not a claims set, the report listed the
/// payload error first although `verify` fails on the algorithm or the signature before it reads claims.
@Suite("Regressions: the report lists verify's error first")
struct ReportOrderRegressionTests {
    struct Input: Sendable, CustomTestStringConvertible {
        let name: String
        let token: String
        let code: LayabAuthError.Code
        var testDescription: String { name }
    }

    static let inputs: [Input] = [
        // The fuzzer's minimised input: {"alg":"EdA"}, an empty payload, a one-byte signature.
        Input(name: "unknown alg, empty payload", token: "eyJhbGciOiJFZEEifQ..DQ", code: .unsupportedAlgorithm),
        // {"alg":"EdDSA","kid":"ed-1"}, payload "x", a signature of the right size that does not match.
        Input(name: "bad signature, payload not JSON",
              token: "eyJhbGciOiJFZERTQSIsImtpZCI6ImVkLTEifQ.eA." + String(repeating: "A", count: 86), code: .badSignature),
    ]

    @Test("verify's error is the report's first", arguments: inputs)
    func reportStartsWithVerifyError(_ input: Input) throws {
        let verifier = try FuzzFixture.verifier()
        let report = verifier.report(input.token)
        guard let error = expectFailure(input.code, { try verifier.verify(input.token) }) else { return }
        #expect(report.errors.first == error, "report lists \(report.errors.map(\.code.rawValue))")
        // The payload's own problem is still reported, after the signature's.
        #expect(report.errors.map(\.code).last == .malformed)
    }

    /// Found by FuzzToken once tokens refused before any key is looked at were decoded for display: an
    /// `alg: none` token whose payload or signature segment is not base64url. `verify` refuses the alg
    /// before reading the payload; the report named the payload's base64url error instead.
    static let refusedThenMalformed: [Input] = [
        // {"alg":"none"}, then a payload with a '{' in it (the fuzzer's input, shortened).
        Input(name: "alg none, payload not base64url", token: "eyJhbGciOiJub25lIn0.eyJpc3MiOiJo{dHRw.", code: .unsupportedAlgorithm),
        Input(name: "alg none, signature not base64url", token: "eyJhbGciOiJub25lIn0.e30.a+b", code: .unsupportedAlgorithm),
        // {"alg":"ES256","crit":["x"]}, payload not base64url.
        Input(name: "crit, payload not base64url", token: "eyJhbGciOiJFUzI1NiIsImNyaXQiOlsieCJdfQ.e30=.c2ln", code: .unsupportedCriticalHeader),
    ]

    /// Since issue 14 such a token is shown (its header, and its claims when they decode) under the refusal,
    /// so the report may list what else is wrong with it after the refusal; the refusal stays first.
    @Test("a refused token whose later segments are broken: the refusal is verify's error and the report's first", arguments: refusedThenMalformed)
    func refusalBeforeBrokenSegments(_ input: Input) throws {
        let verifier = try FuzzFixture.verifier()
        let report = verifier.report(input.token)
        guard let error = expectFailure(input.code, { try verifier.verify(input.token) }) else { return }
        #expect(report.errors.first == error, "report lists \(report.errors.map(\.code.rawValue))")
        #expect(try Verifier.decodeUnverified(input.token).refusal == error)
    }
}
