/// Every key binding, drawn over the current view.
enum HelpOverlay {
    static let bindings: [(String, String)] = [
        ("paste / type", "replace the token; a curl line, HTTP request or token response gives its token"),
        ("x", "next token of a pasted token response (access, id, refresh)"),
        ("e / t / c", "edit the token / clear it"),
        ("s / a", "required scopes / accepted audiences"),
        ("i / l", "required issuer / leeway in seconds (0 to 86400)"),
        ("j / d", "switch the JWKS URI / discover keys from an issuer (iss unchanged)"),
        ("K / P / R", "a key or HMAC secret / a DPoP proof / its method and URL"),
        ("E / H / u", "what if: edit claims / header JSON, re-signed with a LOCAL key / undo"),
        ("[ / ] / D", "previous / next token seen / compare with an earlier one"),
        ("r / F", "refresh the keys / fetch a new token (with --client-id)"),
        ("y / w", "copy to the clipboard / write to a file: t h c j p"),
        ("Tab / k", "token view / keys browser"),
        ("↑ ↓ PgUp PgDn", "scroll, select a key"),
        ("← / →", "↑↓ scroll the verification (when it has more) / the claims"),
        ("Home", "back to the top"),
        ("Enter / Esc", "key details / back to the list"),
        ("n / p or N", "next / previous demo sample; back to the demo"),
        ("prompts", "←→ Home End Ctrl-A/E, Ctrl-W, Ctrl-U/K, Ctrl-Z undo, ↑↓ history"),
        ("? / F1", "this help"),
        ("q / Ctrl-C", "quit"),
    ]

    static func draw(on screen: inout Screen) {
        let width = min(74, screen.width - 4)
        // A blank row inside the box above and below the bindings, when the terminal has room for them.
        let padding = bindings.count + 4 <= screen.height - 2 ? 1 : 0
        let height = min(bindings.count + 2 + 2 * padding, screen.height - 2)
        let x = (screen.width - width) / 2, y = (screen.height - height) / 2
        screen.fill(x: x, y: y, width: width, height: height, role: .text)
        screen.box(x: x, y: y, width: width, height: height, title: "Help: key bindings", role: .accent)
        for (index, binding) in bindings.prefix(height - 2 - 2 * padding).enumerated() {
            screen.put(binding.0, x: x + 2, y: y + 1 + padding + index, role: .accent, maxWidth: 16)
            screen.put(binding.1, x: x + 19, y: y + 1 + padding + index, role: .text, maxWidth: width - 21)
        }
        screen.put("any key closes this help", x: x + 2, y: y + height - 1, role: .muted, maxWidth: width - 4)
    }
}
