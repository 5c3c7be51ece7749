/// Padding with and trimming of spaces, for table cells and clipped rows.
extension String {
    /// The string without the spaces at its end.
    var trimmingTrailingSpaces: Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " { end = index(before: end) }
        return self[..<end]
    }

    /// The string cut or padded with spaces to `width` characters (what `padding(toLength:withPad:startingAt:)`
    /// does, without the round trip through NSString on every frame).
    func padded(to width: Int) -> String {
        let count = self.count
        if count == width { return self }
        if count > width { return String(prefix(max(0, width))) }
        return self + String(repeating: " ", count: width - count)
    }

    /// The string padded with spaces to `columns` terminal columns (wide characters count two, combining
    /// marks none); never cut.
    func padded(toColumns columns: Int) -> String {
        let width = CharacterWidth.columns(of: self)
        return width >= columns ? self : self + String(repeating: " ", count: columns - width)
    }
}
