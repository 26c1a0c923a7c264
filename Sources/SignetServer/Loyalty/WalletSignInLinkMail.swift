import SignetCore

/// The e-mail carrying a wallet's one-time sign-in link, in the language of
/// the page it was asked from.
enum WalletSignInLinkMail {
    static func message(to email: String, link: String, strings: LocalizedStrings, from: String) throws -> MailMessage {
        let values = ["url": link, "minutes": String(WalletAccountStore.signInLinkLifetime.components.seconds / 60)]
        return try MailMessage(
            from: from, to: [email], subject: strings["mail_wallet_link_subject"],
            textBody: strings.format("mail_wallet_link_body", values))
    }
}
