/// A link type of the GS1 Web Vocabulary (https://ref.gs1.org/voc/, version 1.16): the only kind of
/// link a GS1-conformant resolver answers for. Written `gs1:pip` in requests and forms, and
/// `https://gs1.org/voc/pip` in linksets (the key GS1's linkset schema and JSON-LD context expect).
public struct GS1LinkType: Hashable, Sendable, Comparable {
    /// The term after the namespace: `pip`, `verificationService`...
    public let name: String

    /// `gs1:pip`, `https://gs1.org/voc/pip`, `https://ref.gs1.org/voc/pip`, `https://www.gs1.org/voc/pip`
    /// (the vocabulary declares the three URI forms equivalent), or nil for a term the vocabulary lacks.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        var name: Substring?
        if text.hasPrefix(Self.prefix) {
            name = text.dropFirst(Self.prefix.count)
        } else {
            for namespace in Self.namespaces where text.hasPrefix(namespace) {
                name = text.dropFirst(namespace.count)
                break
            }
        }
        guard let name, Self.vocabulary.contains(String(name)) else { return nil }
        self.name = String(name)
    }

    private init(known name: String) { self.name = name }

    public var compact: String { Self.prefix + name }
    public var uri: String { Self.namespace + name }

    /// Types a brand may give a link. The resolver's own (`defaultLink`, `defaultLinkMulti`, `handledBy`)
    /// are not among them: a link becomes the default by being marked so.
    public var isEditable: Bool { !Self.resolverOnly.contains(name) }

    public static func < (left: GS1LinkType, right: GS1LinkType) -> Bool { left.name < right.name }

    public static let pip = GS1LinkType(known: "pip")
    public static let verificationService = GS1LinkType(known: "verificationService")
    public static let recallStatus = GS1LinkType(known: "recallStatus")
    public static let defaultLink = GS1LinkType(known: "defaultLink")

    /// Every type a brand may give a link, in name order (for forms).
    public static let editable: [GS1LinkType] = vocabulary.subtracting(resolverOnly).sorted().map(GS1LinkType.init(known:))

    public static let prefix = "gs1:"
    /// The namespace linksets use.
    public static let namespace = "https://gs1.org/voc/"
    static let namespaces = ["https://gs1.org/voc/", "https://ref.gs1.org/voc/", "https://www.gs1.org/voc/", "http://gs1.org/voc/"]
    static let resolverOnly: Set = ["defaultLink", "defaultLinkMulti", "handledBy"]

    /// The subproperties of `gs1:linkType` in GS1 Web Vocabulary 1.16, less `productSustainabilityInfo`,
    /// which it deprecates in favour of `sustainabilityInfo` ("Sustainability and recycling").
    static let vocabulary: Set = [
        "activityIdeas", "allergenInfo", "appDownload", "backgroundInfo", "brandHomepageClinical", "brandHomepagePatient",
        "careersInfo", "certificationInfo", "consumerHandlingStorageInfo", "defaultLink", "defaultLinkMulti", "dpp", "eifu",
        "epcis", "epil", "eventsInfo", "faqs", "handledBy", "hasRetailers", "homepage", "ingredientsInfo", "instructions",
        "jws", "leaveReview", "locationInfo", "logisticsInfo", "loyaltyProgram", "masterData", "menuInfo", "nutritionalInfo",
        "openingHoursInfo", "paymentLink", "pip", "promotion", "purchaseSuppliesOrAccessories", "quickStartGuide",
        "recallStatus", "recipeInfo", "registerProduct", "registryEntry", "relatedImage", "relatedVideo", "reportFound",
        "review", "safetyInfo", "scheduleTime", "serviceInfo", "smartLabel", "smpc", "socialMedia", "statisticInfo",
        "subscribe", "support", "sustainabilityInfo", "traceability", "tutorial", "userAgreement", "verificationService",
        "whatsInTheBox",
    ]
}
