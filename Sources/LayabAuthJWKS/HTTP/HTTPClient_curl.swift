internal import CCurl
import Foundation
import LayabAuth
import Synchronization

/// A finished HTTP exchange (any status).
package struct HTTPResponse: Sendable {
    package let status: Int
    /// Header names in lower case; a repeated header keeps its last value.
    package let headers: [String: String]
    package let body: [UInt8]
    /// The URL after redirects.
    package let url: String
    /// The credentials the request sent (a token, a client secret or assertion, an Authorization value):
    /// ``bodyExcerpt(_:)`` never quotes them, though an endpoint may echo what it was sent.
    package var sentSecrets: [String] = []

    /// The body for an error message: an HTML page (a proxy's or a login page) summarised by its size and
    /// `<title>`, anything else as its first `limit` bytes of text.
    package func bodyExcerpt(_ limit: Int = 200) -> String {
        if let summary = HTMLSummary(body, contentType: headers["content-type"]) { return redacted(summary.description) }
        let text = redacted(String(decoding: body, as: UTF8.self)).map { $0.isNewline ? " " : $0 }
        return String(text.prefix(limit)) + (text.count > limit ? "…" : "")
    }

    /// `text` with each of ``sentSecrets`` (as sent, and form-encoded) replaced by "[redacted]".
    private func redacted(_ text: String) -> String {
        sentSecrets.reduce(text) { text, secret in
            [secret, FormEncoding.escape(secret)].reduce(text) { $0.replacingOccurrences(of: $1, with: "[redacted]") }
        }
    }
}

