import SignetCore

/// The e-mail carrying a one-time sign-in link: an invitation to a brand's
/// portal, or a new link after an owner reset someone's sign-in.
enum SignInLinkMail {
    enum Occasion: String {
        case invitation
        case reset
    }

    static func message(
        _ occasion: Occasion, to email: String, brandName: String, link: String, strings: LocalizedStrings, from: String
    ) throws -> MailMessage {
        let values = ["brand": brandName, "url": link]
        return try MailMessage(
            from: from, to: [email], subject: strings.format("mail_\(occasion.rawValue)_subject", values),
            textBody: strings.format("mail_\(occasion.rawValue)_body", values))
    }
}
