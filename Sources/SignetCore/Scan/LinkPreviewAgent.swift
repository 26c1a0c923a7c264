/// Software that fetches a link to draw its preview or index it, not a
/// person looking at a seal: chat and social apps unfurling a scan URL that
/// someone shared, mail scanners, search crawlers. Such a fetch must neither
/// count as a consultation nor spend the seal's first scan.
///
/// Recognised by the product tokens these agents send in `User-Agent`
/// (matched case-insensitively anywhere in the header). Signal's app fetches
/// previews as `WhatsApp`, iMessage as `facebookexternalhit` and `Twitterbot`;
/// Mastodon servers name themselves `Mastodon/`. Apps' in-app browsers
/// (Facebook's `FBAN`, Snapchat, Viber, Teams) are people and are not listed.
/// An agent that hides behind a browser's name is counted as a scan: a person
/// cannot be told from it.
public enum LinkPreviewAgent {
    /// Lowercased tokens; a user agent containing one of them is a preview agent.
    public static let tokens: [String] = [
        "facebookexternalhit", "facebot", "twitterbot", "slackbot", "slack-imgproxy", "whatsapp/", "telegrambot",
        "discordbot", "linkedinbot", "skypeuripreview", "microsoftpreview", "pinterestbot", "redditbot",
        "applebot", "mastodon/", "cardyb", "embedly", "iframely", "vkshare", "line-poker",
        "zoombot", "google-pagerenderer", "googlebot", "google-inspectiontool", "bingbot", "bingpreview",
        "duckduckbot", "yandexbot", "baiduspider", "petalbot", "kakaotalk-scrap", "outlook-ios-linkpreview",
        "gptbot", "claudebot", "perplexitybot",
    ]

    /// Whether this `User-Agent` belongs to a preview agent or crawler.
    public static func isPreview(userAgent: String?) -> Bool {
        guard let userAgent, !userAgent.isEmpty else { return false }
        let lowered = userAgent.prefix(512).lowercased()
        return tokens.contains { lowered.contains($0) }
    }
}
