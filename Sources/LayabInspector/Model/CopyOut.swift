import LayabAuth

/// What the inspector copies out (`y` to the clipboard, `w` to a file): the text itself, as a program or a
/// person pasting it needs it, without the screen's box borders, indentation or wrapping.
package enum CopyOut: Sendable, Equatable, CaseIterable {
    /// The token as verified (prefixes and line-wrap whitespace removed).
    case token
    /// The JOSE header, as pretty JSON.
    case header
    /// The claims set, as pretty JSON.
    case claims
    /// The selected key of the key browser, as its public JWK.
    case keyJWK
    /// The selected key, as a PEM public key.
    case keyPEM

    /// Where a copy goes.
    package enum Destination: Sendable, Equatable {
        /// The terminal's clipboard, through OSC 52 (which works through tmux and ssh).
        case clipboard
        /// A new file in the current directory, readable by its owner only.
        case file
    }

    /// One copy for the runtime to carry out.
    package struct Copy: Sendable, Equatable {
        package let item: CopyOut
        package let destination: Destination
        package let text: String
        /// The file a `.file` copy is written to (a number is added when it exists).
        package let fileName: String
    }

    /// Why there is nothing to copy ("no token", "the key is an HMAC secret").
    package struct Unavailable: Error, Sendable, Equatable {
        package let reason: String
    }

    /// The key that picks this item in the copy menu.
    package var menuKey: Character {
        switch self {
        case .token: "t"
        case .header: "h"
        case .claims: "c"
        case .keyJWK: "j"
        case .keyPEM: "p"
        }
    }

    /// What it is, in words ("the claims JSON").
    package var label: String {
        switch self {
        case .token: "the token"
        case .header: "the header JSON"
        case .claims: "the claims JSON"
        case .keyJWK: "the key's JWK"
        case .keyPEM: "the key's PEM"
        }
    }

    private var menuWord: String {
        switch self {
        case .token: "token"
        case .header: "header"
        case .claims: "claims"
        case .keyJWK: "key JWK"
        case .keyPEM: "key PEM"
        }
    }

    /// The status line while the menu for `destination` is open.
    package static func menu(_ destination: Destination) -> String {
        let items = allCases.map { "\($0.menuKey) \($0.menuWord)" }.joined(separator: "  ")
        return (destination == .clipboard ? "copy to clipboard: " : "write to a file here: ") + items + "  Esc cancel"
    }

    /// The item the menu key `key` picks; nil for any other key.
    package static func item(forMenuKey key: KeyPress) -> CopyOut? {
        guard case let .character(character) = key else { return nil }
        return allCases.first { $0.menuKey == character }
    }

    /// This item's text in `state`: the token shown, its header or claims, or the key selected in the key browser.
    /// - Throws: ``Unavailable`` when there is none (no token, a payload that is no claims set, no key, an
    ///   HMAC secret, which is never copied out).
    package func text(in state: InspectorState) throws(Unavailable) -> String {
        switch self {
        case .token:
            guard !state.token.isEmpty else { throw Unavailable(reason: "no token to copy") }
            return state.token
        case .header, .claims:
            guard !state.token.isEmpty else { throw Unavailable(reason: "no token to copy from") }
            let decoded: DecodedToken
            do { decoded = try Verifier.decodeUnverified(state.token, maximumSize: .max) } catch {
                throw Unavailable(reason: "the token does not decode: \(error.message)")
            }
            if self == .header { return JSONValue.object(decoded.header.members).prettyJSONText() }
            guard let claims = decoded.claims else { throw Unavailable(reason: "the payload is not a claims set") }
            return claims.json.prettyJSONText()
        case .keyJWK, .keyPEM:
            let keys = state.listedKeys
            guard keys.indices.contains(state.keySelection) else { throw Unavailable(reason: "no key to copy (Tab: key browser)") }
            let key = keys[state.keySelection]
            // A secret shown or copied is a secret leaked (a screen share, a clipboard manager).
            guard key.keyType != .oct else { throw Unavailable(reason: "the key is an HMAC secret: secrets are not copied out") }
            if self == .keyJWK { return JSONValue.object(key.publicJWK).prettyJSONText() }
            guard let pem = key.pem else { throw Unavailable(reason: "this key has no PEM form") }
            return pem
        }
    }

    /// The file name of a `w` copy of this item in `state` (the key's kid, made safe for a file name).
    package func fileName(in state: InspectorState) -> String {
        switch self {
        case .token: return "layabauth-token.txt"
        case .header: return "layabauth-header.json"
        case .claims: return "layabauth-claims.json"
        case .keyJWK, .keyPEM:
            let listed = state.listedKeys
            let kid = listed.indices.contains(state.keySelection) ? listed[state.keySelection].kid : nil
            // Letters, digits, `-` and `_` only: a kid names no folder, hidden file or terminal escape.
            let safe = String((kid ?? "").unicodeScalars.prefix(40).map { scalar -> Character in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", "-", "_": Character(scalar)
                default: "_"
                }
            })
            let stem = safe.isEmpty ? "layabauth-key" : "layabauth-key-\(safe)"
            return stem + (self == .keyJWK ? ".jwk.json" : ".pem")
        }
    }

    /// The copy the menu key `key` asks for in `state`, for `destination`.
    package static func copy(_ item: CopyOut, to destination: Destination, in state: InspectorState) throws(Unavailable) -> Copy {
        Copy(item: item, destination: destination, text: try item.text(in: state), fileName: item.fileName(in: state))
    }
}
