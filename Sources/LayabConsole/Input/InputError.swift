/// A problem with the command line's input (not with a token): exit status 2.
package struct InputError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
