import SignetCore

/// The e-mail telling a brand's owners that Signet switched off one of their
/// webhook endpoints after a day of failed deliveries, and where to turn it
/// back on.
enum WebhookDisabledMail {
    static func message(
        to email: String, brandName: String, endpointURL: String, endpointID: Int64, failures: Int, strings: LocalizedStrings,
        from: String, publicURL: String
    ) throws -> MailMessage {
        let values = [
            "brand": brandName, "url": endpointURL, "failures": String(failures),
            "page": "\(publicURL)/portal/webhooks/\(endpointID)",
        ]
        return try MailMessage(
            from: from, to: [email], subject: strings.format("mail_webhook_disabled_subject", values),
            textBody: strings.format("mail_webhook_disabled_body", values))
    }
}
