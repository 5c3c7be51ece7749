import Foundation
import LayabAuth
import LayabAuthJWKS

extension InspectorState {
    /// Applies one input event. Returns the effects the runtime must carry out.
    @discardableResult
    package mutating func handle(_ key: KeyPress) -> [Effect] {
        if key == .control("c") {
            shouldQuit = true
            return []
        }
        // A resize is the terminal's doing, not a key press: it closes nothing and clears nothing.
        if key == .resize {
            scroll(0)
            return []
        }
        if case let .paste(text) = key {
            // A paste anywhere outside a prompt is a token: replace the one shown.
            if let editing, editing != .token {
                editBuffer += text.filter { !$0.isNewline }
            } else if text.allSatisfy(\.isWhitespace) {
                // An empty paste (a selection of nothing) is no reason to lose the token shown.
                notice = "nothing pasted: the token is unchanged"
            } else {
                tokenText = text
                editing = nil
                resetScrolling()
                notice = "pasted \(token.utf8.count) bytes" + (removedWhitespace.map { "; \($0.notice)" } ?? "")
            }
            return []
        }
        if editing != nil { return handleEditing(key) }
        if showHelp {
            // Any key closes the help overlay; q still quits.
            showHelp = false
            if key == .character("q") { shouldQuit = true }
            return []
        }
        notice = nil
        switch key {
        case .character("q"): shouldQuit = true
        case .character("?"), .function(1): showHelp = true
        case .tab, .backTab, .character("k"):
            panel = panel == .token ? .keys : .token
            keyDetail = false
        case .character("e"), .character("t"):
            startEditing(.token, with: tokenText)
        case .character("c"):
            tokenText = ""
            resetScrolling()
            notice = "token cleared"
        case .character("s"): startEditing(.scopes, with: requiredScopes.joined(separator: " "))
        case .character("a"): startEditing(.audience, with: audiences.joined(separator: " "))
        case .character("i"): startEditing(.issuer, with: issuer ?? "")
        case .character("l"): startEditing(.leeway, with: JSONValue.number(leeway).jsonText)
        case .character("j"): startEditing(.jwks, with: "")
        case .character("d"): startEditing(.discovery, with: issuer ?? "")
        case .character("r"):
            isFetchingKeys = true
            notice = "refreshing keys…"
            return [.refreshKeys]
        case .character("n"): selectSample(sampleIndex + 1)
        case .character("p"), .character("N"): selectSample(sampleIndex - 1)
        case .up: scroll(-1)
        case .down: scroll(1)
        case .pageUp: scroll(-10)
        case .pageDown: scroll(10)
        case .home: scroll(-10_000)
        case .left where panel == .token:
            // Focus moves only to a panel that has something to scroll: otherwise ↑↓ and PgDn would do nothing.
            if let size = screenSize, InspectorView.scrollLimit(.verification, self, width: size.width, height: size.height) == 0 {
                notice = "the verification panel shows everything: ↑↓ scroll the claims"
            } else {
                scrollsVerification = true
            }
        case .right where panel == .token:
            scrollsVerification = false
        case .enter where panel == .keys && !keys.keys.isEmpty:
            keyDetail.toggle()
            keyDetailScroll = 0
        case .escape where panel == .keys && keyDetail:
            keyDetail = false
        default: break
        }
        return []
    }

    private mutating func startEditing(_ field: Field, with text: String) {
        editing = field
        editBuffer = text
        tokenBeforeEdit = field == .token ? tokenText : nil
    }

    private mutating func handleEditing(_ key: KeyPress) -> [Effect] {
        guard let field = editing else { return [] }
        switch key {
        case let .character(character):
            editBuffer.append(character)
        case .backspace:
            if !editBuffer.isEmpty { editBuffer.removeLast() }
        case .control("u"):
            editBuffer = ""
        case .escape:
            editing = nil
            // The token follows the typing live; Esc puts back the one there was.
            if field == .token, let tokenBeforeEdit { tokenText = tokenBeforeEdit }
            tokenBeforeEdit = nil
            notice = field == .token ? "edit cancelled, token restored" : "cancelled"
            return []
        case .enter:
            editing = nil
            tokenBeforeEdit = nil
            return apply(field, editBuffer)
        default:
            break
        }
        if field == .token { tokenText = editBuffer }
        return []
    }

