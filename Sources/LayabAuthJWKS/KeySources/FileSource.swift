import Foundation
import LayabAuth

/// Reading key material from the file system, with the same size cap as HTTP.
enum FileSource {
    static func read(_ path: String, limit: Int) throws(LayabAuthError) -> [UInt8] {
        guard !path.utf8.contains(0) else { throw LayabAuthError(.jwksUnavailable, "cannot read keys from a path holding a NUL byte") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read (permissions?)" : "no such file"
            throw LayabAuthError(.jwksUnavailable, "cannot read keys from \(path): \(reason)")
        }
        defer { try? handle.close() }
        let data: Data?
        // One byte past the limit tells a file at the limit from a larger one; a limit of Int.max (which
        // HTTPOptions.validate refuses) must not overflow here either.
        do { data = try handle.read(upToCount: limit < Int.max ? limit + 1 : limit) } catch {
            throw LayabAuthError(.jwksUnavailable, "cannot read keys from \(path): \(systemReason(error))")
        }
        let bytes = data.map { [UInt8]($0) } ?? []
        if bytes.count > limit { throw LayabAuthError(.jwksUnavailable, "cannot read keys from \(path): the file is larger than the \(limit)-byte limit") }
        return bytes
    }
}

/// The system's words for a failed read ("Is a directory"), rather than Foundation's error domain and number.
package func systemReason(_ error: any Error) -> String {
    if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code)))
    }
    if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
    return error.localizedDescription
}
