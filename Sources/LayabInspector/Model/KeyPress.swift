/// An input event (a key press, a paste, a resize), as a terminal backend decodes it.
///
/// The model's input vocabulary: ``InspectorState/handle(_:)`` takes it, and tests drive the model with it
/// without a terminal; backends (``InputDecoder``, ``NCursesBackend``) only produce it.
package enum KeyPress: Equatable, Sendable {
    /// A printable character.
    case character(Character)
    /// Ctrl and a letter, lower case (`control("c")` is Ctrl-C).
    case control(Character)
    case enter, escape, tab, backTab, backspace, delete
    /// Alt (Meta) and Backspace, which terminals send as ESC DEL: delete a word.
    case altBackspace
    case up, down, left, right, pageUp, pageDown, home, end
    case function(Int)
    /// The whole content of a bracketed paste.
    case paste(String)
    /// The terminal changed size.
    case resize
}
