/// A grid of styled cells: what views draw into and what a terminal backend shows.
package struct Screen: Sendable, Equatable {
    package struct Cell: Sendable, Equatable {
        /// The character (the first scalar of its grapheme cluster); `nil` for the right half of a
        /// double-width character.
        package var scalar: Unicode.Scalar?
        package var role: Role
        /// The rest of the grapheme cluster: combining marks, joiners and the people of a ZWJ sequence,
        /// drawn in this cell with `scalar` (`e` + U+0301 U+0301 U+0301 is one cell).
        package var combining: [Unicode.Scalar] = []

        package init(scalar: Unicode.Scalar?, role: Role, combining: [Unicode.Scalar] = []) {
            self.scalar = scalar
            self.role = role
            self.combining = combining
        }

        /// Every scalar the cell draws, in order (none for the right half of a wide character).
        package var scalars: [Unicode.Scalar] { scalar.map { [$0] + combining } ?? [] }
    }

    package let width: Int
    package let height: Int
    package private(set) var cells: [Cell]

    package init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(scalar: " ", role: .text), count: self.width * self.height)
    }

    package subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` from (x, y) a grapheme cluster per cell (two for a wide one), clipped at `maxWidth`
    /// columns and the screen's edge. Clusters of no width (controls, a combining mark with nothing to
    /// combine with) are dropped: views escape what must be seen. Returns the columns written.
    @discardableResult
    package mutating func put(_ text: String, x: Int, y: Int, role: Role, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        for character in text {
            let columns = CharacterWidth.columns(character)
            if columns == 0 { continue }
            var scalars = character.unicodeScalars.makeIterator()
            guard let scalar = scalars.next() else { continue }
            if column + columns > limit {
                // Cut: the last column shown says so.
                if column - 1 >= max(0, x) {
                    if self[column - 1, y].scalar == nil, column - 2 >= max(0, x) {
                        self[column - 2, y] = Cell(scalar: "…", role: role)
                        self[column - 1, y] = Cell(scalar: " ", role: role)
                    } else {
                        self[column - 1, y] = Cell(scalar: "…", role: role)
                    }
                }
                break
            }
            if column >= 0 {
                self[column, y] = Cell(scalar: scalar, role: role, combining: Array(IteratorSequence(scalars)))
                if columns == 2 { self[column + 1, y] = Cell(scalar: nil, role: role) }
            }
            column += columns
        }
        return column - x
    }

    /// Fills a rectangle with spaces of `role`.
    package mutating func fill(x: Int, y: Int, width w: Int, height h: Int, role: Role) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) { self[column, row] = Cell(scalar: " ", role: role) }
        }
    }

    /// A box border with a title in its top edge.
    package mutating func box(x: Int, y: Int, width w: Int, height h: Int, title: String, role: Role = .border, titleRole: Role = .accent) {
        guard w >= 2, h >= 2 else { return }
        put("┌" + String(repeating: "─", count: w - 2) + "┐", x: x, y: y, role: role)
        for row in (y + 1)..<(y + h - 1) {
            put("│", x: x, y: row, role: role)
            put("│", x: x + w - 1, y: row, role: role)
        }
        put("└" + String(repeating: "─", count: w - 2) + "┘", x: x, y: y + h - 1, role: role)
        if !title.isEmpty { put(" \(title) ", x: x + 2, y: y, role: titleRole, maxWidth: w - 4) }
    }

    /// The text of row `y` (for tests and plain-text output).
    package func text(row y: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for x in 0..<width { scalars.append(contentsOf: self[x, y].scalars) }
        return String(scalars)
    }

    /// Every row, trailing spaces kept.
    package var rows: [String] { (0..<height).map { text(row: $0) } }

    /// The cells of row `y`, left to right.
    package func row(_ y: Int) -> ArraySlice<Cell> { cells[y * width..<(y + 1) * width] }

    /// Whether any row contains `fragment`.
    package func contains(_ fragment: String) -> Bool { rows.contains { $0.contains(fragment) } }
}
