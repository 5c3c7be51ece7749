/// What the inspector needs from a terminal: its size, drawing a screen, and input. The ncurses
/// implementation is ``NCursesBackend``; tests drive the model and views without one.
package protocol TerminalBackend: AnyObject {
    func start() throws
    /// Restores the terminal. Safe to call more than once.
    func stop()
    var size: (width: Int, height: Int) { get }
    func draw(_ screen: Screen)
    /// Waits up to `timeoutMilliseconds` for input or a wake-up, and returns the keys read (maybe none).
    func readKeyPresses(timeoutMilliseconds: Int) -> [KeyPress]
    /// Interrupts a `readKeyPresses` wait from another thread.
    var waker: Waker { get }
    /// Puts `text` on the clipboard of the terminal the user sits at (``Clipboard``, OSC 52).
    func copyToClipboard(_ text: String)
}
