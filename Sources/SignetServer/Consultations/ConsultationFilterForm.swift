import Foundation
import Hummingbird
import SignetCore

/// The consultations page's filters as its query string carries them (so a
/// filtered list can be bookmarked and exported): days in UTC, a product, a
/// country, a verdict, and the cursor of the next page.
struct ConsultationFilterForm {
    var from: CalendarDate?
    var to: CalendarDate?
    var gtin: GTIN?
    var country: String?
    var verdict: Verdict?
    var before: (micros: Int64, id: Int64)?
    /// Localization keys of the filters that could not be read.
    var problems: [String] = []
    /// The raw values, to show the form back as typed.
    var values: [String: String] = [:]

    init(query: [String: String]) {
        func text(_ name: String) -> String? {
            let value = (query[name] ?? "").trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { values[name] = value }
            return value.isEmpty ? nil : value
        }
        if let value = text("from") {
            from = CalendarDate(value)
            if from == nil { problems.append("portal_error_date_invalid") }
        }
        if let value = text("to") {
            to = CalendarDate(value)
            if to == nil { problems.append("portal_error_date_invalid") }
        }
        if let from, let to, to < from { problems.append("portal_error_dates_order") }
        if let value = text("gtin") {
            gtin = GTIN(value)
            if gtin == nil { problems.append("portal_error_gtin_invalid") }
        }
        if let value = text("country")?.uppercased() {
            if value == "UNKNOWN" {
                country = "unknown"
            } else if value.count == 2, value.allSatisfy({ $0.isASCII && $0.isLetter }) {
                country = value
            } else {
                problems.append("portal_error_country")
            }
        }
        if let value = text("verdict") {
            verdict = Verdict(rawValue: value)
            if verdict == nil { problems.append("portal_error_verdict") }
        }
        if let value = query["cursor"], !value.isEmpty {
            if let parts = PageCursor.decode(value, parts: 2), let micros = Int64(parts[0]), let id = Int64(parts[1]) {
                before = (micros, id)
            } else {
                problems.append("portal_error_cursor")
            }
        }
        problems = problems.uniqued()
    }

    /// The store's filter; `to` includes its whole day.
    func filter(access: ProductAccess, limit: Int?) -> ConsultationStore.Filter {
        ConsultationStore.Filter(
            from: from.map(Self.startOfDay), to: to.map { Self.startOfDay($0).addingTimeInterval(86_400) },
            gtin: gtin?.digits, country: country, verdict: verdict?.rawValue, productIDs: access.productIDs, before: before, limit: limit)
    }

    /// The query string of these filters, without the cursor, for links.
    var queryString: String {
        values.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(PercentEncoding.encodeQueryValue($0.value))" }
            .joined(separator: "&")
    }

    private static func startOfDay(_ date: CalendarDate) -> Date {
        var components = DateComponents()
        components.year = date.year
        components.month = date.month
        components.day = date.day
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)!
    }
}
