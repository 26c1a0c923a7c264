import Foundation
import SignetCore

/// The dashboard's filters as they live in the URL: `period` (7d, 30d, 90d,
/// 365d; 30d by default) and `product_type`, `product`, `country`,
/// `language`, `verdict` (one value each from the page's controls; lists
/// separated by commas, as the API takes them, work too). Days are the
/// brand's, in the time zone it reports in.
struct StatisticsFilterForm: Sendable {
    enum Period: String, CaseIterable, Sendable {
        case week = "7d", month = "30d", quarter = "90d", year = "365d"

        var days: Int {
            switch self {
            case .week: 7
            case .month: 30
            case .quarter: 90
            case .year: 365
            }
        }

        /// Days for up to a quarter; weeks for a year, so columns stay wide enough on a phone.
        var interval: StatisticsQuery.Interval { self == .year ? .week : .day }
    }

    static let filterKeys: [StatisticsQuery.Dimension] = [.productType, .product, .country, .language, .verdict]

    var period: Period
    /// The question for the period ending now, and the same question for the period before it.
    var question: StatisticsQuery?
    var previous: StatisticsQuery?
    /// Localization keys of what was wrong.
    var problems: [String] = []
    /// The values as typed, for the controls and for links.
    var values: [String: String] = [:]

    init(query: [String: String], now: Date, timeZone: String) {
        period = query["period"].flatMap(Period.init(rawValue:)) ?? .month
        if let text = query["period"], Period(rawValue: text) == nil { problems.append("portal_stats_bad_period") }
        if query["period"] != nil { values["period"] = period.rawValue }
        var filters: [StatisticsQuery.Dimension: String] = [:]
        for dimension in Self.filterKeys {
            guard let text = query[dimension.rawValue]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { continue }
            filters[dimension] = text
            values[dimension.rawValue] = text
        }
        // Whole days of the brand's zone, so the period's first and last columns are whole days too.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        let end = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now))!
        let start = calendar.date(byAdding: .day, value: -period.days, to: end)!
        let raw = StatisticsQuery.Raw(
            from: start, to: end, interval: period.interval.rawValue, filters: filters, timeZone: calendar.timeZone.identifier)
        switch StatisticsQuery.parse(raw, now: now) {
        case .success(let parsed):
            question = parsed
            var before = parsed
            before.from = calendar.date(byAdding: .day, value: -period.days, to: start)!
            before.to = start
            previous = before
        case .failure(let invalid):
            problems += invalid.errors.map { "portal_stats_bad_\($0.field)" }
        }
    }

    /// The filters and period as a query string (without `?`), in a stable order.
    var queryString: String {
        (["period"] + Self.filterKeys.map(\.rawValue)).compactMap { key in
            values[key].map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        }.joined(separator: "&")
    }
}
