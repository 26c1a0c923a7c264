import ArgumentParser
import Foundation
import SignetCore
import SignetServer

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Statistics rollups.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute a brand's statistics from its consultations (the source of truth).",
            discussion: """
                The live statistics consumer waits while this runs, then goes on from where it was: \
                nothing is counted twice or missed. Long rebuilds hold back every consumer of the \
                consultation stream (alerts too) until they commit.
                """)

        @OptionGroup var options: CommonOptions
        @Option(help: "The brand's slug.") var brand: String
        @Option(help: "First UTC day to recompute, YYYY-MM-DD (default: all history).") var from: String?

        func validate() throws {
            if let from, CalendarDate(from) == nil { throw ValidationError("--from must be a date written YYYY-MM-DD") }
        }

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            let start = from.flatMap(CalendarDate.init).map(Self.utcMidnight)
            let brand = brand
            let rows = try await reportingAccountErrors {
                try await withDatabase(configuration, logger: logger) { database in
                    try await StatisticsRebuild(database: database, logger: logger).rebuild(brandSlug: brand, from: start)
                }
            }
            print("statistics of \(brand) rebuilt\(from.map { " from \($0)" } ?? ""): \(rows) hourly rows")
        }

        static func utcMidnight(_ date: CalendarDate) -> Date {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))!
        }
    }
}
