/// An input event, as a terminal backend decodes it.
package enum Key: Equatable, Sendable {
    /// A printable character.
    case character(Character)
    /// Ctrl and a letter, lower case (`control("c")` is Ctrl-C).
    case control(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, pageUp, pageDown, home, end
    case function(Int)
    /// The whole content of a bracketed paste.
    case paste(String)
    /// The terminal changed size.
    case resize
}
