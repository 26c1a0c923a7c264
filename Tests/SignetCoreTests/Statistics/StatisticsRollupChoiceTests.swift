import Foundation
import SignetCore
import Testing

@Suite("Which rollups answer a statistics question")
struct StatisticsRollupChoiceTests {
    /// 2026-01-01T00:00:00Z, a UTC midnight.
    static let midnight = Date(timeIntervalSince1970: 1_767_225_600)
    static let year = StatisticsQuery(from: midnight, to: midnight.addingTimeInterval(365 * 86_400), interval: .month)

    static func asking(_ change: (inout StatisticsQuery) -> Void) -> StatisticsQuery {
        var question = year
        change(&question)
        return question
    }

    @Test("whole UTC days and at most one dimension: the daily rows of that dimension, product types counting as products")
    func daily() {
        #expect(Self.year.rollup(productsRestricted: false) == .daily(nil))
        #expect(Self.asking { $0.groupBy = [.country] }.rollup(productsRestricted: false) == .daily(.country))
        #expect(Self.asking { $0.interval = .week; $0.groupBy = [.verdict] }.rollup(productsRestricted: false) == .daily(.verdict))
        #expect(Self.asking { $0.interval = .day; $0.filters = [.language: ["fr"]] }.rollup(productsRestricted: false) == .daily(.language))
        #expect(Self.asking { $0.groupBy = [.country]; $0.filters = [.country: ["FR", "DE"]] }.rollup(productsRestricted: false) == .daily(.country))
        #expect(Self.asking { $0.groupBy = [.productType, .product] }.rollup(productsRestricted: false) == .daily(.product))
        #expect(Self.asking { $0.groupBy = [.productType] }.rollup(productsRestricted: true) == .daily(.product))
        #expect(Self.asking { $0.timeZone = "Africa/Abidjan" }.rollup(productsRestricted: false) == .daily(nil))
    }

