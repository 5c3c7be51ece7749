/// Turns the characters and key codes a terminal delivers into ``Key``s, recognising bracketed paste
/// (`ESC [200~ … ESC [201~`), which may arrive across several reads.
public struct InputDecoder: Sendable {
    public enum Code: Equatable, Sendable {
        case character(UInt32)
        /// An ncurses key code (KEY_UP, KEY_RESIZE, …), already mapped to a Key by the backend.
        case key(Key)
    }

    private var pending: [UInt32] = []
    private var paste: [Unicode.Scalar]?
    /// A paste larger than this is cut (the token limit is far below it).
    static let pasteLimit = 1 << 20

    public init() {}

    private static let pasteStart: [UInt32] = [27, 91, 50, 48, 48, 126]  // ESC [ 2 0 0 ~
    private static let pasteEnd: [UInt32] = [27, 91, 50, 48, 49, 126]  // ESC [ 2 0 1 ~

    public var isInPaste: Bool { paste != nil }

    /// Decodes `codes`; an escape sequence cut at the end is kept for the next call unless `final`.
    public mutating func decode(_ codes: [Code], final: Bool = true) -> [Key] {
        var keys: [Key] = []
        for code in codes {
            switch code {
            case let .key(key):
                if paste == nil { flushPending(into: &keys) }
                keys.append(key)
            case let .character(value):
                pending.append(value)
                process(into: &keys)
            }
        }
        if final, paste == nil { flushPending(into: &keys) }
        return keys
    }

    private mutating func process(into keys: inout [Key]) {
        if paste != nil {
            if pending.count >= Self.pasteEnd.count, Array(pending.suffix(Self.pasteEnd.count)) == Self.pasteEnd {
                pending.removeLast(Self.pasteEnd.count)
                appendPaste(pending)
                pending.removeAll()
                keys.append(.paste(String(String.UnicodeScalarView(paste ?? []))))
                paste = nil
            } else if pending.count > 64 {
                // Keep only what could still be the start of the end marker.
                let keep = Self.pasteEnd.count - 1
                appendPaste(Array(pending.dropLast(keep)))
                pending = Array(pending.suffix(keep))
            }
            return
        }
        guard pending.first == 27 else {
            flushPending(into: &keys)
            return
        }
        if pending.count <= Self.pasteStart.count, Array(Self.pasteStart.prefix(pending.count)) == pending {
            if pending.count == Self.pasteStart.count {
                paste = []
                pending.removeAll()
            }
            return
        }
        flushPending(into: &keys)
    }

    private mutating func appendPaste(_ values: [UInt32]) {
        guard var buffer = paste else { return }
        for value in values where buffer.count < Self.pasteLimit {
            if let scalar = Unicode.Scalar(value) { buffer.append(scalar) }
        }
        paste = buffer
    }

    private mutating func flushPending(into keys: inout [Key]) {
        var index = 0
        while index < pending.count {
            let value = pending[index]
            index += 1
            if value == 27 {
                // ESC followed by [ or O and a letter: a cursor key sent raw; otherwise Escape.
                if index + 1 < pending.count, pending[index] == 91 || pending[index] == 79 {
                    let final = pending[index + 1]
                    let mapped: Key? = switch final {
                    case 65: .up
                    case 66: .down
                    case 67: .right
                    case 68: .left
                    case 72: .home
                    case 70: .end
                    case 90: .backTab
                    default: nil
                    }
                    if let mapped {
                        keys.append(mapped)
                        index += 2
                        continue
                    }
                }
                keys.append(.escape)
                continue
            }
            keys.append(Self.key(for: value))
        }
        pending.removeAll()
    }

    static func key(for value: UInt32) -> Key {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96) ?? "?"))
        default:
            guard let scalar = Unicode.Scalar(value), value >= 32 else { return .control("?") }
            return .character(Character(scalar))
        }
    }
}
