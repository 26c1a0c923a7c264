import Foundation

extension StatisticsQuery {
    /// The rollups that answer a question.
    public enum Rollup: Sendable, Equatable {
        /// `stats_hourly`, keyed by every dimension at once: answers any question.
        case hourly
        /// `stats_daily`'s rows of one dimension (nil: the days' totals). Product
        /// rows answer product types too, since types are read from the products.
        case daily(Dimension?)
        /// `stats_pairs`' rows of two dimensions, in the order of their names
        /// (country, language, product, verdict), for the days, weeks and months
        /// derived so far, and the hourly rows after them.
        case pairs(Dimension, Dimension)
    }

    /// A question over whole UTC days, bucketed by day, week or month in a
    /// zone that keeps UTC's days, reads the daily rollups when it needs at
    /// most one dimension (grouped by or filtered on, product types counting
    /// as products) and the pair rollups when it needs two; every other
    /// question reads the hourly rollups.
    /// - Parameter productsRestricted: the reader sees only some products,
    ///   which is a filter on products.
    public func rollup(productsRestricted: Bool) -> Rollup {
        guard interval != .hour, Self.isMidnightUTC(from), Self.isMidnightUTC(to), keepsUTCDays else { return .hourly }
        var needed = Set((groupBy + Array(filters.keys)).map { $0 == .productType ? Dimension.product : $0 })
        if productsRestricted { needed.insert(.product) }
        switch needed.count {
        case 0: return .daily(nil)
        case 1: return .daily(needed.first)
        case 2:
            let pair = needed.sorted { $0.rawValue < $1.rawValue }
            return .pairs(pair[0], pair[1])
        default: return .hourly
        }
    }

    private static func isMidnightUTC(_ date: Date) -> Bool {
        date.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 0
    }

    /// UTC itself, or a zone at UTC's offset with no change of offset in the period (Africa/Abidjan).
    private var keepsUTCDays: Bool {
        guard let zone = TimeZone(identifier: timeZone), zone.secondsFromGMT(for: from) == 0,
              zone.secondsFromGMT(for: to.addingTimeInterval(-1)) == 0
        else { return false }
        guard let change = zone.nextDaylightSavingTimeTransition(after: from) else { return true }
        return change >= to
    }
}
