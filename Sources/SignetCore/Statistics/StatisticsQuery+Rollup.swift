import Foundation

extension StatisticsQuery {
    /// The rollups that answer a question.
    public enum Rollup: Sendable, Equatable {
        /// `stats_hourly`, keyed by every dimension at once: answers any question.
        case hourly
        /// `stats_daily`'s rows of one dimension (nil: the days' totals), and
        /// that dimension's rows by hour (`byHour`) for the hours outside whole
        /// days. Product rows answer product types too, since types are read
        /// from the products.
        case daily(Dimension?)
        /// `stats_pairs`' rows of two dimensions, in the order of their names
        /// (country, language, product, verdict), for the days, weeks and months
        /// derived so far in the question's `rollupZone`, and the hourly rows after them.
        case pairs(Dimension, Dimension)
        /// `stats_pairs`' rows of one dimension (nil: the totals), which are
        /// derived as the pairs are, in the brand's zone only (UTC has its daily rows).
        case single(Dimension?)
        /// `stats_pairs`' rows of one dimension (nil: the totals) by UTC hour,
        /// derived in UTC, and the hourly rows after them.
        case byHour(Dimension?)
    }

    /// A question bucketed by day, week or month reads rollups by day for
    /// the whole days of its period (`wholeDays`), and rollups by hour for
    /// the hours before and after them (rows of one dimension if it needs at
    /// most one, the hourly rows otherwise, as everywhere below, and for the
    /// whole days of a zone nothing is derived in): in a zone that keeps UTC's days,
    /// the daily rollups when it needs at most one dimension (grouped by or
    /// filtered on, product types counting as products) and the pair rollups
    /// when it needs two; in another zone whose offsets are whole hours all
    /// through the period, the rollups derived in that zone (the brand's) of
    /// the dimensions it needs, if two or fewer. Any other question that
    /// needs at most one dimension (bucketed by hour; in a zone at half past
    /// the hour) reads that dimension's rows by hour; every other question,
    /// the hourly rollups.
    /// - Parameter productsRestricted: the reader sees only some products,
    ///   which is a filter on products.
    public func rollup(productsRestricted: Bool) -> Rollup {
        guard let zone = TimeZone(identifier: timeZone) else { return .hourly }
        var needed = Set((groupBy + Array(filters.keys)).map { $0 == .productType ? Dimension.product : $0 })
        if productsRestricted { needed.insert(.product) }
        let one = needed.first
        if interval == .hour { return needed.count <= 1 ? .byHour(one) : .hourly }
        if keepsUTCDays {
            switch needed.count {
            case 0, 1: return .daily(one)
            case 2: return Self.pair(needed)
            default: return .hourly
            }
        }
        // The hourly rows cannot be cut at half past (India): such zones read rows by hour.
        guard Self.offsetsAreWholeHours(zone, from: from, to: to) else { return needed.count <= 1 ? .byHour(one) : .hourly }
        switch needed.count {
        case 0, 1: return .single(one)
        case 2: return Self.pair(needed)
        default: return .hourly
        }
    }

    /// The zone's offset is whole hours at both ends of the period and after each change of offset in it.
    private static func offsetsAreWholeHours(_ zone: TimeZone, from: Date, to: Date) -> Bool {
        guard zone.secondsFromGMT(for: to) % 3_600 == 0 else { return false }
        var instant = from
        while instant < to {
            guard zone.secondsFromGMT(for: instant) % 3_600 == 0 else { return false }
            guard let change = zone.nextDaylightSavingTimeTransition(after: instant) else { return true }
            instant = change
        }
        return true
    }

    /// The zone whose pair rollups answer: UTC's serve every zone that keeps UTC's days.
    public var rollupZone: String { keepsUTCDays ? "UTC" : timeZone }

    /// The whole days of `rollupZone` inside the period, which rollups by day
    /// answer; the hours before and after them are read from rows by hour.
    /// `from` is after `to` when the period is inside one day.
    public var wholeDays: (from: Date, to: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: rollupZone) ?? TimeZone(identifier: "UTC")!
        let first = calendar.startOfDay(for: from)
        return (first == from ? from : calendar.date(byAdding: .day, value: 1, to: first)!, calendar.startOfDay(for: to))
    }

    private static func pair(_ dimensions: Set<Dimension>) -> Rollup {
        let pair = dimensions.sorted { $0.rawValue < $1.rawValue }
        return .pairs(pair[0], pair[1])
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
