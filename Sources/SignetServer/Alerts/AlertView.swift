import Foundation
import SignetCore

/// One alert as the inbox (and its live feed) shows it: every sentence
/// finished here, in the reader's language.
struct AlertView {
    let alert: AlertStore.Alert
    let strings: LocalizedStrings
    let countries: CountryNames
    let language: Language
    /// Each language's name in itself ("Français"), for the language a scan page was served in.
    let languageNames: [Language: String]

    func context(productName: String, canHandle: Bool) -> [String: Any] {
        var context: [String: Any] = [
            "id": alert.id,
            "type": alert.type.rawValue,
            "typeLabel": strings["alert_type_\(alert.type.rawValue)"],
            "explanation": explanation,
            "time": alert.scannedAt.formatted(.iso8601).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC"),
            "product": productName,
            "serial": alert.serial ?? "",
            "sealURL": alert.sealID.map { "/portal/seals/\($0)" } ?? "",
            "country": country(alert.country),
            "lot": alert.lot.map { strings["label_lot"] + " " + $0 } ?? "",
            "language": alert.language.flatMap { languageNames[$0] } ?? "",
            "verdict": strings["verdict_\(alert.verdict)_title"],
            "status": alert.status.rawValue,
            // The live feed leaves it out of the open view and of the menu's count.
            "informational": alert.informational,
            "statusLabel": strings["alert_status_\(alert.status.rawValue)"],
            "note": alert.note ?? "",
        ]
        if let report = alert.report {
            context["reportMessage"] = report.message
            context["reportSource"] = [strings["report_place_\(report.purchasePlace)"], report.seller]
                .filter { !$0.isEmpty }.joined(separator: " · ")
            if report.hasPhoto { context["reportPhotoURL"] = "/portal/reports/\(report.id)/photo" }
        }
        if let changedAt = alert.statusChangedAt {
            context["changed"] = strings.format("alert_changed_by", [
                "who": alert.statusChangedBy ?? strings["alert_changed_by_someone"],
                "time": changedAt.formatted(.iso8601).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC"),
            ])
        }
        if canHandle {
            context["canAcknowledge"] = alert.status == .open
            context["canResolve"] = alert.status != .resolved
            context["canReopen"] = alert.status != .open
        }
        return context
    }

    /// Each language's name as its speakers write it, from its own strings.
    static func languageNames(_ renderer: PageRenderer) -> [Language: String] {
        Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, renderer.strings($0)["language_name"]) })
    }

    /// What the rule saw, from the alert's details.
    var explanation: String {
        let detail = alert.detail
        return strings.format("alert_explain_\(alert.type.rawValue)", [
            "country": country(detail["country"] ?? alert.country),
            "previous_country": country(detail["previous_country"] ?? "unknown"),
            "minutes": detail["minutes"] ?? "",
            "sessions": detail["sessions"] ?? "",
            "limit": detail["limit"] ?? "",
            "scans": detail["scans_last_hour"] ?? "",
            "verdict": strings["verdict_\(detail["verdict"] ?? alert.verdict)_title"],
            "place": detail["purchase_place"].map { strings["report_place_\($0)"] } ?? "",
            "seller": detail["seller"].flatMap { $0.isEmpty ? nil : $0 } ?? "–",
        ])
    }

    private func country(_ code: String) -> String {
        countries.name(of: code, in: language) ?? strings["country_unknown"]
    }
}
