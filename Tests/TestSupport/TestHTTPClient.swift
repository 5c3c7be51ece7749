import Foundation
import LayabAuthTesting

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 client for tests against servers on 127.0.0.1 (one request per connection).
public enum TestHTTPClient {
    public struct Response: Sendable {
        public let status: Int
        /// Header names in lower case.
        public let headers: [String: String]
        public let body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// GET `path` from 127.0.0.1:`port`; bounded by `timeout` seconds.
    public static func get(port: Int, path: String, headers: [(String, String)] = [], timeout: Double = 10) throws -> Response {
        let socket = try connect(port: port, timeout: timeout)
        defer { close(socket) }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failure(description: "send failed") }
            sent += count
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 { throw Failure(description: "receive failed or timed out") }
            if count == 0 { break }
            received.append(contentsOf: chunk[0..<count])
            if received.count > 8 << 20 { throw Failure(description: "response larger than 8 MiB") }
        }
        return try parse(received)
    }

    /// Whether something accepts connections on 127.0.0.1:`port`.
    public static func isListening(port: Int) -> Bool {
        guard let socket = try? connect(port: port, timeout: 1) else { return false }
        close(socket)
        return true
    }

    /// Waits until 127.0.0.1:`port` accepts connections, at most `timeout` seconds.
    public static func waitUntilListening(port: Int, timeout: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if isListening(port: port) { return true }
            usleep(50_000)
        }
        return isListening(port: port)  // once more: a stalled machine may have slept past the deadline
    }

    /// A port that was free a moment ago (bound to 0, read, released).
    public static func freePort() throws -> Int {
        let server = try TestHTTPServer { _ in TestHTTPServer.Response() }
        let port = server.port
        server.stop()
        return port
    }

    /// A port on 127.0.0.1 that refuses connections for as long as this value lives: a socket bound to it that
    /// never listens. Unlike a stopped server's port, no other test's server can be given it meanwhile.
    public final class RefusingPort: Sendable {
        public let port: Int
        private let descriptor: Int32

        public init() throws {
            (descriptor, port) = try LoopbackSocket.bind(exclusive: true)
        }

        deinit { close(descriptor) }
    }

    private static func connect(port: Int, timeout: Double) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(description: "connection to 127.0.0.1:\(port) refused")
        }
        return fd
    }

    private static func parse(_ bytes: [UInt8]) throws -> Response {
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }) else {
            throw Failure(description: "no complete response head")
        }
        let head = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure(description: "bad status line") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return Response(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            var lineEnd = index
            while lineEnd + 1 < bytes.count, !(bytes[lineEnd] == 13 && bytes[lineEnd + 1] == 10) { lineEnd += 1 }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            guard start + size <= bytes.count else { break }
            output.append(contentsOf: bytes[start..<(start + size)])
            index = start + size + 2
        }
        return output
    }
}
