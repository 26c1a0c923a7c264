import SignetCore
import Testing

@Suite("Calendar dates typed by managers")
struct CalendarDateTests {
    @Test("real days parse and print back the same", arguments: ["2026-06-20", "2024-02-29", "2000-02-29", "1999-12-31"])
    func valid(text: String) {
        #expect(CalendarDate(text)?.description == text)
    }

    @Test("days that do not exist, other shapes and far years are refused",
          arguments: ["2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-6-20", "20260620", "", "1800-01-01", "2026-06-20x"])
    func invalid(text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test("dates order by day")
    func order() throws {
        #expect(try #require(CalendarDate("2026-01-31")) < #require(CalendarDate("2026-02-01")))
    }
}
