import Foundation

/// The terminal's clipboard, through OSC 52 (xterm's "Manipulate Selection Data"): the terminal the user sits
/// at sets its clipboard, so that a copy works over ssh and through tmux (with `set -g set-clipboard on`),
/// where no local clipboard program could reach it.
package enum Clipboard {
    /// The most bytes of text sent: a bound, so that a pasted megabyte never floods the terminal.
    package static let maximumBytes = 1 << 20

    /// `ESC ] 52 ; c ; <base64 of text> BEL`: asks the terminal to put `text` on its clipboard (`c`).
    package static func sequence(for text: String) -> String {
        "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    }
}
