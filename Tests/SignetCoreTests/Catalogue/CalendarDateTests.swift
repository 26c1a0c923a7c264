import Foundation
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

    @Test("the UTC day of a moment matches Foundation's Gregorian calendar, every day from 1969 to 2101 and around midnight")
    func utcDay() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var moment = try #require(calendar.date(from: DateComponents(year: 1969, month: 12, day: 30, hour: 23, minute: 59, second: 59)))
        let end = try #require(calendar.date(from: DateComponents(year: 2101, month: 1, day: 1)))
        while moment < end {
            for offset in [0.0, 1.0] {  // the last second of a day, then the first of the next
                let instant = moment.addingTimeInterval(offset)
                let parts = calendar.dateComponents([.year, .month, .day], from: instant)
                let day = CalendarDate(utcDayOf: instant)
                #expect([day.year, day.month, day.day] == [parts.year, parts.month, parts.day], "\(instant)")
            }
            moment = moment.addingTimeInterval(86_400)
        }
    }

    @Test("dates order by day")
    func order() throws {
        #expect(try #require(CalendarDate("2026-01-31")) < #require(CalendarDate("2026-02-01")))
    }
}
