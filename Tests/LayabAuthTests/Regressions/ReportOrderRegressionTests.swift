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
}
