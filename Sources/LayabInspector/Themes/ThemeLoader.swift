import Foundation

/// Finds a theme by name or path.
package enum ThemeLoader {
    /// Folders searched for `<name>.theme`: `$LAYABAUTH_THEMES`, the repository's `themes/` above a
    /// development build (the nearest folder above the binary that holds `themes/default.theme`, whatever
    /// the build layout: `.build/debug`, `.build/<triple>/release`…), an installed `share/layabauth/themes`,
    /// and `./themes`.
    package static func searchFolders(executable: String = executablePath()) -> [String] {
        var folders: [String] = []
        if let custom = ProcessInfo.processInfo.environment["LAYABAUTH_THEMES"], !custom.isEmpty { folders.append(custom) }
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        var folder = binary
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("themes")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("default.theme").path) {
                folders.append(candidate.standardizedFileURL.path)
                break
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        folders.append(binary.appendingPathComponent("../share/layabauth/themes").standardizedFileURL.path)
        folders.append(FileManager.default.currentDirectoryPath + "/themes")
        return folders
    }

    /// The running binary's path: `/proc/self/exe` where there is one (argv[0] may be a bare name found
    /// on `PATH`), else argv[0].
    package static func executablePath() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return CommandLine.arguments.first ?? ""
    }

    package struct LoadError: Error, CustomStringConvertible {
        package let description: String
    }

    /// A theme by name (`dark`, `light`, …) or by path (anything with a `/` or ending in `.theme`).
    package static func load(_ nameOrPath: String, folders: [String] = searchFolders()) throws(LoadError) -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") {
            return try read(path: nameOrPath, name: URL(fileURLWithPath: nameOrPath).deletingPathExtension().lastPathComponent)
        }
        for folder in folders {
            let path = folder + "/" + nameOrPath + ".theme"
            if FileManager.default.fileExists(atPath: path) { return try read(path: path, name: nameOrPath) }
        }
        switch nameOrPath {
        case "default": return .builtInDefault
        case "monochrome": return .monochrome
        default:
            throw LoadError(description: "no theme \"\(nameOrPath)\" in \(folders.joined(separator: ", ")) (give a name or a path to a .theme file)")
        }
    }

    /// Theme names found in the search folders.
    package static func available(folders: [String] = searchFolders()) -> [String] {
        var names = Set(["default", "monochrome"])
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for file in files where file.hasSuffix(".theme") { names.insert(String(file.dropLast(6))) }
        }
        return names.sorted()
    }

    private static func read(path: String, name: String) throws(LoadError) -> Theme {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError(description: "cannot read theme file \(path)") }
        do { return try Theme(parsing: String(decoding: data, as: UTF8.self), fallbackName: name) } catch {
            throw LoadError(description: "theme file \(path), \(error)")
        }
    }
}
