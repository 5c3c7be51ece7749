extension InspectorState {
    /// `y` or `w`: the status line lists what can be copied; the next key picks it.
    mutating func openCopyMenu(_ destination: CopyOut.Destination) {
        copyMenu = destination
        notice = CopyOut.menu(destination)
    }

    /// The key pressed while the copy menu is open: the copy it picks, or nothing (Esc, another key, nothing
    /// to copy), said on the status line.
    mutating func chooseCopy(_ key: KeyPress, to destination: CopyOut.Destination) -> [Effect] {
        copyMenu = nil
        guard let item = CopyOut.item(forMenuKey: key) else {
            notice = key == .escape ? "nothing copied" : "nothing copied: \(destination == .clipboard ? "y" : "w") then t, h, c, j or p"
            return []
        }
        do throws(CopyOut.Unavailable) {
            return [.copyOut(try CopyOut.copy(item, to: destination, in: self))]
        } catch {
            notice = "nothing copied: \(error.reason)"
            return []
        }
    }
}
