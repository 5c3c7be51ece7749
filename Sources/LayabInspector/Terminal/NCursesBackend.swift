internal import CNCurses

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal through ncurses (wide-character build): UTF-8, colours from the theme (256, 8 or
/// none), bracketed paste, resize.
package final class NCursesBackend: TerminalBackend {
    package let waker = Waker()
    private let theme: Theme
    private let useColor: Bool
    private var screenPointer: OpaquePointer?
    private var attributes: [Role: Int32] = [:]
    private var decoder = InputDecoder()
    private var started = false
    /// The screen drawn last: rows that did not change are not handed to ncurses again (a keypress that
    /// scrolls the claims changes a dozen rows of forty). Forgotten when the size changes.
    private var drawn: Screen?

    package struct StartError: Error, CustomStringConvertible {
        package let description: String
    }

    /// - Parameter useColor: false for `NO_COLOR` and monochrome themes; attributes (bold, reverse…) stay.
    package init(theme: Theme, useColor: Bool) {
        self.theme = theme
        self.useColor = useColor
    }

    deinit { stop() }

    package func start() throws {
        drawn = nil
        setlocale(LC_ALL, "")
        // The screen is drawn with box-drawing characters, bars, arrows and ellipses. In the C locale (no LANG,
        // as in many containers and CI jobs) ncurses cannot write them and every border vanished; terminals
        // that speak nothing but ASCII are rare, so a locale that names no character set means UTF-8 here.
        if Self.characterSet() == "ANSI_X3.4-1968" { setlocale(LC_CTYPE, "C.UTF-8") }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw StartError(description: "the inspector needs a terminal on standard input and output (use decode or verify in scripts)")
        }
        guard let screen = layab_newterm() else {
            throw StartError(description: "ncurses cannot drive this terminal (TERM=\(getenv("TERM").map { String(cString: $0) } ?? "unset"))")
        }
        screenPointer = screen
        started = true
        raw()
        noecho()
        nonl()
        keypad(layab_stdscr(), true)
        nodelay(layab_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        setUpColors()
        writeRaw("\u{1B}[?2004h")  // bracketed paste on
    }

    /// The character set of the current locale ("UTF-8"; "ANSI_X3.4-1968" in the C locale).
    static func characterSet() -> String {
        guard let name = nl_langinfo(nl_item(CODESET)) else { return "" }
        return String(cString: name)
    }

    package func stop() {
        guard started else { return }
        started = false
        writeRaw("\u{1B}[?2004l")
        endwin()
        if let screenPointer { delscreen(screenPointer) }
        screenPointer = nil
    }

    package var size: (width: Int, height: Int) {
        (Int(layab_columns()), Int(layab_lines()))
    }

    private func writeRaw(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    private func setUpColors() {
        var pair: Int16 = 1
        let colors = useColor && has_colors()
        if colors {
            start_color()
            use_default_colors()
        }
        let palette = Int(layab_colors())
        for role in Role.allCases {
            let style = theme.style(role, palette: palette)
            var attribute: Int32 = 0
            if style.bold { attribute |= Int32(bitPattern: layab_attr_bold()) }
            if style.dim { attribute |= Int32(bitPattern: layab_attr_dim()) }
            if style.underline { attribute |= Int32(bitPattern: layab_attr_underline()) }
            if style.reverse { attribute |= Int32(bitPattern: layab_attr_reverse()) }
            if colors {
                let colors = theme.cursesPair(role, palette: palette)
                init_pair(pair, Int16(colors.foreground), Int16(colors.background))
                if colors.dim { attribute |= Int32(bitPattern: layab_attr_dim()) }
                attribute |= layab_color_pair(Int32(pair))
                pair += 1
            } else if role == .title || role == .status || role == .selection || role == .demo {
                // Without colour, bars and selections stay visible by reversing.
                attribute |= Int32(bitPattern: layab_attr_reverse())
            }
            attributes[role] = attribute
        }
    }

    package func draw(_ screen: Screen) {
        guard started else { return }
        let previous = drawn.flatMap { $0.width == screen.width && $0.height == screen.height ? $0 : nil }
        drawn = screen
        var buffer: [wchar_t] = []
        buffer.reserveCapacity(screen.width)
        for y in 0..<screen.height {
            if let previous, previous.row(y).elementsEqual(screen.row(y)) { continue }
            var x = 0
            while x < screen.width {
                let role = screen[x, y].role
                let start = x
                buffer.removeAll(keepingCapacity: true)
                while x < screen.width, screen[x, y].role == role {
                    for scalar in screen[x, y].scalars { buffer.append(wchar_t(bitPattern: scalar.value)) }
                    x += 1
                }
                attrset(attributes[role] ?? 0)
                buffer.withUnsafeBufferPointer { _ = mvaddnwstr(Int32(y), Int32(start), $0.baseAddress, Int32($0.count)) }
            }
        }
        refresh()
    }

    package func readKeyPresses(timeoutMilliseconds: Int) -> [KeyPress] {
        var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: waker.readDescriptor, events: Int16(POLLIN), revents: 0)]
        _ = poll(&descriptors, 2, Int32(max(0, timeoutMilliseconds)))
        if descriptors[1].revents != 0 { waker.drain() }
        var codes: [InputDecoder.Code] = []
        readAvailable(into: &codes)
        // A burst of typing (a token sent by `tmux send-keys`, a terminal without bracketed paste) that the
        // sender wrote in several pieces goes on in the next piece: wait briefly for it, so that one token is
        // one paste rather than a paste replaced by its own tail. A person never types a burst.
        while codes.count >= InputDecoder.burstMinimum, codes.count <= 1 << 16, case let .byte(last)? = codes.last, last >= 0x20, last != 0x7F {
            var input = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
            guard poll(&input, 1, 30) > 0 else { break }
            let before = codes.count
            readAvailable(into: &codes)
            if codes.count == before { break }
        }
        return decoder.decode(afterRead: codes)
    }

    /// Reads what the terminal has ready, up to 64 Ki codes in all.
    private func readAvailable(into codes: inout [InputDecoder.Code]) {
        // Bytes, not wide characters: `wget_wch` drops the bytes of a broken UTF-8 sequence, and with them
        // an ESC that follows (the end of a paste), so the decoder assembles UTF-8 itself.
        while started {
            let value = wgetch(layab_stdscr())
            if value == ERR { break }
            if value > 0xFF {
                // After a resize ncurses has rebuilt its screen: the next frame is drawn whole, even at the
                // size of the last one (a window made larger and back between two frames).
                if value == KEY_RESIZE { drawn = nil }
                if let key = Self.key(forCode: value) { codes.append(.key(key)) }
            } else {
                codes.append(.byte(UInt8(value)))
            }
            if codes.count > 1 << 16 { break }
        }
    }

    static func key(forCode code: Int32) -> KeyPress? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_ENTER: .enter
        case KEY_BTAB: .backTab
        case KEY_RESIZE: .resize
        case KEY_F0 + 1...KEY_F0 + 12: .function(Int(code - KEY_F0))
        default: nil
        }
    }

    package func copyToClipboard(_ text: String) {
        guard started else { return }
        writeRaw(Clipboard.sequence(for: text))
    }
}
