import Foundation
import SignetCore

/// The e-mail telling one user about their alerts, in their portal language:
/// one alert (immediate) or an hour's list (the digest), each line with what
/// happened, the seal and its lot, the country, the scan page's language and
/// the time, and a link to the inbox.
enum AlertMail {
    /// More lines than this in a digest are summed up as "and N more".
    static let linesShown = 100

    static func message(
        _ claim: AlertMailStore.Claim, alerts: [AlertStore.Alert], renderer: PageRenderer, from: String, publicURL: String
    ) throws -> MailMessage {
        let language = claim.language ?? .en
        let strings = renderer.strings(language)
        let subject: String
        if alerts.count == 1, let alert = alerts.first {
            subject = strings.format("mail_alert_subject_one", [
                "brand": claim.brandName, "type": strings["alert_type_\(alert.type.rawValue)"], "seal": seal(alert),
                "country": alert.country,
            ])
        } else {
            subject = strings.format("mail_alert_subject_many", ["brand": claim.brandName, "count": String(alerts.count)])
        }
        var lines = [strings.format(alerts.count == 1 ? "mail_alert_intro_one" : "mail_alert_intro_many", ["brand": claim.brandName]), ""]
        for alert in alerts.prefix(linesShown) {
            let country = renderer.countries.name(of: alert.country, in: language) ?? alert.country
            var parts = [time(alert.scannedAt), strings["alert_type_\(alert.type.rawValue)"], seal(alert)]
            if let lot = alert.lot { parts.append(strings.format("mail_alert_lot", ["lot": lot])) }
            parts.append(country)
            if let scanLanguage = alert.language { parts.append(renderer.strings(scanLanguage)["language_name"]) }
            var line = "- " + parts.joined(separator: " · ")
            if let message = alert.report?.message, !message.isEmpty { line += "\n  “\(message.prefix(300))”" }
            lines.append(line)
        }
        if alerts.count > linesShown {
            lines.append(strings.format("mail_alert_more", ["count": String(alerts.count - linesShown)]))
        }
        lines += ["", strings["mail_alert_open_inbox"], "\(publicURL)/portal/alerts", "",
                  strings.format("mail_alert_footer", ["url": "\(publicURL)/portal/account"])]
        return try MailMessage(from: from, to: [claim.email], subject: subject, textBody: lines.joined(separator: "\n"))
    }

    private static func seal(_ alert: AlertStore.Alert) -> String {
        alert.serial.map { "\(alert.gtin) / \($0)" } ?? alert.gtin
    }

    private static func time(_ date: Date) -> String {
        date.formatted(.iso8601).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }
}
