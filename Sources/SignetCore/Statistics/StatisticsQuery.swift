import Foundation

/// What a statistics question asks: a period cut into buckets, grouped by
/// some dimensions and narrowed by filters on them. Shared by the API
/// (`GET /api/v1/stats`) and the portal's dashboard; `parse` checks raw
/// query values and names every bad one.
public struct StatisticsQuery: Sendable, Equatable {
    public enum Interval: String, Sendable, CaseIterable {
        case hour, day, week, month
    }

    public enum Dimension: String, Sendable, CaseIterable {
        case country, language
        case productType = "product_type"
        case product, verdict
    }

    public var from: Date
    public var to: Date
    public var interval: Interval
    public var groupBy: [Dimension]
    /// Only these values of a dimension (product: GTIN-14; product type: code).
    public var filters: [Dimension: [String]]
    /// IANA time zone the day, week and month buckets start in.
    public var timeZone: String

    public init(from: Date, to: Date, interval: Interval, groupBy: [Dimension] = [], filters: [Dimension: [String]] = [:],
                timeZone: String = "UTC") {
        self.from = from
        self.to = to
        self.interval = interval
        self.groupBy = groupBy
        self.filters = filters
        self.timeZone = timeZone
    }

    /// The longest period one question may cover, per interval: enough for
    /// a year by day and several years by month, while an hourly answer
    /// stays a few thousand buckets.
    public static func longestPeriod(_ interval: Interval) -> TimeInterval {
        switch interval {
        case .hour: 93 * 86_400
        case .day, .week: 3 * 366 * 86_400
        case .month: 10 * 366 * 86_400
        }
    }

    /// A field and what is wrong with it, in English (the API's language; the portal maps fields to its own strings).
    public struct FieldError: Sendable, Equatable, Error {
        public var field: String
        public var message: String
    }

    /// Every bad value of a question.
    public struct Invalid: Error, Sendable, Equatable {
        public var errors: [FieldError]
    }

    /// Raw values as they come from a URL.
    public struct Raw: Sendable {
        public var from: Date?
        public var to: Date?
        public var interval: String?
        public var groupBy: String?
        public var filters: [Dimension: String]
        public var timeZone: String?

        public init(from: Date? = nil, to: Date? = nil, interval: String? = nil, groupBy: String? = nil,
                    filters: [Dimension: String] = [:], timeZone: String? = nil) {
            self.from = from
            self.to = to
            self.interval = interval
            self.groupBy = groupBy
            self.filters = filters
            self.timeZone = timeZone
        }
    }

    public static let verdicts = Verdict.allCases.map(\.rawValue)
    public static let languages = ["en", "fr", "de", "es"]

    /// Checks every value; defaults: the 30 days before `now`, by day, in UTC.
    public static func parse(_ raw: Raw, now: Date) -> Result<StatisticsQuery, Invalid> {
        var errors: [FieldError] = []
        let interval: Interval
        if let text = raw.interval {
            interval = Interval(rawValue: text) ?? .day
            if Interval(rawValue: text) == nil { errors.append(.init(field: "interval", message: "one of hour, day, week, month")) }
        } else {
            interval = .day
        }
        let to = raw.to ?? now
        let from = raw.from ?? to.addingTimeInterval(-30 * 86_400)
        if from >= to {
            errors.append(.init(field: "from", message: "must be before to"))
        } else if to.timeIntervalSince(from) > longestPeriod(interval) {
            errors.append(.init(field: "to", message:
                "at most \(Int(longestPeriod(interval) / 86_400)) days by \(interval.rawValue)"))
        }
        var groupBy: [Dimension] = []
        if let text = raw.groupBy {
            for name in list(text) {
                guard let dimension = Dimension(rawValue: name) else {
                    errors.append(.init(field: "group_by", message:
                        "unknown dimension \"\(name)\" (known: \(Dimension.allCases.map(\.rawValue).joined(separator: ", ")))"))
                    continue
                }
                if groupBy.contains(dimension) {
                    errors.append(.init(field: "group_by", message: "\(name) is named twice"))
                } else {
                    groupBy.append(dimension)
                }
            }
        }
        var filters: [Dimension: [String]] = [:]
        for dimension in Dimension.allCases {
            guard let text = raw.filters[dimension] else { continue }
            let values = list(text)
            if values.isEmpty {
                errors.append(.init(field: dimension.rawValue, message: "name at least one value"))
                continue
            }
            var accepted: [String] = []
            for value in values {
                if let normal = normalise(value, as: dimension) {
                    if !accepted.contains(normal) { accepted.append(normal) }
                } else {
                    errors.append(.init(field: dimension.rawValue, message: "\"\(value)\" is not \(expectation(dimension))"))
                }
            }
            filters[dimension] = accepted
        }
        let timeZone = raw.timeZone ?? "UTC"
        if TimeZone(identifier: timeZone) == nil {
            errors.append(.init(field: "tz", message: "\"\(timeZone)\" is not an IANA time zone such as Europe/Paris"))
        }
        guard errors.isEmpty else { return .failure(Invalid(errors: errors)) }
        return .success(StatisticsQuery(
            from: from, to: to, interval: interval, groupBy: groupBy, filters: filters, timeZone: timeZone))
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// The stored form of a filter value, or nil when it cannot be one.
    static func normalise(_ value: String, as dimension: Dimension) -> String? {
        switch dimension {
        case .country:
            if value.lowercased() == "unknown" { return "unknown" }
            let upper = value.uppercased()
            return upper.count == 2 && upper.allSatisfy({ $0.isASCII && $0.isLetter }) ? upper : nil
        case .language:
            return languages.contains(value.lowercased()) ? value.lowercased() : nil
        case .verdict:
            return verdicts.contains(value) ? value : nil
        case .product:
            return GTIN(value)?.digits
        case .productType:
            return value.count <= 63 && value.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) ? value : nil
        }
    }

    static func expectation(_ dimension: Dimension) -> String {
        switch dimension {
        case .country: "two letters (ISO 3166-1) or unknown"
        case .language: "one of en, fr, de, es"
        case .verdict: "a verdict (\(verdicts.joined(separator: ", ")))"
        case .product: "a GTIN"
        case .productType: "a product type code"
        }
    }
}
