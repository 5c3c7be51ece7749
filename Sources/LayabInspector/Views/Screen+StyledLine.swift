extension Screen {
    /// Draws `lines` into a rectangle, starting at line `scroll`, clipping each line at the width; a line
    /// cut short ends in "…", so that a clipped value is never taken for a whole one.
    package mutating func draw(_ lines: [StyledLine], x: Int, y: Int, width w: Int, height h: Int, scroll: Int = 0) {
        guard w > 0, h > 0 else { return }
        let first = min(max(0, scroll), max(0, lines.count - 1))
        for (row, line) in lines.dropFirst(first).prefix(h).enumerated() {
            var column = x
            var clipped = false
            for span in line.spans {
                let remaining = x + w - column
                let drawn = remaining > 0 ? put(span.text, x: column, y: y + row, role: span.role, maxWidth: remaining) : 0
                column += drawn
                // Anything but trailing spaces left out?
                if !clipped, CharacterWidth.columns(of: span.text.trimmingTrailingSpaces) > drawn { clipped = true }
            }
            if clipped { _ = put("…", x: x + w - 1, y: y + row, role: .muted) }
        }
    }
}
