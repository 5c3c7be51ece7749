import Foundation

/// Colours of the xterm palette as a terminal shows them, and their WCAG 2.x contrast.
package enum ColorContrast {
    package struct RGB: Sendable, Equatable {
        package var red: Double, green: Double, blue: Double

        package init(_ red: Double, _ green: Double, _ blue: Double) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        /// The colour halfway (or `amount` of the way) towards `other`: how terminals draw dim text.
        package func mixed(with other: RGB, amount: Double = 0.5) -> RGB {
            RGB(red + (other.red - red) * amount, green + (other.green - green) * amount, blue + (other.blue - blue) * amount)
        }

        /// WCAG 2.x relative luminance.
        package var luminance: Double {
            func linear(_ channel: Double) -> Double {
                let value = channel / 255
                return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
        }
    }

    /// xterm's default sixteen colours.
    static let basic: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0), RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0), RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    /// The colour of xterm-256 colour `index` (0–255).
    package static func rgb(_ index: Int) -> RGB {
        switch index {
        case ..<16: return basic[max(0, index)]
        case 232...:
            let level = Double(8 + (min(index, 255) - 232) * 10)
            return RGB(level, level, level)
        default:
            let levels: [Double] = [0, 95, 135, 175, 215, 255]
            let cube = index - 16
            return RGB(levels[cube / 36], levels[cube / 6 % 6], levels[cube % 6])
        }
    }

    /// The WCAG 2.x contrast ratio of two colours, 1…21, whichever is lighter.
    package static func ratio(_ first: RGB, _ second: RGB) -> Double {
        let (a, b) = (first.luminance, second.luminance)
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// The least contrast a role needs against its background: 3:1 for borders and muted text, which are
    /// there to be told apart from the rest, 4.5:1 for text to be read.
    package static func minimum(for role: Role) -> Double {
        role == .border || role == .muted ? 3 : 4.5
    }
}
