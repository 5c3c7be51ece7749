import Foundation

/// A client secret or refresh token kept in a file, so that it never appears in a command line.
package enum SecretFile {
    /// The file's text without one trailing line break.
    /// - Parameter name: what the file holds, in errors ("the client secret file s.txt"); the content is never quoted.
    /// - Throws: ``InputError`` when the file cannot be read, is empty, or is not UTF-8.
    package static func text(path: String, named name: String) throws(InputError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError("cannot read \(name)") }
        let bytes = KeyFile.withoutTrailingLineBreak(Array(data))
        guard !bytes.isEmpty else { throw InputError("\(name) is empty") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw InputError("\(name) is not UTF-8 text") }
        return text
    }
}
