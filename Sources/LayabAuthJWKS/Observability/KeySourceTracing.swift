import LayabAuth
import Tracing

/// The span of one key set retrieval.
enum KeySourceTracing {
    static let retrievalSpanName = "layabauth.jwks.retrieve"

    /// Runs `retrieval` in a client span named ``retrievalSpanName``, a child of `context` (the task that
    /// asked for the keys), with the URL without query, the HTTP status, the body size and the outcome.
    /// - Parameter events: where the source and the query-free wording of errors come from.
    static func traced(_ tracer: some Tracer, context: ServiceContext, events: KeySourceEvents,
                       _ retrieval: () async -> KeySetCache.Retrieval) async -> KeySetCache.Retrieval
    {
        await tracer.withSpan(retrievalSpanName, context: context, ofKind: .client) { span in
            span.attributes["url.full"] = events.source
            let outcome = await retrieval()
            if let status = outcome.status { span.attributes["http.response.status_code"] = status }
            if let size = outcome.bodySize { span.attributes["http.response.body.size"] = size }
            span.attributes["layabauth.outcome"] = outcome.resultLabel(nil)
            if case let .failure(error) = outcome.result {
                span.setStatus(SpanStatus(code: .error, message: events.withoutQuery(error.message)))
            }
            return outcome
        }
    }
}
