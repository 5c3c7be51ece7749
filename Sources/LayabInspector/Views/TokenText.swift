/// The token's text by position (one position per Unicode scalar), with the role of each position. A token is
/// ASCII in practice and is then read from its UTF-8 bytes in place; other text is split into scalars once.
struct TokenText {
    private let text: String
    private let scalars: [Unicode.Scalar]?
    let count: Int
    /// Positions of the first two dots (count when absent).
    private let firstDot: Int
    private let secondDot: Int

    init(_ text: String) {
        var text = text
        text.makeContiguousUTF8()
        self.text = text
        let isASCII = text.utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 < 0x80 } } ?? false
        let scalars = isASCII ? nil : Array(text.unicodeScalars)
        self.scalars = scalars
        count = scalars?.count ?? text.utf8.count
        var dots: [Int] = []
        if let scalars {
            for (index, scalar) in scalars.enumerated() where scalar == "." {
                dots.append(index)
                if dots.count == 2 { break }
            }
        } else {
            text.utf8.withContiguousStorageIfAvailable { bytes in
                guard let first = bytes.firstIndex(of: UInt8(ascii: ".")) else { return }
                dots.append(first)
                if let second = bytes[(first + 1)...].firstIndex(of: UInt8(ascii: ".")) { dots.append(second) }
            }
        }
        firstDot = dots.first ?? count
        secondDot = dots.count > 1 ? dots[1] : count
    }

    private func isDot(_ position: Int) -> Bool {
        if let scalars { return scalars[position] == "." }
        return text.utf8.withContiguousStorageIfAvailable { $0[position] == UInt8(ascii: ".") } ?? false
    }

    func role(at position: Int) -> Role {
        if isDot(position) { return .muted }
        return position < firstDot ? .segmentHeader : position < secondDot ? .segmentPayload : .segmentSignature
    }

    func text(_ range: Range<Int>) -> String {
        if let scalars { return String(String.UnicodeScalarView(scalars[range])) }
        return text.utf8.withContiguousStorageIfAvailable { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        } ?? ""
    }
}