    @Test("whole UTC days and two dimensions: the pair rows, named in the order country, language, product, verdict")
    func pairs() {
        #expect(Self.asking { $0.groupBy = [.verdict, .product] }.rollup(productsRestricted: false) == .pairs(.product, .verdict))
        #expect(Self.asking { $0.interval = .day; $0.filters = [.country: ["FR"], .verdict: ["counterfeit"]] }
            .rollup(productsRestricted: false) == .pairs(.country, .verdict))
        #expect(Self.asking { $0.interval = .week; $0.groupBy = [.language]; $0.filters = [.productType: ["care"]] }
            .rollup(productsRestricted: false) == .pairs(.language, .product))
        #expect(Self.asking { $0.groupBy = [.productType, .country] }.rollup(productsRestricted: true) == .pairs(.country, .product))
        #expect(Self.asking { $0.groupBy = [.country] }.rollup(productsRestricted: true) == .pairs(.country, .product))
    }

    @Test("whole days of another zone whose offsets are whole hours: the rows derived in that zone of the dimensions asked")
    func otherZone() {
        // 2026-01-01 and 2027-01-01 at midnight in Paris (UTC+1 in winter).
        let paris = Self.asking {
            $0.timeZone = "Europe/Paris"
            $0.from = Self.midnight.addingTimeInterval(-3_600)
            $0.to = $0.from.addingTimeInterval(365 * 86_400)
        }
        func asking(_ change: (inout StatisticsQuery) -> Void) -> StatisticsQuery {
            var question = paris
            change(&question)
            return question
        }
        #expect(paris.rollupZone == "Europe/Paris" && Self.year.rollupZone == "UTC")
        #expect(paris.rollup(productsRestricted: false) == .single(nil))
        #expect(asking { $0.groupBy = [.country] }.rollup(productsRestricted: false) == .single(.country))
        #expect(asking { $0.interval = .day; $0.groupBy = [.productType] }.rollup(productsRestricted: false) == .single(.product))
        #expect(asking { $0.filters = [.verdict: ["counterfeit"]] }.rollup(productsRestricted: false) == .single(.verdict))
        #expect(asking { $0.groupBy = [.language] }.rollup(productsRestricted: true) == .pairs(.language, .product))
        #expect(asking { $0.groupBy = [.country] }.rollup(productsRestricted: true) == .pairs(.country, .product))
        #expect(asking { $0.interval = .week; $0.groupBy = [.verdict, .product] }.rollup(productsRestricted: false) == .pairs(.product, .verdict))
        #expect(asking { $0.groupBy = [.product, .verdict]; $0.filters = [.country: ["FR"]] }.rollup(productsRestricted: false) == .hourly)
        #expect(asking { $0.interval = .hour; $0.to = $0.from.addingTimeInterval(30 * 86_400) }.rollup(productsRestricted: false) == .byHour(nil))
        // London keeps UTC's offset in winter only: its own rows answer a year of it.
        let london = Self.asking { $0.timeZone = "Europe/London"; $0.groupBy = [.language] }
        #expect(london.rollupZone == "Europe/London" && london.rollup(productsRestricted: false) == .single(.language))
        // India's days start at half past a UTC hour, which the hourly rows cannot cut.
        let india = Self.asking { $0.timeZone = "Asia/Kolkata"; $0.from = Self.midnight.addingTimeInterval(-19_800); $0.to = $0.from.addingTimeInterval(365 * 86_400) }
        #expect(india.rollup(productsRestricted: false) == .byHour(nil))
        #expect(asking { $0 = india; $0.groupBy = [.country, .verdict] }.rollup(productsRestricted: false) == .hourly)
        // Lord Howe Island is at half past in winter only: a year of it is read from the hourly rows, a summer month is not.
        let lordHowe = Self.asking { $0.timeZone = "Australia/Lord_Howe"; $0.from = Self.midnight.addingTimeInterval(-11 * 3_600) }
        #expect(asking { $0 = lordHowe; $0.to = $0.from.addingTimeInterval(365 * 86_400) }.rollup(productsRestricted: false) == .byHour(nil))
        #expect(asking { $0 = lordHowe; $0.to = $0.from.addingTimeInterval(31 * 86_400) }.rollup(productsRestricted: false) == .single(nil))
    }

    @Test("a period cut inside days: rollups by day for its whole days, in its rollups' zone")
    func cutDays() {
        let cut = Self.asking { $0.from = Self.midnight.addingTimeInterval(5_400); $0.to = $0.to.addingTimeInterval(-1) }
        #expect(cut.rollup(productsRestricted: false) == .daily(nil))
        #expect(cut.wholeDays.from == Self.midnight.addingTimeInterval(86_400))
        #expect(cut.wholeDays.to == Self.year.to.addingTimeInterval(-86_400))
        #expect(Self.year.wholeDays.from == Self.year.from && Self.year.wholeDays.to == Self.year.to)
        // UTC's midnights are 1 am in Paris: the whole days are Paris's.
        let paris = Self.asking { $0.timeZone = "Europe/Paris" }
        #expect(paris.rollup(productsRestricted: false) == .single(nil))
        #expect(paris.wholeDays.from == Self.midnight.addingTimeInterval(23 * 3_600))
        #expect(paris.wholeDays.to == Self.year.to.addingTimeInterval(-3_600))
        // Inside one day: no whole day.
        let hours = Self.asking { $0.interval = .day; $0.from = Self.midnight.addingTimeInterval(3_600); $0.to = Self.midnight.addingTimeInterval(7_200) }
        #expect(hours.rollup(productsRestricted: false) == .daily(nil) && hours.wholeDays.from > hours.wholeDays.to)
    }

    @Test("hour buckets, or a zone at half past, of one dimension or none: its rows by hour, in any zone")
    func byHour() {
        let month = Self.asking { $0.interval = .hour; $0.to = Self.midnight.addingTimeInterval(30 * 86_400) }
        #expect(month.rollup(productsRestricted: false) == .byHour(nil))
        func asking(_ change: (inout StatisticsQuery) -> Void) -> StatisticsQuery {
            var question = month
            change(&question)
            return question
        }
        #expect(asking { $0.groupBy = [.country]; $0.timeZone = "Asia/Kolkata" }.rollup(productsRestricted: false) == .byHour(.country))
        #expect(asking { $0.filters = [.productType: ["food"]]; $0.timeZone = "Europe/Paris" }.rollup(productsRestricted: false) == .byHour(.product))
        #expect(Self.asking { $0.timeZone = "Asia/Kolkata"; $0.groupBy = [.verdict] }.rollup(productsRestricted: false) == .byHour(.verdict))
        #expect(asking { $0.groupBy = [.language] }.rollup(productsRestricted: true) == .hourly)
        #expect(asking { $0.groupBy = [.country, .verdict] }.rollup(productsRestricted: false) == .hourly)
    }

    @Test("a zone at half past with two dimensions, or three dimensions: the hourly rows")
    func hourly() {
        #expect(Self.asking { $0.timeZone = "Asia/Kolkata"; $0.groupBy = [.country, .language] }.rollup(productsRestricted: false) == .hourly)
        #expect(Self.asking { $0.groupBy = [.product, .verdict]; $0.filters = [.country: ["FR"]] }.rollup(productsRestricted: false) == .hourly)
        #expect(Self.asking { $0.interval = .day; $0.filters = [.country: ["FR"], .verdict: ["counterfeit"]] }
            .rollup(productsRestricted: true) == .hourly)
        #expect(Self.asking { $0.groupBy = [.product, .verdict, .country]; $0.timeZone = "Europe/Paris" }
            .rollup(productsRestricted: false) == .hourly)
    }
}
