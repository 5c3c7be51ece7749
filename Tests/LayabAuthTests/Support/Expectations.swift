import LayabAuth
import Testing

/// Expects `body` to fail with a `LayabAuthError` of `code`, and returns that error for further checks.
@discardableResult
func expectFailure<T>(
    _ code: LayabAuthError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> T
) -> LayabAuthError? {
    do {
        let value = try body()
        Issue.record("expected \(code.rawValue), got success: \(value)", sourceLocation: sourceLocation)
        return nil
    } catch let error as LayabAuthError {
        #expect(error.code == code, "message: \(error.message)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected LayabAuthError \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
