/// Every key binding, drawn over the current view.
enum HelpOverlay {
    static let bindings: [(String, String)] = [
        ("paste", "replace the token (bracketed paste, any size)"),
        ("e / t", "edit the token (Enter done, Esc undo, Ctrl-U clear)"),
        ("c", "clear the token"),
        ("s / a", "required scopes / accepted audiences"),
        ("i / l", "required issuer / leeway in seconds"),
        ("j / d", "switch the JWKS URI / discover keys from an issuer"),
        ("r", "refresh the keys"),
        ("Tab / k", "token view / keys browser"),
        ("↑ ↓ PgUp PgDn", "scroll, select a key"),
        ("← / →", "↑↓ scroll the verification (when it has more) / the claims"),
        ("Home", "back to the top"),
        ("Enter / Esc", "key details / back to the list"),
        ("n / p or N", "next / previous demo sample"),
        ("? / F1", "this help"),
        ("q / Ctrl-C", "quit"),
    ]

    static func draw(on screen: inout Screen) {
        let width = min(74, screen.width - 4)
        let height = min(bindings.count + 4, screen.height - 2)
        let x = (screen.width - width) / 2, y = (screen.height - height) / 2
        screen.fill(x: x, y: y, width: width, height: height, role: .text)
        screen.box(x: x, y: y, width: width, height: height, title: "Help: key bindings", role: .accent)
        for (index, binding) in bindings.prefix(height - 4).enumerated() {
            screen.put(binding.0, x: x + 2, y: y + 2 + index, role: .accent, maxWidth: 16)
            screen.put(binding.1, x: x + 19, y: y + 2 + index, role: .text, maxWidth: width - 21)
        }
        screen.put("any key closes this help", x: x + 2, y: y + height - 1, role: .muted, maxWidth: width - 4)
    }
}
