import LayabAuth

/// Lays out the whole inspector screen from the state: a pure function of state, time and size.
package enum InspectorView {
    package static let minimumWidth = 80
    package static let minimumHeight = 24

    package static func render(_ state: InspectorState, now: Double, width: Int, height: Int) -> Screen {
        var screen = Screen(width: width, height: height)
        guard width >= CompactView.minimumWidth, height >= CompactView.minimumHeight else {
            // Wrapped, so that even a terminal a few columns wide says why it shows nothing else.
            let lines = Wrap.lines("layabauth needs a \(CompactView.minimumWidth)x\(CompactView.minimumHeight) terminal", width: width).map { StyledLine($0, .warning) }
                + Wrap.lines("this one is \(width)x\(height); q quits", width: width).map { StyledLine($0, .muted) }
            screen.draw(lines, x: 0, y: 0, width: width, height: height)
            return screen
        }
        let report = state.report(now: now)
        titleBar(state, on: &screen)
        let promptRows: Int
        if width >= minimumWidth, height >= minimumHeight {
            promptRows = fullLayout(state, report: report, now: now, on: &screen)
        } else {
            // Every prompt, the token's too, takes the row above the status bar: there is no token box.
            promptRows = state.editing == nil ? 0 : 1
            CompactView.draw(state, report: report, now: now, promptRows: promptRows, on: &screen)
        }
        if promptRows == 1, let field = state.editing { promptLine(state, field, on: &screen) }
        statusBar(state, on: &screen)
        if state.showComparison { ComparisonOverlay.draw(state, on: &screen) }
        if state.showHelp { HelpOverlay.draw(on: &screen) }
        return screen
    }

    /// The token box and the panels below it, at the minimum size or more. Returns the rows the prompt takes.
    static func fullLayout(_ state: InspectorState, report: VerificationReport?, now: Double, on screen: inout Screen) -> Int {
        let width = screen.width, height = screen.height
        let layout = Layout(state, width: width, height: height)
        let tokenRows = layout.tokenRows
        let tokenTitle = state.editing == .token ? "Token  (editing: Enter done, Esc restore, Ctrl-Z undo)"
            : "Token" + (state.token.isEmpty ? "" : "  \(state.token.utf8.count) bytes")
        screen.box(x: 0, y: 1, width: width, height: layout.tokenHeight, title: tokenTitle)
        screen.draw(tokenRows, x: 2, y: 2, width: width - 4, height: tokenRows.count)

        let bodyTop = layout.bodyTop
        let bodyHeight = layout.bodyHeight
        switch state.panel {
        case .token:
            let leftWidth = layout.leftWidth
            let rightWidth = layout.rightWidth
            if let shown = state.shownIntrospection, let endpoint = state.introspectionEndpoint {
                IntrospectionPanel.draw(shown, endpoint: endpoint, now: now, leftWidth: leftWidth, rightWidth: rightWidth, top: bodyTop, height: bodyHeight,
                                        claimsScroll: state.claimsScroll, on: &screen)
                break
            }
            let left = VerificationPanel.content(state, report: report, now: now, width: leftWidth - 4, height: bodyHeight - 2)
            // A body too long scrolls above a line saying so and the server's answer, which stay in view.
            let bodyRows = left.bodyRows(visible: bodyHeight - 2)
            let leftScroll = min(state.verificationScroll, max(0, left.body.count - bodyRows))
            let leftScrolls = left.body.count > bodyRows
            let leftMore = state.scrollsVerification && leftScrolls
                ? "  ↑↓ \(leftScroll + 1)-\(min(left.body.count, leftScroll + bodyRows))/\(left.body.count)" : ""
            // The panel ↑↓ scroll has an accented border, when it has anything to scroll.
            screen.box(x: 0, y: bodyTop, width: leftWidth, height: bodyHeight, title: "Verification" + leftMore,
                       role: state.scrollsVerification && leftScrolls ? .accent : .border)
            screen.draw(left.body, x: 2, y: bodyTop + 1, width: leftWidth - 4, height: bodyRows, scroll: leftScroll)
            if !left.answer.isEmpty {
                let below = left.body.count - leftScroll - bodyRows
                let hint = below > 0 ? "▼ \(below) more" + (state.scrollsVerification ? ": ↑↓ scroll" : ": ← then ↑↓")
                                     : "▲ ↑ scrolls back"
                screen.draw([StyledLine(hint, .muted)] + left.answer, x: 2, y: bodyTop + 1 + bodyRows, width: leftWidth - 4, height: 1 + left.answer.count)
            }
            let right = ClaimsPanel.lines(report?.decoded, now: now, width: rightWidth - 4)
            let scroll = min(state.claimsScroll, max(0, right.count - (bodyHeight - 2)))
            let rightScrolls = right.count > bodyHeight - 2
            let more = !state.scrollsVerification && rightScrolls
                ? "  ↑↓ \(scroll + 1)-\(min(right.count, scroll + bodyHeight - 2))/\(right.count)" : ""
            screen.box(x: leftWidth, y: bodyTop, width: rightWidth, height: bodyHeight, title: "Claims and header" + more,
                       role: !state.scrollsVerification && rightScrolls && leftScrolls ? .accent : .border)
            screen.draw(right, x: leftWidth + 2, y: bodyTop + 1, width: rightWidth - 4, height: bodyHeight - 2, scroll: scroll)
        case .keys:
            let list = KeysPanel.content(state, report: report, now: now, width: width - 4)
            let lines = list.lines
            let scroll = state.keyDetail ? min(state.keyDetailScroll, max(0, lines.count - (bodyHeight - 2)))
                                         : KeysPanel.listScroll(list, state: state, visible: bodyHeight - 2)
            let more = state.keyDetail && lines.count > bodyHeight - 2 ? "  ↑↓ \(scroll + 1)-\(min(lines.count, scroll + bodyHeight - 2))/\(lines.count)" : ""
            screen.box(x: 0, y: bodyTop, width: width, height: bodyHeight, title: state.keyDetail ? "Key details" + more : "Keys")
            screen.draw(lines, x: 2, y: bodyTop + 1, width: width - 4, height: bodyHeight - 2, scroll: scroll)
        }
        return layout.promptRows
    }

    /// The prompt line above the status bar: the label, the text with the cursor where typing goes (the
    /// text in the selection colour while all of it is selected), and beside it why the value was refused
    /// or what it is compared with. A key or secret is shown as dots only.
    static func promptLine(_ state: InspectorState, _ field: InspectorState.Field, on screen: inout Screen) {
        let y = screen.height - 2
        let width = screen.width
        screen.fill(x: 0, y: y, width: width, height: 1, role: .input)
        let x = 1 + screen.put(field.label + ": ", x: 1, y: y, role: .accent)
        let aside = state.promptAside.map { (text: "  " + $0.text, role: $0.isError ? Role.error : .muted) }
        // The aside takes at most half of what is left; the text and its cursor the rest.
        let asideWidth = min(aside.map { CharacterWidth.columns(of: $0.text) } ?? 0, max(0, (width - x) / 2))
        let room = max(2, width - x - 2 - asideWidth)
        let editor = state.editor
        var before = field == .key ? String(repeating: "•", count: min(editor.cursor, room, 16)) : editor.beforeCursor
        var after = field == .key ? "" : editor.afterCursor
        // Scrolled so that the cursor shows, with … where text is hidden.
        if before.count + after.count + 1 > room {
            let kept = min(before.count, max(room / 2, room - 1 - after.count))
            if kept < before.count { before = "…" + before.suffix(max(0, kept - 1)) }
            if before.count + after.count + 1 > room { after = String(after.prefix(max(0, room - 2 - before.count))) + "…" }
        }
        let textRole: Role = editor.isAllSelected ? .selection : .input
        var column = x + screen.put(before, x: x, y: y, role: textRole)
        column += screen.put("▏", x: column, y: y, role: .accent)
        column += screen.put(after, x: column, y: y, role: textRole)
        if let aside { screen.put(aside.text, x: column, y: y, role: aside.role, maxWidth: width - column - 1) }
    }

    /// Where the boxes go at a size (at least the minimum).
    struct Layout {
        let tokenRows: [StyledLine]
        var tokenHeight: Int { tokenRows.count + 2 }
        var bodyTop: Int { 1 + tokenHeight }
        let promptRows: Int
        /// The height of the boxes below the token, borders included.
        let bodyHeight: Int
        /// The Verification box's width; the claims box takes the rest.
        let leftWidth: Int
        let rightWidth: Int

        init(_ state: InspectorState, width: Int, height: Int) {
            tokenRows = InspectorView.tokenLines(state, width: width - 4, limit: max(2, (height - 10) / 5))
            promptRows = state.editing != nil && state.editing != .token ? 1 : 0
            bodyHeight = height - (3 + tokenRows.count) - 1 - promptRows
            leftWidth = max(40, width * 9 / 20)
            rightWidth = width - leftWidth
        }
    }

    /// What scrolls in the inspector.
    package enum ScrollTarget: Sendable {
        case claims, verification, keyDetail, keysOverscroll
    }

    /// How far `target` can scroll at this size: the model stops there, so that scrolling back after paging
    /// past the end moves at once. Only that panel is laid out.
    package static func scrollLimit(_ target: ScrollTarget, _ state: InspectorState, width: Int, height: Int) -> Int {
        guard width >= minimumWidth, height >= minimumHeight else { return 0 }
        let layout = Layout(state, width: width, height: height)
        let visible = layout.bodyHeight - 2
        // The verification panel and the keys list depend on the time (a check failing or not): as last drawn.
        let now = state.renderedAt ?? 0
        switch target {
        case .claims:
            // Decoded as the verifier decodes it for the view; how many lines there are does not depend on the time.
            let decoded = try? Verifier.decodeUnverified(state.token, maximumSize: state.configuration(now: 0).maximumTokenSize)
            return max(0, ClaimsPanel.lines(decoded, now: 0, width: layout.rightWidth - 4).count - visible)
        case .keyDetail:
            let keys = state.listedKeys
            guard keys.indices.contains(state.keySelection) else { return 0 }
            return max(0, KeysPanel.detail(keys[state.keySelection], width: width - 4).count - visible)
        case .verification:
            let left = VerificationPanel.content(state, report: state.report(now: now), now: now, width: layout.leftWidth - 4, height: visible)
            return max(0, left.body.count - left.bodyRows(visible: visible))
        case .keysOverscroll:
            let list = KeysPanel.content(state, report: state.report(now: now), now: now, width: width - 4)
            var unscrolled = state
            unscrolled.keysOverscroll = 0
            return max(0, max(0, list.lines.count - visible) - KeysPanel.listScroll(list, state: unscrolled, visible: visible))
        }
    }

    static func titleBar(_ state: InspectorState, on screen: inout Screen) {
        screen.fill(x: 0, y: 0, width: screen.width, height: 1, role: .title)
        let right = "? help  q quit "
        // The compact view keeps the right-hand side whole: the name gives way first.
        var x = screen.put(screen.width >= minimumWidth ? " LayabAuth inspector " : " layabauth ", x: 0, y: 0, role: .title)
        if state.isMadeLocally { x += screen.put(" LOCAL TOKEN ", x: x, y: 0, role: .demo) + 1 }
        if state.isDemo {
            x += screen.put(" DEMO ", x: x, y: 0, role: .demo)
            let sample = state.samples[state.sampleIndex]
            // A sample's name says what it is against the demo's keys; against other keys, only which it is.
            let what = state.keySourceDescription == InspectorState.demoKeysDescription ? sample.name : "keys: \(state.keySourceDescription)"
            x += screen.put("  sample \(state.sampleIndex + 1)/\(state.samples.count): \(what)", x: x, y: 0, role: .title, maxWidth: max(0, screen.width - x - 18))
        } else {
            x += screen.put("  keys: \(state.keySourceDescription)", x: x, y: 0, role: .title, maxWidth: max(0, screen.width - x - 18))
        }
        screen.put(right, x: screen.width - right.count, y: 0, role: .title)
    }

    static func statusBar(_ state: InspectorState, on screen: inout Screen) {
        let y = screen.height - 1
        screen.fill(x: 0, y: y, width: screen.width, height: 1, role: .status)
        let text: String
        if let notice = state.notice {
            text = " " + notice
        } else if state.editing != nil {
            text = " Enter apply  Esc cancel  Ctrl-Z undo  ↑↓ history"
        } else {
            var parts = ["e edit token", "s scopes", "a aud", "i iss", "l leeway", "Tab keys", "r refresh"]
            if state.isDemo { parts.append("n/p sample") }
            // "? help" always shows: the bindings before it give way, last first, on a narrow terminal.
            while parts.count > 1, (" " + (parts + ["? help"]).joined(separator: "  ")).count > screen.width {
                parts.remove(at: parts.count - (state.isDemo && parts.count > 2 ? 2 : 1))
            }
            text = " " + (parts + ["? help"]).joined(separator: "  ")
        }
        screen.put(text, x: 0, y: y, role: .status, maxWidth: screen.width)
    }

    /// The token wrapped to `width`, segments coloured; at most `limit` rows (the last one ends with …).
    static func tokenLines(_ state: InspectorState, width: Int, limit: Int) -> [StyledLine] {
        let editing = state.editing == .token
        let text = editing ? state.editBuffer : state.token
        if text.isEmpty {
            return [StyledLine(editing ? "▏" : "paste a token here (or press e to type one)", editing ? .accent : .muted)]
        }
        // Colour by segment: header.payload.signature (more segments: everything after the second dot is
        // "signature"); dots are muted. Only the rows shown are built: a 16 KiB token fills hundreds of rows.
        let source = TokenText(text)
        let count = source.count
        let totalRows = (count + width - 1) / width
        // While editing, show the rows around the cursor, where typing happens; the character under the
        // cursor (or all of the text, while it is all selected) in the selection colour.
        let cursor = editing ? state.editor.beforeCursor.unicodeScalars.count : count
        let firstRow = editing ? max(0, min(totalRows - limit, cursor / width - limit + 1)) : 0
        let roleAt = { (offset: Int) -> Role in
            editing && (state.editor.isAllSelected || offset == cursor) ? .selection : source.role(at: offset)
        }
        var lines: [StyledLine] = []
        for row in firstRow..<min(totalRows, firstRow + limit) {
            var line = StyledLine()
            var start = row * width
            let end = min(count, start + width)
            while start < end {
                let role = roleAt(start)
                var runEnd = start + 1
                while runEnd < end, roleAt(runEnd) == role { runEnd += 1 }
                line.append(source.text(start..<runEnd), role)
                start = runEnd
            }
            lines.append(line)
        }
        if !editing, totalRows > limit, var last = lines.popLast() {
            // Make room at the end of the last row for the count, which itself grows with what it hides.
            var dropped = 0
            var marker = ""
            repeat {
                dropped = marker.unicodeScalars.count
                marker = " … +\(count - limit * width + dropped) more"
            } while marker.unicodeScalars.count > dropped
            var remaining = min(dropped, width)
            while remaining > 0, var span = last.spans.popLast() {
                let cut = min(remaining, span.text.unicodeScalars.count)
                span.text = String(String.UnicodeScalarView(span.text.unicodeScalars.dropLast(cut)))
                remaining -= cut
                if !span.text.isEmpty { last.spans.append(span) }
            }
            last.append(marker, .muted)
            lines.append(last)
        }
        if editing, cursor == count, var last = lines.popLast() {
            last.append("▏", .accent)
            lines.append(last)
        }
        return lines
    }
}
