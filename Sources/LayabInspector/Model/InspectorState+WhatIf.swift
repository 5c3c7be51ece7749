import LayabAuth
import LayabConsole

extension InspectorState {
    /// Opens the what-if editor (`E` claims, `H` header) with the token's JSON; an empty or undecodable
    /// token starts from `{}` and a header of the local key's algorithm.
    mutating func startWhatIf(_ field: Field) {
        editing = field
        editor = LineEditor(whatIfJSON(field))
        promptError = nil
        tokenBeforeEdit = nil
    }

    /// Re-signs the token with the edited JSON and shows it; invalid JSON keeps the editor open with the reason.
    /// - Returns: whether the token was made (the editor closes).
    mutating func applyWhatIf(_ field: Field, _ text: String) -> Bool {
        let claimsText = field == .claims ? text : whatIfJSON(.claims)
        let headerText = field == .header ? text : whatIfJSON(.header)
        let made: (token: String, kid: String?, replaced: [String])
        do { made = try whatIf.resign(claimsText: claimsText, headerText: headerText) } catch {
            promptError = error.description
            return false
        }
        if whatIf.original == nil || !isMadeLocally { whatIf.original = tokenText }
        tokenChoice = nil
        tokenText = made.token
        history.record(made.token, origin: "made locally")
        claimsScroll = 0
        verificationScroll = 0
        notice = "made locally: re-signed with the LOCAL key \(made.kid.map { "\"\($0)\"" } ?? "")"
            + (made.replaced.isEmpty ? "" : " (\(made.replaced.joined(separator: " and ")) set to the local key's)") + "; u: back to the original"
        return true
    }

    /// The token's header (`.header`) or claims JSON on one line, as the what-if editor starts from.
    private func whatIfJSON(_ field: Field) -> String {
        let decoded = try? DecodedToken.decodeForDisplay(token, maximumSize: DecodedToken.displayCeiling)
        return switch field {
        case .header: decoded.map { JSONValue.object($0.header.members).jsonText } ?? #"{"typ":"JWT"}"#
        default: decoded.flatMap { $0.claims.map { JSONValue.object($0.members).jsonText } } ?? "{}"
        }
    }

    /// `u`: back to the token shown before what-if editing.
    mutating func undoWhatIf() {
        guard let original = whatIf.original, isMadeLocally else {
            notice = "nothing to undo: this token was not made here (E edits its claims, H its header)"
            return
        }
        tokenChoice = nil
        tokenText = original
        whatIf.original = nil
        history.record(original, origin: "original")
        claimsScroll = 0
        verificationScroll = 0
        notice = "back to the original token"
    }

    /// `[` and `]`: the previous or next token seen; with the comparison open, the earlier token compared.
    mutating func stepHistory(_ delta: Int) {
        if showComparison {
            history.moveCompared(delta)
            return
        }
        guard let entry = history.step(delta) else {
            notice = history.entries.isEmpty ? "no tokens seen yet" : delta < 0 ? "this is the first token seen" : "this is the latest token seen"
            return
        }
        tokenChoice = nil
        tokenText = entry.text
        claimsScroll = 0
        verificationScroll = 0
        notice = "token \((history.position ?? 0) + 1) of \(history.entries.count) (\(entry.origin))"
    }

    /// `D`: opens or closes the comparison of the token shown with an earlier one.
    mutating func toggleComparison() {
        if showComparison {
            showComparison = false
        } else if history.compared == nil {
            notice = "only one token seen: nothing to compare it with"
        } else {
            showComparison = true
        }
    }

    /// The comparison shown by `D`: the compared token, the one shown, and what changed between them.
    package var comparison: (earlier: TokenHistory.Entry, earlierIndex: Int, later: TokenHistory.Entry, laterIndex: Int, result: TokenComparison)? {
        guard let earlierIndex = history.compared, let laterIndex = history.position else { return nil }
        let earlier = history.entries[earlierIndex], later = history.entries[laterIndex]
        let extract = { (text: String) in TokenInput.extract(text, choosing: nil).token }
        return (earlier, earlierIndex, later, laterIndex, TokenComparison(earlier: extract(earlier.text), later: extract(later.text)))
    }
}
