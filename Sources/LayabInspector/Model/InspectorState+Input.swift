import Foundation
import LayabAuth
import LayabAuthJWKS
import LayabConsole

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
            if let editing, editing != .token || !editor.isAllSelected {
                // Into the prompt at the cursor. A token or a key keeps its line breaks (a PEM needs them,
                // a token is unwrapped as a paste is); other prompts hold one line.
                editor.insert(editing == .token || editing == .key ? text : text.filter { !$0.isNewline })
                promptError = nil
                if editing == .token { tokenText = editBuffer }
            } else if text.allSatisfy(\.isWhitespace) {
                // An empty paste (a selection of nothing) is no reason to lose the token shown.
                notice = "nothing pasted: the token is unchanged"
            } else {
                // A paste outside a prompt, or over the whole token being edited, is a token: replace the one shown.
                tokenChoice = nil
                tokenText = text
                editing = nil
                resetScrolling()
                notice = "pasted \(token.utf8.count) bytes" + tokenNotice
                history.record(tokenText, origin: "pasted")
                leaveDemoForOwnToken()
            }
            return []
        }
        if editing != nil { return handleEditing(key) }
        if let destination = copyMenu { return chooseCopy(key, to: destination) }
        if showComparison {
            // The comparison stays open while the earlier token is chosen; any other key closes it.
            switch key {
            case .character("["): stepHistory(-1)
            case .character("]"): stepHistory(1)
            case .character("q"): shouldQuit = true
            default: showComparison = false
            }
            return []
        }
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
        case .character("x") where extraction.names.count > 1:
            // The next of the tokens the pasted text holds (a token endpoint response's id_token).
            let names = extraction.names
            tokenChoice = names[((extraction.chosen.flatMap(names.firstIndex(of:)) ?? 0) + 1) % names.count]
            resetScrolling()
            notice = "\(token.utf8.count) bytes" + tokenNotice
        case .character("K"): startEditing(.key, with: "")
        case .character("P"): startEditing(.proof, with: bindingRequest.proof ?? "")
        case .character("R"): startEditing(.request, with: requestLine)
        case .character("E"): startWhatIf(.claims)
        case .character("H"): startWhatIf(.header)
        case .character("u"): undoWhatIf()
        case .character("["): stepHistory(-1)
        case .character("]"): stepHistory(1)
        case .character("D"): toggleComparison()
        case .character("c"):
            tokenText = ""
            resetScrolling()
            notice = "token cleared"
        case .character("s"): startEditing(.scopes, with: requiredScopes.joined(separator: " "))
        case .character("a"): startEditing(.audience, with: audiences.joined(separator: " "))
        case .character("i"): startEditing(.issuer, with: issuer ?? "")
        case .character("l"): startEditing(.leeway, with: JSONValue.number(leeway).jsonText)
        case .character("j"): startEditing(.jwks, with: jwksURI ?? "")
        case .character("d"): startEditing(.discovery, with: discoveryIssuer ?? issuer ?? "")
        case .character("y"): openCopyMenu(.clipboard)
        case .character("w"): openCopyMenu(.file)
        case .character("F"): return requestToken()
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
        case .enter where panel == .keys && !listedKeys.isEmpty:
            keyDetail.toggle()
            keyDetailScroll = 0
        case .escape where panel == .keys && keyDetail:
            keyDetail = false
        default: break
        }
        return []
    }

    /// Opens the prompt of `field` showing `text`, all of it selected: typing replaces it, a movement key keeps it.
    private mutating func startEditing(_ field: Field, with text: String) {
        editing = field
        editor = LineEditor(text, history: promptHistory[field] ?? [], selectingAll: true)
        promptError = nil
        tokenBeforeEdit = field == .token ? tokenText : nil
    }

    private mutating func handleEditing(_ key: KeyPress) -> [Effect] {
        guard let field = editing else { return [] }
        switch key {
        case .escape:
            editing = nil
            promptError = nil
            // The token follows the typing live; Esc puts back the one there was.
            if field == .token, let tokenBeforeEdit { tokenText = tokenBeforeEdit }
            tokenBeforeEdit = nil
            editor = LineEditor()
            notice = field == .token ? "edit cancelled, token restored" : "cancelled"
            return []
        case .enter:
            return apply(field, editBuffer)
        default:
            guard editor.handle(key) else { return [] }
            promptError = nil
        }
        if field == .token { tokenText = editBuffer }
        return []
    }

    /// Applies what was entered at the prompt of `field`, which closes; a value refused keeps the prompt
    /// open with what was typed and the reason beside it (``promptError``).
    private mutating func apply(_ field: Field, _ text: String) -> [Effect] {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var effects: [Effect] = []
        switch field {
        case .token:
            tokenText = text
            resetScrolling()
            if let found = extraction.notice { notice = found + (extraction.names.count > 1 ? "; x switches" : "") }
            history.record(tokenText, origin: "entered")
            leaveDemoForOwnToken()
        case .scopes:
            requiredScopes = words
            notice = words.isEmpty ? "no scopes required" : "requiring \(words.joined(separator: " "))"
        case .audience:
            audiences = words
            notice = words.isEmpty ? "audience not checked" : "accepting audience \(words.joined(separator: " or "))"
        case .issuer:
            issuer = trimmed.isEmpty ? nil : trimmed
            notice = (issuer.map { "requiring iss \($0)" } ?? "issuer not checked") + issuerComparison
        case .leeway:
            guard let seconds = Double(trimmed), seconds.isFinite, Self.leewayRange.contains(seconds) else {
                return refuse("leeway must be a number of seconds, 0 or more and at most \(Int(Self.leewayRange.upperBound)) (a day)")
            }
            leeway = seconds
            notice = "leeway \(JSONValue.number(seconds).jsonText) s"
        case .jwks:
            // Parsed as the runtime will parse it: a scheme it cannot fetch is refused here, with the text kept.
            do { _ = try RemoteKeySource.Location(trimmed) } catch { return refuse(error.message) }
            jwksURI = trimmed
            isFetchingKeys = true
            notice = "fetching \(trimmed)…"
            effects = [.useJWKS(trimmed)]
        case .discovery:
            do { discoveryIssuer = try DiscoverableIssuer.validated(trimmed) } catch { return refuse(error.description) }
            isFetchingKeys = true
            notice = "discovering keys of \(trimmed)…" + issuerComparison
            effects = [.discover(trimmed)]
        case .key:
            let given: DebuggingKeys
            do { given = try KeyFile.keysKeepingWeakness(fromText: text, named: "the key given") } catch let error as InputError {
                return refuse(error.description)
            } catch {
                return refuse("\(error)")
            }
            // Kept in memory only, as a key source of its own: the keys shown before are not mixed in, and
            // the source they came from is dropped, so that a refresh cannot bring them back over these.
            keySourceReplaced(by: Self.givenKeysDescription)
            weakKeys = given.weakKeys
            // A secret is for HS*, accepted with it as `--secret-file` does.
            let hmac = Set(Algorithm.allCases.filter { $0.family == .hmac })
            let isSecret = given.keys.keys.contains { $0.keyType == .oct } || !given.weakKeys.isEmpty && !KeyFile.isKeyMaterial(text)
            if isSecret { algorithms.formUnion(hmac) }
            keysUpdated(.success(given.keys), status: nil, description: Self.givenKeysDescription)
            notice = "key given here (in memory only, never shown)" + (isSecret ? ", HS256/384/512 accepted" : "") + ": " + (notice ?? "")
        case .claims, .header:
            guard applyWhatIf(field, text) else { return [] }
        case .proof:
            if let reason = applyProof(text) { return refuse(reason) }
        case .request:
            if let reason = applyRequest(text) { return refuse(reason) }
        }
        editing = nil
        promptError = nil
        tokenBeforeEdit = nil
        if field != .token, field != .key, field != .claims, field != .header, field != .proof, !trimmed.isEmpty, promptHistory[field]?.last != text {
            promptHistory[field, default: []].append(text)
        }
        editor = LineEditor()
        return effects
    }

    /// Keeps the prompt open with what was typed, and says why it was refused.
    private mutating func refuse(_ reason: String) -> [Effect] {
        promptError = reason
        return []
    }

    /// The leeway accepted: none to a day.
    static let leewayRange = 0.0...86_400

    /// The key source of keys given at the `K` prompt, in words.
    package static let givenKeysDescription = "key given in the inspector (in memory only)"

    /// "; found in …" and what else the pasted text holds, for the notice after a paste.
    private var tokenNotice: String {
        var parts: [String] = []
        if let found = extraction.notice { parts.append(found) }
        if extraction.names.count > 1 { parts.append("x switches") }
        if let removed = removedWhitespace { parts.append(removed.notice) }
        return parts.map { "; " + $0 }.joined()
    }

    /// Whether the issuer keys are discovered from is the issuer required, when both are set: they are
    /// set apart (`d`, `i`), and a server configured with both checks `iss` against the required one.
    private var issuerComparison: String {
        guard let discoveryIssuer else { return "" }
        guard let issuer else { return "; keys come from \(discoveryIssuer), iss is not checked (i requires one)" }
        return Array(issuer.utf8) == Array(discoveryIssuer.utf8) ? "" : "; differs from the issuer keys are discovered from (\(discoveryIssuer))"
    }

    /// What the prompt line shows beside the text: why it was refused, or what the value is compared with.
    package var promptAside: (text: String, isError: Bool)? {
        if let promptError { return (promptError, true) }
        switch editing {
        case .issuer: return discoveryIssuer.map { ("keys discovered from \($0)", false) }
        case .discovery: return ("required iss: " + (issuer ?? "not checked"), false)
        case .leeway: return ("0 to \(Int(Self.leewayRange.upperBound)) s", false)
        case .key: return ("\(editor.characters.count) characters, in memory only", false)
        default: return nil
        }
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
            } else if delta > 0, keySelection >= listedKeys.count - 1 {
                // Past the last key the list itself scrolls on, to the skipped keys below.
                keysOverscroll = max(0, min(keysOverscroll + delta, limit(.keysOverscroll) ?? 0))
            } else if delta < 0, keysOverscroll > 0 {
                keysOverscroll = max(0, keysOverscroll + delta)
            } else {
                keySelection = min(max(0, keySelection + delta), max(0, listedKeys.count - 1))
            }
        }
    }

    mutating func resetScrolling() {
        claimsScroll = 0
        verificationScroll = 0
    }

    /// Shows demo sample `index` (wrapping around).
    package mutating func selectSample(_ index: Int) {
        guard !samples.isEmpty else { return }
        returnToDemo()
        sampleIndex = (index % samples.count + samples.count) % samples.count
        if let demoClock, let mint = samples[sampleIndex].mint, let token = try? mint(demoClock()) {
            samples[sampleIndex].token = token
        }
        tokenText = samples[sampleIndex].token
        history.record(tokenText, origin: "demo sample \(sampleIndex + 1)")
        resetScrolling()
    }

    /// `r` with keys that are not fetched (the demo's, a file's): nothing to do, and the status stays.
    package mutating func keysNotRefreshable() {
        isFetchingKeys = false
        notice = isDemo ? "the demo's keys are in memory: nothing to fetch"
            : keySourceStatus == nil && keys.keys.isEmpty ? "no key source to refresh (j: JWKS URI, d: discovery)"
            : "these keys were given, not fetched: nothing to refresh (j: JWKS URI, d: discovery)"
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
            keySelection = min(keySelection, max(0, listedKeys.count - 1))
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

    /// A new key source replaces the one in use entirely: its keys, skipped keys, keys refused as weak and
    /// status go, so that until the new source delivers, the token is checked against nothing, as by a
    /// server configured with that source.
    /// - Parameters:
    ///   - description: the new source, in words.
    ///   - issuer: the issuer whose keys the new source discovers, for discovery.
    package mutating func keySourceReplaced(by description: String, discoveringFrom issuer: String? = nil) {
        keySourceGeneration += 1
        keys = .empty
        weakKeys = []
        keySourceStatus = nil
        keySourceDescription = description
        undiscoveredIssuer = issuer
        keySelection = 0
        keysOverscroll = 0
        keyDetail = false
        keyDetailScroll = 0
    }

    /// A token of one's own, pasted or entered, leaves the demo: the demo's issuer, audience, scopes and keys
    /// no longer apply to it (those the user changed stay), the title stops naming a sample, and the notice
    /// says that n and p go back. Nothing happens outside the demo.
    package mutating func leaveDemoForOwnToken() {
        // Enter on a sample unchanged, or an empty token, is still the demo's.
        guard isDemo, !token.isEmpty, samples.indices.contains(sampleIndex), tokenText != samples[sampleIndex].token else { return }
        var left = LeftDemo()
        var dropped: [String] = []
        if let demoIssuer = issuer, demoIssuer == DemoIssuer.issuer {
            left.issuer = demoIssuer
            issuer = nil
            dropped.append("issuer")
        }
        if audiences == [DemoIssuer.audience] {
            left.audiences = audiences
            audiences = []
            dropped.append("audience")
        }
        if requiredScopes == DemoIssuer.requiredScopes {
            left.requiredScopes = requiredScopes
            requiredScopes = []
            dropped.append("scopes")
        }
        if keySourceDescription == Self.demoKeysDescription {
            left.keys = (keys, keySourceDescription, keySourceStatus)
            keySourceReplaced(by: "no key source (j: JWKS URI, d: discovery)")
            dropped.append("keys")
        }
        leftDemo = left
        let what = dropped.isEmpty ? "" : " (its " + Self.listed(dropped) + " no longer apply)"
        notice = (notice.map { $0 + "; " } ?? "") + "left the demo\(what); n/p: back to the demo samples"
    }

    /// After a token of one's own, puts back what the demo set (``leaveDemoForOwnToken()``).
    private mutating func returnToDemo() {
        guard let left = leftDemo else { return }
        leftDemo = nil
        if let demoIssuer = left.issuer { issuer = demoIssuer }
        if let demoAudiences = left.audiences { audiences = demoAudiences }
        if let demoScopes = left.requiredScopes { requiredScopes = demoScopes }
        if let demoKeys = left.keys {
            keySourceReplaced(by: demoKeys.description)
            keys = demoKeys.keys
            keySourceStatus = demoKeys.status
            isFetchingKeys = false
        }
        notice = "back to the demo samples"
    }

    /// "a", "a and b", "a, b and c".
    private static func listed(_ words: [String]) -> String {
        words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " and " + (words.last ?? "")
    }
}
