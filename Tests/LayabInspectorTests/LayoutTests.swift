import LayabInspector
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Layout")
struct LayoutTests {
    @Test("borders and bars are drawn whatever the process locale (a process starts in the C locale)")
    func bordersInTheCLocale() throws {
        // Render on a thread that is explicitly in the C locale, as a process is before setlocale.
        let cLocale = try #require(newlocale(LC_CTYPE_MASK, "C", nil))
        defer { freelocale(cLocale) }
        let previous = uselocale(cLocale)
        defer { uselocale(previous) }
        let screen = try demoState().screen(width: 80, height: 24)
        #expect(screen[0, 1].scalar == "┌")
        #expect(screen[79, 1].scalar == "┐")
        #expect(screen[0, 2].scalar == "│")
        #expect(screen.contains("█") || screen.contains("░"), "the lifetime bar is missing:\n\(screen.rows.joined(separator: "\n"))")
    }
}
