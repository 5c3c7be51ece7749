import LayabAuth

/// JSON given on the command line: `--claims <json|@file|->` and `--header name=<json>`.
package enum JSONArgument {
    /// The JSON object of `argument`: JSON text itself, `@path` for a file, or `-` for standard input.
    /// - Parameter option: the option's name, for errors ("--claims").
    package static func object(_ argument: String, option: String) throws -> JSONObject {
        let source = TokenInput.Source(argument: argument)
        let name = switch source {
        case .literal: option
        case .standardInput: "\(option) - (standard input)"
        case let .file(path): "\(option) file \(path)"
        }
        let text = try TokenInput.readText(source)
        let value: JSONValue
        do { value = try JSONParser.parse(Array(text.utf8)) } catch { throw InputError("\(name) is not valid JSON: \(error)") }
        guard let object = value.objectValue else { throw InputError("\(name) must be a JSON object, found \(value.typeName)") }
        return object
    }

    /// The name and JSON value of `name=<json>`, as `--header cty='"JWT"'` or `--header x5t='[1,2]'` give them.
    package static func member(_ argument: String, option: String) throws -> (name: String, value: JSONValue) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            throw InputError("\(option) \"\(argument)\" must be name=<json>, such as cty='\"JWT\"'")
        }
        let name = String(argument[..<equals]), text = String(argument[argument.index(after: equals)...])
        do { return (name, try JSONParser.parse(Array(text.utf8))) } catch {
            throw InputError("\(option) \(name): the value must be JSON (a string in double quotes, such as \(name)='\"value\"'): \(error)")
        }
    }
}
