import LayabAuth
import LayabAuthJWKS

/// How keys and key sources are described to people and scripts (`layabauth jwks`, the keys browser).
package enum KeyDescription {
    /// "RSA 2048", "EC P-256", "OKP Ed25519", "oct 256".
    package static func shape(_ key: VerificationKey) -> String {
        key.curve.map { "\(key.keyType.rawValue) \($0.rawValue)" } ?? "\(key.keyType.rawValue) \(key.bits)"
    }

    /// "note x is 31 bytes, left-padded to 32; …": what the publisher encoded against the RFCs, one line each.
    package static func noteLines(_ key: VerificationKey) -> [String] {
        key.notes.map { "note " + $0 }
    }

    package static func json(_ key: VerificationKey) -> JSONObject {
        var object = ReportJSON.key(key)
        object["use"] = key.use.map(JSONValue.string) ?? .null
        if let curve = key.curve { object["crv"] = .string(curve.rawValue) } else { object["bits"] = .integer(Int64(key.bits)) }
        // Only keys published against the letter of the RFCs carry notes; the others keep their shape.
        if !key.notes.isEmpty { object["notes"] = .array(key.notes.map(JSONValue.string)) }
        if let certificate = key.certificate {
            object["x5c"] = [
                "subject": .string(certificate.subject),
                "notBefore": certificate.notBefore.map { .string(TimeText.iso8601($0)) } ?? .null,
                "notAfter": certificate.notAfter.map { .string(TimeText.iso8601($0)) } ?? .null,
            ]
        }
        return object
    }

    package static func json(_ skipped: SkippedKey) -> JSONObject {
        ["index": .integer(Int64(skipped.index)), "kid": skipped.kid.map(JSONValue.string) ?? .null,
         "kty": skipped.keyType.map(JSONValue.string) ?? .null, "reason": .string(skipped.reason)]
    }

    /// - Parameter now: the moment `staleness` is measured at.
    package static func json(_ status: KeySourceStatus, now: Double = SystemClock.now()) -> JSONObject {
        [
            "source": .string(status.location),
            "discoveredFrom": status.discoveredFrom.map(JSONValue.string) ?? .null,
            "httpStatus": status.lastHTTPStatus.map { .integer(Int64($0)) } ?? .null,
            "etag": status.etag.map(JSONValue.string) ?? .null,
            "lastModified": status.lastModified.map(JSONValue.string) ?? .null,
            "lastFetch": status.lastFetch.map { .string(TimeText.iso8601($0)) } ?? .null,
            "expiresAt": status.expiresAt.map { .string(TimeText.iso8601($0)) } ?? .null,
            // Seconds since the keys in service went stale; null while they are fresh or when there are none.
            "staleness": status.expiresAt.flatMap { expiresAt in
                status.keys != nil && now >= expiresAt ? .integer(Int64((now - expiresAt).rounded(.down))) : nil
            } ?? .null,
            // The latest moment the keys held may serve (their lifetime plus the maximum staleness); null without a limit.
            "servedUntil": status.servedUntil.map { .string(TimeText.iso8601($0)) } ?? .null,
            "fetchCount": .integer(Int64(status.fetchCount)),
            "lastError": status.lastError.map { ReportJSON.error($0) } ?? .null,
        ]
    }

    /// One line per fact of a source's last retrieval.
    package static func statusLines(_ status: KeySourceStatus, now: Double) -> [String] {
        var lines = ["source   \(status.location)"]
        if let issuer = status.discoveredFrom { lines.append("issuer   \(issuer) (discovered)") }
        var fetch: [String] = []
        // Keys from a file (or given in memory) are read, not fetched.
        let isHTTP = status.lastHTTPStatus != nil || status.location.lowercased().hasPrefix("http")
        let (done, noun) = isHTTP ? ("fetched", "fetch") : ("read", "read")
        if let code = status.lastHTTPStatus { fetch.append("HTTP \(code)") }
        if let lastFetch = status.lastFetch {
            // After a failure the last retrieval is an attempt, not a fetch of the keys in service.
            fetch.append(status.lastError == nil ? "\(done) \(TimeText.relative(lastFetch, now: now))"
                                                 : "last attempt \(TimeText.relative(lastFetch, now: now)) failed")
        }
        if let etag = status.etag { fetch.append("ETag \(etag)") }
        if let expiresAt = status.expiresAt {
            var serving = ""
            if status.isTooStale(now: now), let until = status.servedUntil {
                // Past the maximum staleness: a server refuses tokens (jwks_unavailable) rather than use these keys.
                serving = ", past the maximum staleness since \(TimeText.iso8601(until)): not served"
            } else if status.lastError != nil && status.keys.map({ !$0.keys.isEmpty }) == true {
                serving = ", serving the last good keys" + (status.servedUntil.map { " until \(TimeText.iso8601($0)) at most" } ?? "")
            }
            fetch.append(expiresAt > now ? "fresh until \(TimeText.iso8601(expiresAt)) (\(TimeText.relative(expiresAt, now: now)))"
                                         : "stale for \(TimeText.duration(from: expiresAt, to: now))\(serving)")
        }
        fetch.append("\(status.fetchCount) \(noun)\(status.fetchCount == 1 ? "" : isHTTP ? "es" : "s")")
        lines.append("fetch    " + fetch.joined(separator: ", "))
        if let error = status.lastError { lines.append("error    \(error.message)") }
        return lines
    }
}
