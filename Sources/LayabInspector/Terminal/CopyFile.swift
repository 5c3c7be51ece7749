#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A copy written to a file (`w`): always a new file, readable and writable by its owner only, since a token
/// is a credential; an existing file is never overwritten (`layabauth-token.txt`, then `layabauth-token-2.txt`…).
package enum CopyFile {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Writes `text` (with a final line break) to a new file named after `name` in `directory`.
    /// - Returns: the path written.
    /// - Throws: ``Failure`` naming the path and the system's reason.
    package static func create(_ text: String, named name: String, in directory: String) throws(Failure) -> String {
        let dot = name.firstIndex(of: ".") ?? name.endIndex
        for number in 1...99 {
            let candidate = number == 1 ? name : "\(name[..<dot])-\(number)\(name[dot...])"
            let path = directory.hasSuffix("/") ? directory + candidate : directory + "/" + candidate
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor < 0, errno == EEXIST { continue }
            guard descriptor >= 0 else { throw Failure(description: "\(path): \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            var bytes = Array(text.utf8)
            if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
            var written = 0
            while written < bytes.count {
                let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { throw Failure(description: "\(path): \(String(cString: strerror(errno)))") }
                written += count
            }
            return path
        }
        throw Failure(description: "\(name) and 98 numbered names exist already in \(directory)")
    }
}
