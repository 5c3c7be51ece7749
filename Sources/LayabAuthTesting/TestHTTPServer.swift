import Foundation
import LayabAuth
import LayabAuthJWKS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP/1.1 server on 127.0.0.1 with an ephemeral port, for tests: serves JWKS and discovery
/// documents with controllable status, headers, body, delay and stalls, and counts requests.
///
/// One thread accepts; each connection is answered on its own thread and closed (`Connection: close`).
/// Everything it does is bounded: request heads over 64 KiB are refused and a stalled answer ends when
/// the server stops or after ``Response/stallLimit`` seconds.
public final class TestHTTPServer: Sendable {
    public struct Request: Sendable {
        public let method: String
        /// The request target, e.g. `/jwks.json?x=1`.
        public let path: String
        /// Header names in lower case.
        public let headers: [String: String]
        /// The body as `Content-Length` announced it (at most 64 KiB), for POST requests.
        public let body: [UInt8]
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// Seconds to wait before answering.
        public var delay: Double
        /// Accept the request and never answer (until the server stops or `stallLimit` passes).
        public var stall: Bool
        /// Close the connection without answering.
        public var dropConnection: Bool
        public static let stallLimit = 30.0

        public init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = [], delay: Double = 0, stall: Bool = false, dropConnection: Bool = false) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.stall = stall
            self.dropConnection = dropConnection
        }

        /// A JSON answer.
        public static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> Response {
            Response(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
        }
    }

    public typealias Handler = @Sendable (Request) -> Response

    public let port: Int
    private let listener: Int32
    private let state: Locked<State>

    private struct State: Sendable {
        var handler: Handler
        var requests: [Request] = []
        var stopped = false
        /// After ``TestHTTPServer/stop()``: a socket bound to the port and never listening, so that the port
        /// refuses connections (a provider that is down) instead of reaching the next server given it.
        var portHolder: Int32 = -1
    }

    /// Starts listening at once.
    public init(handler: @escaping Handler) throws {
        let (fd, port) = try LoopbackSocket.bind()
        guard listen(fd, 128) == 0 else {
            let code = errno
            close(fd)
            throw POSIXError(.init(rawValue: code) ?? .EIO)
        }
        self.port = port
        listener = fd
        state = Locked(State(handler: handler))
        OwnThread.start(name: "test-http-server") { [self] in acceptLoop() }
    }

    deinit {
        stop()
        state.withLock { if $0.portHolder >= 0 { close($0.portHolder) } }
    }

    /// `http://127.0.0.1:PORT`
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func url(_ path: String) -> String { baseURL + path }

    public func setHandler(_ handler: @escaping Handler) { state.withLock { $0.handler = handler } }

    /// Every request received so far, in order.
    public var requests: [Request] { state.withLock { $0.requests } }

    /// How many requests asked for `path` (ignoring the query string).
    public func requestCount(path: String) -> Int {
        requests.filter { $0.path.split(separator: "?", maxSplits: 1).first.map(String.init) == path }.count
    }

    public func resetCounts() { state.withLock { $0.requests.removeAll() } }

    /// Stops accepting and ends stalled answers. Idempotent. Until this server is released, its port refuses
    /// connections: no other server (of this process) can be given it meanwhile.
    public func stop() {
        let wasRunning = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        if wasRunning {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
            // Best effort: the bind fails while connections this server closed linger in TIME_WAIT on the port,
            // which keeps an ephemeral bind away from it anyway.
            if let (holder, _) = try? LoopbackSocket.bind(port: port, exclusive: true) { state.withLock { $0.portHolder = holder } }
        }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func acceptLoop() {
        while !isStopped {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            OwnThread.start { [self] in serve(connection) }
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = readRequest(connection) else { return }
        let handler = state.withLock { state -> Handler in
            state.requests.append(request)
            return state.handler
        }
        let response = handler(request)
        if response.dropConnection { return }
        if response.stall {
            let deadline = Date().addingTimeInterval(Response.stallLimit)
            while !isStopped, Date() < deadline { usleep(20_000) }
            return
        }
        if response.delay > 0 { usleep(UInt32(response.delay * 1_000_000)) }
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        var names = Set<String>()
        for (name, value) in response.headers {
            head += "\(name): \(value)\r\n"
            names.insert(name.lowercased())
        }
        if !names.contains("content-length") { head += "Content-Length: \(response.body.count)\r\n" }
        head += "Connection: close\r\n\r\n"
        writeAll(connection, Array(head.utf8))
        if request.method != "HEAD" { writeAll(connection, response.body) }
    }

    private func readRequest(_ connection: Int32) -> Request? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while buffer.count < 65_536 {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<count])
            if let end = Self.headEnd(buffer) {
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let requestLine = lines.removeFirst().split(separator: " ")
                guard requestLine.count >= 2 else { return nil }
                var headers: [String: String] = [:]
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = min(Int(headers["content-length"] ?? "") ?? 0, 65_536)
                var body = Array(buffer[(end + 4)...])
                while body.count < length {
                    let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                    if count <= 0 { return nil }
                    body.append(contentsOf: chunk[0..<count])
                }
                return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: Array(body.prefix(length)))
            }
        }
        return nil
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func writeAll(_ connection: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            offset += written
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 404: "Not Found"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

#if canImport(Glibc)
private let systemBind = Glibc.bind
#elseif canImport(Darwin)
private let systemBind = Darwin.bind
#endif

/// A TCP socket bound to 127.0.0.1, not yet listening: what a test server listens on, and what holds a port
/// that must refuse connections.
package enum LoopbackSocket {
    /// Binds a new socket to `port` (0: any free port).
    /// - Parameter exclusive: without `SO_REUSEADDR`, so that no other socket can bind the port while this one
    ///   holds it (Linux lets two `SO_REUSEADDR` sockets bind one port while neither listens).
    /// - Returns: the socket and the port it is bound to.
    package static func bind(port: Int = 0, exclusive: Bool = false) throws -> (descriptor: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var yes: Int32 = 1
        if !exclusive { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemBind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            let code = errno
            close(fd)
            throw POSIXError(.init(rawValue: code) ?? .EIO)
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