    private mutating func apply(_ field: Field, _ text: String) -> [Effect] {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        switch field {
        case .token:
            tokenText = text
            resetScrolling()
        case .scopes:
            requiredScopes = words
            notice = words.isEmpty ? "no scopes required" : "requiring \(words.joined(separator: " "))"
        case .audience:
            audiences = words
            notice = words.isEmpty ? "audience not checked" : "accepting audience \(words.joined(separator: " or "))"
        case .issuer:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            issuer = trimmed.isEmpty ? nil : trimmed
            notice = issuer.map { "requiring iss \($0)" } ?? "issuer not checked"
        case .leeway:
            if let seconds = Double(text.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds.isFinite {
                leeway = seconds
                notice = "leeway \(JSONValue.number(seconds).jsonText) s"
            } else {
                notice = "leeway must be a number of seconds, 0 or more"
            }
        case .jwks:
            let uri = text.trimmingCharacters(in: .whitespaces)
            guard !uri.isEmpty else { return [] }
            isFetchingKeys = true
            notice = "fetching \(uri)…"
            return [.useJWKS(uri)]
        case .discovery:
            let url = text.trimmingCharacters(in: .whitespaces)
            guard !url.isEmpty else { return [] }
            issuer = url
            isFetchingKeys = true
            notice = "discovering keys of \(url)…"
            return [.discover(url)]
        }
        return []
    }

    private mutating func scroll(_ delta: Int) {
        // Only the panel that scrolls is laid out to find its limit; without a known size there is none.
        func limit(_ target: InspectorView.ScrollTarget) -> Int? {
            screenSize.map { InspectorView.scrollLimit(target, self, width: $0.width, height: $0.height) }
        }
        switch panel {
        case .token:
            // A resize can leave nothing to scroll in the verification panel: the focus goes back to the claims.
            if scrollsVerification, limit(.verification) == 0 {
                scrollsVerification = false
                verificationScroll = 0
            }
            if scrollsVerification {
                verificationScroll = max(0, min(verificationScroll + delta, limit(.verification) ?? .max))
            } else {
                claimsScroll = max(0, min(claimsScroll + delta, limit(.claims) ?? .max))
            }
        case .keys:
            if keyDetail {
                keyDetailScroll = max(0, min(keyDetailScroll + delta, limit(.keyDetail) ?? .max))
            } else if delta > 0, keySelection >= keys.keys.count - 1 {
                // Past the last key the list itself scrolls on, to the skipped keys below.
                keysOverscroll = max(0, min(keysOverscroll + delta, limit(.keysOverscroll) ?? 0))
            } else if delta < 0, keysOverscroll > 0 {
                keysOverscroll = max(0, keysOverscroll + delta)
            } else {
                keySelection = min(max(0, keySelection + delta), max(0, keys.keys.count - 1))
            }
        }
    }

    private mutating func resetScrolling() {
        claimsScroll = 0
        verificationScroll = 0
    }

    /// Shows demo sample `index` (wrapping around).
    package mutating func selectSample(_ index: Int) {
        guard !samples.isEmpty else { return }
        sampleIndex = (index % samples.count + samples.count) % samples.count
        if let demoClock, let mint = samples[sampleIndex].mint, let token = try? mint(demoClock()) {
            samples[sampleIndex].token = token
        }
        tokenText = samples[sampleIndex].token
        resetScrolling()
    }

    /// `r` with keys that are not fetched (the demo's, a file's): nothing to do, and the status stays.
    package mutating func keysNotRefreshable() {
        isFetchingKeys = false
        notice = isDemo ? "the demo's keys are in memory: nothing to fetch" : "these keys were given, not fetched: nothing to refresh (j: JWKS URI, d: discovery)"
    }

    /// New keys (or a failed retrieval) from the runtime.
    /// - Parameters:
    ///   - description: the key source's new name, when it changed (nil keeps the one shown).
    ///   - background: a retrieval the inspector started by itself (stale keys, an unknown kid), as a
    ///     server would: it says something only when the keys changed, and never ends a fetch the user asked for.
    package mutating func keysUpdated(_ result: Result<KeySet, LayabAuthError>?, status: KeySourceStatus?, description: String? = nil,
                                     background: Bool = false)
    {
        if !background { isFetchingKeys = false }
        if let description { keySourceDescription = description }
        if let status { keySourceStatus = status }
        switch result {
        case let .success(set):
            let changed = set.identity != keys.identity
            keys = set
            keySelection = min(keySelection, max(0, set.keys.count - 1))
            guard !background || changed else { return }
            notice = "\(set.keys.count) key\(set.keys.count == 1 ? "" : "s") \(background ? "now published" : "loaded")"
                + (set.skipped.isEmpty ? "" : ", \(set.skipped.count) skipped")
                + (weakKeys.isEmpty ? "" : ", \(weakKeys.count) refused as weak (tokens are checked against \(weakKeys.count == 1 ? "it" : "them") anyway)")
        case let .failure(error):
            if !background { notice = "keys unavailable: \(error.message)" }
        case nil:
            break
        }
    }

    /// A key source refused before anything was fetched (a JWKS URI with an unsupported scheme): the
    /// source in use and its status stay.
    package mutating func keySourceRefused(_ error: LayabAuthError) {
        isFetchingKeys = false
        notice = "not used: \(error.message)"
    }
}
