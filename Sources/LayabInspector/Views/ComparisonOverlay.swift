import LayabAuth

/// `D`: what changed, member by member, between an earlier token seen and the one shown, over the view.
enum ComparisonOverlay {
    static func lines(_ state: InspectorState, width: Int) -> [StyledLine] {
        guard let comparison = state.comparison else { return [StyledLine("only one token seen: nothing to compare", .muted)] }
        let count = state.history.entries.count
        var lines = [
            StyledLine("earlier  ", .accent).appending("token \(comparison.earlierIndex + 1) of \(count) (\(comparison.earlier.origin))", .text),
            StyledLine("shown    ", .accent).appending("token \(comparison.laterIndex + 1) of \(count) (\(comparison.later.origin))", .text),
            .empty,
        ]
        if let problem = comparison.result.problem { return lines + [StyledLine(problem, .warning)] }
        if comparison.result.differences.isEmpty { return lines + [StyledLine("same header and claims", .ok)] }
        for difference in comparison.result.differences {
            let name = "\(difference.part) \(difference.name)"
            let line: StyledLine = switch difference.change {
            case let .added(value): StyledLine("+ added    ", .ok).appending(name + ": ", .accent).appending(value.jsonText, .text)
            case let .removed(value): StyledLine("- removed  ", .error).appending(name + ": ", .accent).appending(value.jsonText, .text)
            case let .changed(from, to): StyledLine("~ changed  ", .warning).appending(name + ": ", .accent).appending("\(from.jsonText) → \(to.jsonText)", .text)
            }
            lines += line.wrapped(width: width, indent: 11)
        }
        return lines
    }

    static func draw(_ state: InspectorState, on screen: inout Screen) {
        let width = min(100, screen.width - 4)
        let body = lines(state, width: width - 4)
        let height = min(body.count + 4, screen.height - 2)
        let x = (screen.width - width) / 2, y = (screen.height - height) / 2
        screen.fill(x: x, y: y, width: width, height: height, role: .text)
        screen.box(x: x, y: y, width: width, height: height, title: "Compare: what changed since the earlier token", role: .accent)
        screen.draw(Array(body.prefix(height - 4)), x: x + 2, y: y + 2, width: width - 4, height: height - 4)
        screen.put("[ ] choose the earlier token  any other key closes", x: x + 2, y: y + height - 1, role: .muted, maxWidth: width - 4)
    }
}