/// Key retrieval over libcurl. Each transfer runs on a thread of its own, never on Swift's cooperative
/// pool or an event loop: libcurl's easy interface blocks.
package enum HTTPClient {
    /// GETs `url` with extra request headers. Cancelling the calling task aborts the transfer.
    /// - Throws: `jwks_unavailable` with the precise cause.
    static func get(_ url: String, headers: [String] = [], options: HTTPOptions) async throws(LayabAuthError) -> HTTPResponse {
        try await run(url, headers: headers, body: nil, options: options)
    }

    /// Runs one transfer chain on its own thread: a GET, or a POST of `body` when it is given.
    static func run(_ url: String, headers: [String], body: [UInt8]?, options: HTTPOptions) async throws(LayabAuthError) -> HTTPResponse {
        let transfer = Transfer(limit: options.maximumBodySize)
        let result: Result<HTTPResponse, LayabAuthError> = await withTaskCancellationHandler {
            await OwnThread.run(name: "layabauth-jwks-fetch") {
                Result { () throws(LayabAuthError) in try perform(url, headers: headers, body: body, options: options, transfer: transfer) }
            }
        } onCancel: {
            transfer.cancelled.store(true, ordering: .relaxed)
        }
        return try result.get()
    }

    /// State shared with libcurl's callbacks during one transfer.
    final class Transfer: Sendable {
        let limit: Int
        let cancelled = Atomic<Bool>(false)
        let state = Locked(State())

        struct State: Sendable {
            var body: [UInt8] = []
            var headers: [String: String] = [:]
            var tooLarge = false
            /// Bytes of response headers received in this transfer, redirects included.
            var headerBytes = 0
            var headersTooLarge = false
        }

        /// The most response-header bytes one transfer accepts (libcurl's own cap is far larger).
        static let headerLimit = 64 * 1024

        init(limit: Int) { self.limit = limit }

        /// Forgets a redirect's response before the next request of the chain; the header bytes count on.
        func reset() { state.withLock { $0 = State(headerBytes: $0.headerBytes) } }
    }

    /// One GET or POST, following redirects by hand: libcurl fixes the allowed redirect protocols before the
    /// transfer starts, so only here can a chain that reached https be held to https. A POST follows only
    /// 307 and 308, the redirects that repeat the request with its body; any other redirect is its answer.
    private static func perform(_ url: String, headers: [String], body: [UInt8]?, options: HTTPOptions, transfer: Transfer) throws(LayabAuthError) -> HTTPResponse {
        let action = body == nil ? "retrieve keys from" : "post to"
        let curl = try CurlHandle()
        // libcurl's callbacks get `transfer` as a raw pointer: it is kept alive until the chain ends.
        let context = Unmanaged.passRetained(transfer)
        defer { context.release() }
        try configure(curl, headers: headers, body: body, options: options, context: context.toOpaque())
        let totalMilliseconds = Int(options.totalTimeout * 1000)
        var deadline: ContinuousClock.Instant?
        var current = url
        var reachedHTTPS = false
        var redirects = 0
        while true {
            let scheme = current.lowercased().prefix { $0 != ":" }
            guard scheme == "https" || scheme == "http" else {
                throw LayabAuthError(.jwksUnavailable, "cannot \(action) \(url): redirected to a scheme that is not allowed (\(current))")
            }
            if reachedHTTPS, scheme == "http" {
                throw LayabAuthError(.jwksUnavailable, "cannot \(action) \(url): redirected from https to \(current); redirects from https to http are never followed")
            }
            reachedHTTPS = reachedHTTPS || scheme == "https"
            transfer.reset()
            try curl.set(CURLOPT_URL, current)
            // The total limit covers the whole chain: the first request gets all of it, each redirect what is
            // left. libcurl reads 0 as "no limit", so never less than 1 ms.
            var limit = totalMilliseconds
            if let deadline {
                let remaining = deadline - ContinuousClock.now
                limit = Int(remaining.components.seconds) * 1000 + Int(remaining.components.attoseconds / 1_000_000_000_000_000)
            } else {
                deadline = ContinuousClock.now + .milliseconds(totalMilliseconds)
            }
            try curl.set(CURLOPT_TIMEOUT_MS, max(1, limit))
            let code = curl.perform()
            let state = transfer.state.withLock { $0 }
            guard code == CURLE_OK else {
                if state.headersTooLarge {
                    throw LayabAuthError(.jwksUnavailable, "cannot \(action) \(url): the response headers exceed \(Transfer.headerLimit / 1024) KiB")
                }
                throw failure(code, url: url, detail: curl.errorDetail, tooLarge: state.tooLarge, options: options, action: action)
            }
            let status = try curl.info(CURLINFO_RESPONSE_CODE)
            if (300..<400).contains(status), body == nil || status == 307 || status == 308, let location = try curl.stringInfo(CURLINFO_REDIRECT_URL) {
                redirects += 1
                guard redirects <= options.maximumRedirects else {
                    throw failure(CURLE_TOO_MANY_REDIRECTS, url: url, detail: "", tooLarge: false, options: options, action: action)
                }
                current = location
                continue
            }
            return HTTPResponse(status: status, headers: state.headers, body: state.body, url: current)
        }
    }

    /// Every option of the transfers of one chain, except the URL and the time left.
    private static func configure(_ curl: CurlHandle, headers: [String], body: [UInt8]?, options: HTTPOptions, context: UnsafeMutableRawPointer) throws(LayabAuthError) {
        try curl.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try curl.set(CURLOPT_FOLLOWLOCATION, 0)
        try curl.set(CURLOPT_NOSIGNAL, 1)
        try curl.set(CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        try curl.set(CURLOPT_USERAGENT, options.userAgent)
        // An empty string asks for every encoding libcurl can decode; the size cap applies after decoding.
        try curl.set(CURLOPT_ACCEPT_ENCODING, "")
        try curl.set(CURLOPT_SSL_VERIFYPEER, options.verifyTLS ? 1 : 0)
        try curl.set(CURLOPT_SSL_VERIFYHOST, options.verifyTLS ? 2 : 0)
        if let caBundlePath = options.caBundlePath { try curl.set(CURLOPT_CAINFO, caBundlePath) }
        if let body {
            try curl.set(CURLOPT_POSTFIELDSIZE, body.count)
            try curl.set(CURLOPT_COPYPOSTFIELDS, String(decoding: body, as: UTF8.self))
        }
        // "Expect:" keeps older libcurl from waiting for a 100 Continue before sending a body over 1 KiB.
        try curl.setHeaders(["Accept: application/json"] + (body == nil ? [] : ["Expect:"]) + headers)
        try curl.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(curl.errorBuffer))
        if options.maximumBodySize < Int.max { try curl.set(CURLOPT_MAXFILESIZE, options.maximumBodySize) }

        try curl.set(CURLOPT_WRITEDATA, pointer: context)
        try curl.set(CURLOPT_WRITEFUNCTION, callback: { data, size, count, context in
            guard let context, let data else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            return transfer.state.withLock { state in
                if state.body.count + length > transfer.limit {
                    state.tooLarge = true
                    return 0
                }
                data.withMemoryRebound(to: UInt8.self, capacity: length) {
                    state.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
                }
                return length
            }
        })
        try curl.set(CURLOPT_HEADERDATA, pointer: context)
        try curl.set(CURLOPT_HEADERFUNCTION, callback: { data, size, count, context in
            guard let context, let data else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
                String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
            }
            return transfer.state.withLock { state in
                state.headerBytes += length
                if state.headerBytes > Transfer.headerLimit {
                    state.headersTooLarge = true
                    return 0
                }
                if line.hasPrefix("HTTP/") {
                    // A new response (after a redirect or a 100 Continue): forget earlier headers.
                    state.headers = [:]
                } else if let colon = line.firstIndex(of: ":") {
                    let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                    let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                    state.headers[name] = value
                }
                return length
            }
        })
        try curl.set(CURLOPT_NOPROGRESS, 0)
        try curl.set(CURLOPT_XFERINFODATA, pointer: context)
        try curl.setProgress { context, _, _, _, _ in
            guard let context else { return 0 }
            return Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().cancelled.load(ordering: .relaxed) ? 1 : 0
        }
    }

    /// Words a person can act on, for each way a transfer fails.
    static func failure(_ code: CURLcode, url: String, detail: String, tooLarge: Bool, options: HTTPOptions,
                        action: String = "retrieve keys from") -> LayabAuthError {
        let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let cause: String
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST:
            cause = "DNS failure: the host name could not be resolved (\(reason))"
        case CURLE_COULDNT_RESOLVE_PROXY:
            cause = "DNS failure: the proxy could not be resolved (\(reason))"
        case CURLE_COULDNT_CONNECT:
            cause = "connection refused or unreachable (\(reason))"
        case CURLE_OPERATION_TIMEDOUT:
            cause = "timed out (connect limit \(format(options.connectTimeout)) s, total limit \(format(options.totalTimeout)) s): \(reason)"
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            cause = "TLS failure: \(reason)"
        case CURLE_WRITE_ERROR where tooLarge, CURLE_FILESIZE_EXCEEDED:
            cause = "the response body is larger than the \(options.maximumBodySize)-byte limit"
        case CURLE_TOO_MANY_REDIRECTS:
            cause = "more than \(options.maximumRedirects) redirects"
        case CURLE_UNSUPPORTED_PROTOCOL:
            cause = "the scheme is not supported (only http and https are): \(reason)"
        case CURLE_ABORTED_BY_CALLBACK:
            cause = "the retrieval was cancelled"
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE:
            cause = "the server closed the connection without a complete response (\(reason))"
        default:
            cause = "libcurl error \(code.rawValue): \(reason)"
        }
        return LayabAuthError(.jwksUnavailable, "cannot \(action) \(url): \(cause)")
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

/// HTTP dates (`Expires`, `Last-Modified`) parsed by libcurl.
enum HTTPDate {
    static func parse(_ text: String) -> Double? {
        let seconds = curl_getdate(text, nil)
        return seconds < 0 ? nil : Double(seconds)
    }
}
