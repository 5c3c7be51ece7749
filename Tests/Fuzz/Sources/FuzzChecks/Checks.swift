#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LayabAuth

/// `FUZZ_TRACE=1` prints each input's outcome, for running a target on a few files by hand.
public let isTracing = getenv("FUZZ_TRACE") != nil

/// Prints `message` when tracing.
public func trace(_ message: @autoclosure () -> String) {
    if isTracing { print(message()) }
}

/// Traps when an invariant does not hold, so that libFuzzer keeps the input as a crash artifact.
///
/// `precondition` would do in debug builds, but a fuzz build may one day be optimised; `fatalError` always stops.
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                    file: StaticString = #fileID, line: UInt = #line)
{
    if !condition() { fatalError("fuzz invariant violated: \(message())", file: file, line: line) }
}

/// The fuzz input as the string an application would receive: invalid UTF-8 becomes U+FFFD, as it does
/// when a server decodes a header or a body.
public func string(fromFuzzInput start: UnsafeRawPointer, _ count: Int) -> String {
    String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
}

/// Checks what every ``LayabAuthError`` promises whatever the input: a code the API documents for the call,
/// a message, and RFC 6750 attributes that can be put in a response header as they are.
public func checkError(_ error: LayabAuthError, allowed: Set<LayabAuthError.Code>, _ context: @autoclosure () -> String) {
    require(allowed.contains(error.code), "\(context()): unexpected code \(error.code.rawValue): \(error.message)")
    require(!error.message.isEmpty, "\(context()): \(error.code.rawValue) without a message")
    // RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E.
    for byte in error.errorDescription.utf8 {
        require(byte >= 0x20 && byte <= 0x7E && byte != 0x22 && byte != 0x5C,
                "\(context()): error_description holds byte 0x\(String(byte, radix: 16)): \(error.errorDescription)")
    }
    // A header value never carries a line break or another control character (no response splitting).
    for byte in error.wwwAuthenticate(realm: "api").utf8 {
        require(byte >= 0x20 && byte != 0x7F, "\(context()): WWW-Authenticate holds byte 0x\(String(byte, radix: 16))")
    }
}

/// Whether `text` is one RFC 6750 `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
public func isB64Token(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    var index = 0
    while index < bytes.count, isToken68Character(bytes[index]) { index += 1 }
    guard index > 0 else { return false }
    while index < bytes.count, bytes[index] == UInt8(ascii: "=") { index += 1 }
    return index == bytes.count
}

private func isToken68Character(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
         UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
        true
    default:
        false
    }
}

/// base64url is canonical: a string that decodes re-encodes to itself, and bytes survive a round trip.
public func checkCanonicalBase64URL(_ segment: Substring, _ context: @autoclosure () -> String) {
    let text = String(segment)
    guard let bytes = try? Base64URL.decode(text) else { return }
    let again = Base64URL.encode(bytes)
    require(again == text, "\(context()): base64url \"\(text.prefix(80))\" decodes but re-encodes as \"\(again.prefix(80))\"")
    require((try? Base64URL.decode(again)) == bytes, "\(context()): base64url round trip changed the bytes")
}

/// JSON serialization is stable: what the library writes parses back and writes the same text again.
public func checkJSONRoundTrip(_ value: JSONValue, _ context: @autoclosure () -> String) {
    for text in [value.jsonText, value.prettyJSONText()] {
        guard let reparsed = try? JSONValue(parsing: text) else {
            require(false, "\(context()): the library's own JSON does not parse: \(text.prefix(200))")
            return
        }
        require(reparsed.jsonText == value.jsonText, "\(context()): JSON text changed on a round trip: \(value.jsonText.prefix(200)) became \(reparsed.jsonText.prefix(200))")
    }
}
