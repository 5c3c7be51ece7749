import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabAuthTesting
import LayabConsole
import TestSupport
import Testing

/// Batch mode on every core (issue 19): lines judged concurrently, results in input order, at most a window of
/// lines read ahead of the output, and the same bytes and exit status as one line at a time.
@Suite("layabauth verify - on every core", .fewAtATime)
struct BatchConcurrencyTests {
    /// Holds a task until it is opened.
    final class Gate: Sendable {
        private let state = Locked<(isOpen: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

        func wait() async {
            await withCheckedContinuation { continuation in
                let openAlready = state.withLock { state in
                    if !state.isOpen { state.waiter = continuation }
                    return state.isOpen
                }
                if openAlready { continuation.resume() }
            }
        }

        func open() {
            let waiter = state.withLock { state in
                state.isOpen = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    struct Counters: Sendable {
        var read = 0
        var written = 0
        var mostAhead = 0
        var judged = 0
        var readWhenOpened: Int?
        var order: [Int] = []
    }

    /// Reads the lines 1 to `total`, noting how far reading got ahead of writing.
    static func reader(_ counters: Locked<Counters>, total: Int) -> @Sendable () -> Int? {
        {
            counters.withLock { counters in
                guard counters.read < total else { return nil }
                counters.read += 1
                counters.mostAhead = max(counters.mostAhead, counters.read - counters.written)
                return counters.read
            }
        }
    }

    /// Takes the results written, which must come in input order.
    static func writer(_ counters: Locked<Counters>) -> @Sendable (Int, [Int]) -> Void {
        { first, results in
            counters.withLock { counters in
                #expect(first == counters.written + 1)
                counters.written += results.count
                counters.order += results
            }
        }
    }

    @Test("a slow first line: the others are judged, but no more than the window is read, and the output keeps input order")
    func window() async throws {
        let window = 8, total = 300
        let counters = Locked(Counters())
        let gate = Gate()
        let count = try await OrderedBatch<Int, Int>(window: window).run(
            read: Self.reader(counters, total: total),
            judge: { line, number in
                #expect(line == number)
                if number == 1 {
                    await gate.wait()
                } else {
                    // Finishing out of order: later lines sometimes before earlier ones.
                    for _ in 0..<(number * 7 % 5) { await Task.yield() }
                }
                let isLastOfFirstWindow = counters.withLock { counters in
                    counters.judged += 1
                    guard number != 1, counters.judged == window - 1 else { return false }
                    counters.readWhenOpened = counters.read
                    return true
                }
                // Lines 2 to `window` are done and line 1 is not: the window is full, reading has stopped.
                if isLastOfFirstWindow { gate.open() }
                return line
            },
            write: Self.writer(counters)
        )
        let final = counters.withLock { $0 }
        #expect(count == total)
        #expect(final.order == Array(1...total))
        #expect(final.readWhenOpened == window)
        #expect(final.mostAhead <= window, "\(final.mostAhead) lines read ahead of the output")
    }

    /// Runs a batch of `total` lines whose judge finishes them out of order; `ready` says whether a line is at hand.
    func chunked(window: Int, chunkLimit: Int, total: Int, ready: @escaping @Sendable (Counters) -> Bool) async throws -> Counters {
        let counters = Locked(Counters())
        let count = try await OrderedBatch<Int, Int>(window: window, chunkLimit: chunkLimit).run(
            read: Self.reader(counters, total: total),
            ready: { counters.withLock { ready($0) } },
            judge: { line, number in
                #expect(line == number)
                for _ in 0..<(number * 7 % 5) { await Task.yield() }
                return line
            },
            write: Self.writer(counters)
        )
        #expect(count == total)
        let final = counters.withLock { $0 }
        #expect(final.order == Array(1...total))
        return final
    }

    @Test("lines already at hand join a chunk: one hand-off for many lines, results still in input order, read-ahead bounded by window × chunk")
    func chunks() async throws {
        // Every fifth line is the last at hand: chunks of 5 lines (under the limit of 16), a window of 3 of them.
        let final = try await chunked(window: 3, chunkLimit: 16, total: 1_000) { $0.read % 5 != 0 }
        #expect(final.mostAhead <= 3 * 5, "\(final.mostAhead) lines read ahead of the output")
    }

    @Test("a chunk never holds more than its limit, however many lines are at hand")
    func chunkLimit() async throws {
        // Every line is always at hand: without the limit the first chunk would take all of them.
        let final = try await chunked(window: 2, chunkLimit: 7, total: 100) { _ in true }
        #expect(final.mostAhead <= 2 * 7, "\(final.mostAhead) lines read ahead of the output")
    }

    struct ReadFailure: Error {}

    @Test("a read that fails: every line read before it is written, then the error is thrown")
    func readFailure() async throws {
        let read = Locked(0), written = Locked<[Int]>([])
        await #expect(throws: ReadFailure.self) {
            _ = try await OrderedBatch<Int, Int>(window: 4).run(
                read: {
                    try read.withLock { read in
                        if read == 10 { throw ReadFailure() }
                        read += 1
                        return read
                    }
                },
                judge: { line, _ in line },
                write: { _, results in written.withLock { $0 += results } }
            )
        }
        #expect(written.withLock { $0 } == Array(1...10))
    }

    /// Every kind of line, in one input: valid RS256 and ES256 tokens, rejections of every stage, unreadable lines
    /// and one whose token is taken out of a curl command (a notice on standard error).
    static func mixedCorpus(_ directory: TemporaryDirectory) async throws -> (lines: [[UInt8]], keyFile: String) {
        let issuer = try TestIssuer()
        let rsa = TestIssuer(key: try await RSAKeys.shared.key(kid: "rsa"), name: issuer.name)
        let impostor = try TestIssuer(kid: "k1")
        let stranger = try TestIssuer(kid: "unknown")
        let keyFile = try directory.write("jwks.json", KeySet(keys: [issuer.key.verificationKey, rsa.key.verificationKey]).publicJWKS.jsonText)
        var lines: [[UInt8]] = []
        for number in 1...60 {
            let subject = JSONValue.string("user-\(number)\u{202E}")
            let line: String
            switch number % 12 {
            case 0: line = try rsa.token(["sub": subject])
            case 1: line = try impostor.token(["sub": subject])
            case 2: line = try issuer.token(["sub": subject, "aud": "other", "scope": "none"])
            case 3: line = "garbage \(number)"
            case 4: line = number % 24 == 4 ? "" : "  \t "
            case 5: line = try stranger.token(["sub": subject])
            case 6: line = "curl -H 'Authorization: Bearer \(try issuer.token(["sub": subject]))' https://api.test/"
            case 7: line = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5.aXY.Y2lwaGVydGV4dA.dGFn"
            case 8: line = "Bearer " + (try rsa.token(["sub": subject]))
            default: line = try (number % 2 == 0 ? rsa : issuer).token(["sub": subject])
            }
            lines.append(Array(line.utf8))
        }
        lines.insert(Array("eyJ".utf8) + [0xFF, 0xFE], at: 10)
        lines.insert([UInt8](repeating: UInt8(ascii: "a"), count: BatchTests.lineLimit + 1), at: 20)
        return (lines, keyFile)
    }

    @Test("a mixed corpus: the same bytes on both outputs and the same exit status as one line at a time", arguments: [["--json"], []])
    func sameAsSequential(_ format: [String]) async throws {
        let directory = try TemporaryDirectory()
        let (lines, keyFile) = try await Self.mixedCorpus(directory)
        let arguments = ["verify", "-", "--key", keyFile, "--issuer", "https://issuer.test", "--audience", "api", "--scope", "read"] + format
        let all = try await layabauth(arguments, input: lines.flatMap { $0 + [0x0A] })
        // One line at a time: each written only once the result of the one before is out.
        let sequential = try await OwnThread.run {
            let child = try ChildProcess(arguments)
            var answered = true
            for (index, line) in lines.enumerated() {
                child.write(line + [0x0A])
                answered = answered && child.pump(until: { $0.standardOutput.count(where: { $0 == 0x0A }) == index + 1 }, deadline: Date().addingTimeInterval(60))
            }
            return (answered, child.finish())
        }
        #expect(sequential.0, "a line was not answered before the next was written: \(sequential.1)")
        #expect(all.status == 1, "\(all)")
        #expect(all.outputLines.count == lines.count, "\(all)")
        #expect(!all.errorOutput.isEmpty, "the curl lines' notices")
        #expect(all.status == sequential.1.status)
        #expect(all.output == sequential.1.output)
        #expect(all.errorOutput == sequential.1.errorOutput)
    }

    @Test("an issuer whose keys come slowly holds back only the output: later tokens are verified meanwhile and written after it, in order")
    func slowIssuer() async throws {
        let fastKey = try SigningKey.generate(.es256, kid: "k1"), slowKey = try SigningKey.generate(.es256, kid: "k1")
        let fastServer = try identityProviderServer(jwks: KeySet(keys: [fastKey.verificationKey]).publicJWKS.jsonText)
        defer { fastServer.stop() }
        let slowJWKS = KeySet(keys: [slowKey.verificationKey]).publicJWKS.jsonText
        let slowServer = try TestHTTPServer { _ in .json("", status: 404) }
        defer { slowServer.stop() }
        let slowBase = slowServer.baseURL
        slowServer.setHandler { request in
            switch request.path {
            case "/jwks.json": return TestHTTPServer.Response(headers: [("Content-Type", "application/json")], body: Array(slowJWKS.utf8), delay: 1.5)
            case "/.well-known/openid-configuration":
                return .json(#"{"issuer":"\#(slowBase)","jwks_uri":"\#(slowBase)/jwks.json","response_types_supported":["code"]}"#)
            default: return .json(#"{"error":"not found"}"#, status: 404)
            }
        }
        let fast = TestIssuer(key: fastKey, name: fastServer.baseURL), slow = TestIssuer(key: slowKey, name: slowBase)
        var tokens = [try slow.token(["sub": "slow-1"])]
        tokens += try (2...30).map { try fast.token(["sub": .string("fast-\($0)")]) }
        tokens.append(try fast.token(["sub": "rejected-31", "aud": "other"]))
        tokens.append(try slow.token(["sub": "slow-32"]))
        let down = TestIssuer(key: fastKey, name: try stoppedServerURL(""))
        let arguments = ["verify", "-", "--json", "--audience", "api", "--trust-issuer", fast.name, "--trust-issuer", slow.name]
        let result = try await layabauth(arguments, input: tokens.joined(separator: "\n"))
        #expect(result.status == 1, "\(result)")
        let subjects = result.outputLines.map { jsonObject($0)["claims"]?["sub"]?.stringValue }
        #expect(subjects == ["slow-1"] + (2...30).map { "fast-\($0)" } + ["rejected-31", "slow-32"])
        #expect(result.outputLines.map { jsonObject($0)["line"]?.doubleValue } == (1...32).map { Double($0) })
        #expect(slowServer.requestCount(path: "/jwks.json") == 1, "one retrieval, shared by both of the slow issuer's tokens")

        // An issuer that cannot be reached is exit 3, whatever else was rejected.
        let unreachable = try await layabauth(arguments + ["--trust-issuer", down.name],
                                              input: ([try down.token(["sub": "down"])] + tokens).joined(separator: "\n"))
        #expect(unreachable.status == 3, "\(unreachable)")
        #expect(unreachable.outputLines.count == 33, "\(unreachable)")
        #expect(jsonObject(unreachable.outputLines[0]).errorCodes == ["jwks_unavailable"], "\(unreachable)")
    }
}
