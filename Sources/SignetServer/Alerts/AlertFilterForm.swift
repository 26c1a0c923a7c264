import Foundation
import SignetCore

/// The inbox's filters as its query string carries them: the consultation
/// list's days, product and country, plus alert types, a status (`open`
/// unless asked otherwise; `all` for every status) and the next page's cursor.
struct AlertFilterForm {
    var common: ConsultationFilterForm
    var type: AlertType?
    var status: AlertStatus?
    var before: Int64?
    var problems: [String]
    var values: [String: String]

    init(query: [String: String]) {
        // Days, product and country read as on the consultations page; the rest is the inbox's own.
        common = ConsultationFilterForm(query: query.filter { ["from", "to", "gtin", "country"].contains($0.key) })
        problems = common.problems
        values = common.values
        if let value = query["type"], !value.isEmpty {
            values["type"] = value
            type = AlertType(rawValue: value)
            if type == nil { problems.append("portal_error_alert_type") }
        }
        let statusText = query["status"].flatMap { $0.isEmpty ? nil : $0 } ?? AlertStatus.open.rawValue
        if statusText != AlertStatus.open.rawValue { values["status"] = statusText }
        if statusText != "all" {
            status = AlertStatus(rawValue: statusText)
            if status == nil { problems.append("portal_error_alert_status") }
        }
        if let value = query["cursor"], !value.isEmpty {
            if let parts = PageCursor.decode(value, parts: 1), let id = Int64(parts[0]) {
                before = id
            } else {
                problems.append("portal_error_cursor")
            }
        }
    }

    func filter(access: ProductAccess, limit: Int) -> AlertStore.Filter {
        let days = common.filter(access: access, limit: nil)
        return AlertStore.Filter(
            types: type.map { [$0.rawValue] }, statuses: status.map { [$0.rawValue] }, gtin: days.gtin, country: days.country,
            from: days.from, to: days.to, productIDs: access.productIDs, before: before, limit: limit)
    }

    /// The query string of these filters, without the cursor, for links.
    var queryString: String {
        values.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(PercentEncoding.encodeQueryValue($0.value))" }
            .joined(separator: "&")
    }
}
