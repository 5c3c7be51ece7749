import Testing
import LayabInspector

/// Reading a rendered ``Screen`` the way a person reads the terminal: find a text, ask its colour role.
extension Screen {
    /// The column and row where `fragment` first starts, counting columns as the terminal does.
    func find(_ fragment: String, inRowContaining rowFragment: String? = nil) -> (x: Int, y: Int)? {
        let wanted = Array(fragment.unicodeScalars)
        guard !wanted.isEmpty else { return nil }
        for y in 0..<height {
            if let rowFragment, !text(row: y).contains(rowFragment) { continue }
            // The scalars of the row with the column each one starts at (wide characters take two).
            var scalars: [(scalar: Unicode.Scalar, x: Int)] = []
            for x in 0..<width { if let scalar = self[x, y].scalar { scalars.append((scalar, x)) } }
            guard scalars.count >= wanted.count else { continue }
            for start in 0...(scalars.count - wanted.count)
                where zip(scalars[start..<(start + wanted.count)], wanted).allSatisfy({ $0.0.scalar == $0.1 })
            {
                return (scalars[start].x, y)
            }
        }
        return nil
    }

    /// The role of the first cell of `fragment`, or nil when the screen does not show it.
    func role(of fragment: String, inRowContaining rowFragment: String? = nil) -> Role? {
        find(fragment, inRowContaining: rowFragment).map { self[$0.x, $0.y].role }
    }

    /// The row showing `fragment`, trailing spaces removed.
    func row(containing fragment: String) -> String? {
        rows.first { $0.contains(fragment) }.map(\.trimmedEnd)
    }

    /// The text between columns `from` (included) and `to` (excluded) of every row, trailing spaces removed.
    func column(from: Int, to: Int) -> [String] {
        (0..<height).map { y in
            var scalars = String.UnicodeScalarView()
            for x in max(0, from)..<min(width, to) { if let scalar = self[x, y].scalar { scalars.append(scalar) } }
            return String(scalars).trimmedEnd
        }
    }

    /// The lines of a panel that follow the line starting with `heading` and are indented under it
    /// (wrapped continuation lines), joined with spaces: the text as it was before wrapping.
    func paragraph(startingWith heading: String, from: Int, to: Int) -> String? {
        let lines = column(from: from, to: to)
        guard let first = lines.firstIndex(where: { $0.hasPrefix(heading) }) else { return nil }
        var parts = [lines[first].trimmingSpaces]
        for line in lines[(first + 1)...] {
            guard line.hasPrefix("  "), !line.trimmingSpaces.isEmpty else { break }
            parts.append(line.trimmingSpaces)
        }
        return parts.joined(separator: " ")
    }
}

extension String {
    var trimmedEnd: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }

    var trimmingSpaces: String { String(drop { $0 == " " }).trimmedEnd }
}

extension Screen {
    /// The columns inside the Verification box (between its borders), found from its drawn corners.
    var verificationColumns: Range<Int>? {
        guard let title = find(" Verification ") else { return nil }
        var x = title.x
        while x < width, self[x, title.y].scalar != "┐" { x += 1 }
        return x < width ? 1..<x : nil
    }

    /// A paragraph of the Verification panel (see ``paragraph(startingWith:from:to:)``).
    func verification(_ heading: String) -> String? {
        guard let columns = verificationColumns else { return nil }
        return paragraph(startingWith: heading, from: columns.lowerBound + 1, to: columns.upperBound - 1)
    }

    /// The line of a claim check in the Verification panel ("exp  ok   expires in 59m"), unwrapped.
    func check(_ claim: String) -> String? {
        verification(claim.padding(toLength: 5, withPad: " ", startingAt: 0))
    }

    /// The value of the `WWW-Authenticate` header the Verification panel shows, unwrapped.
    var wwwAuthenticate: String? {
        guard let text = verification("  WWW-Authenticate: ") else { return nil }
        return String(text.dropFirst("WWW-Authenticate: ".count))
    }

    /// Everything on screen, for failure messages.
    var dump: String { rows.map(\.trimmedEnd).joined(separator: "\n") }
}

/// Failure messages show a screen as the rows a person would see, not as a list of cells.
extension Screen: CustomTestStringConvertible {
    package var testDescription: String { "\n" + dump }
}

extension Screen {
    /// The title of the box whose top border holds `fragment` ("┌─ Keys ───┐" gives "Keys").
    func title(containing fragment: String) -> String? {
        for row in rows {
            guard let found = row.range(of: fragment), let start = row[..<found.lowerBound].range(of: "┌─ ", options: .backwards) else { continue }
            return String(row[start.upperBound...].prefix { $0 != "─" }).trimmingSpaces
        }
        return nil
    }
}

extension Screen {
    /// A box drawn on the screen, corners included.
    struct Box: Equatable, CustomStringConvertible {
        let left: Int, top: Int, right: Int, bottom: Int
        var description: String { "box (\(left),\(top))-(\(right),\(bottom))" }
    }

    /// Every box whose four borders are whole, and a description of each broken one.
    func boxes() -> (whole: [Box], broken: [String]) {
        var whole: [Box] = [], broken: [String] = []
        for y in 0..<height {
            for x in 0..<width where self[x, y].scalar == "┌" {
                var right = x + 1
                while right < width, self[right, y].scalar != "┐" { right += 1 }
                var bottom = y + 1
                while bottom < height, self[x, bottom].scalar == "│" { bottom += 1 }
                guard right < width, bottom < height, self[x, bottom].scalar == "└" else {
                    broken.append("the box at (\(x),\(y)) has no top-right or bottom-left corner")
                    continue
                }
                let box = Box(left: x, top: y, right: right, bottom: bottom)
                var problems: [String] = []
                if self[right, bottom].scalar != "┘" { problems.append("no bottom-right corner") }
                for row in (y + 1)..<bottom where self[right, row].scalar != "│" { problems.append("right border broken at row \(row)") }
                // A title may interrupt the top border, a footer the bottom one: both one run, two columns in.
                for (row, name) in [(y, "top"), (bottom, "bottom")] {
                    var column = x + 1
                    if column + 1 < right, self[column, row].scalar == "─", self[column + 1, row].scalar != "─" {
                        column += 1
                        while column < right, self[column, row].scalar != "─" { column += 1 }
                    }
                    while column < right, self[column, row].scalar == "─" { column += 1 }
                    if column < right { problems.append("\(name) border broken at column \(column)") }
                }
                if problems.isEmpty { whole.append(box) } else { broken.append("\(box): \(problems.joined(separator: ", "))") }
            }
        }
        return (whole, broken)
    }
}
