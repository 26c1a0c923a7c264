/// The GS1 Core Business Vocabulary (CBV 2.0) word lists EPCIS fields take.
///
/// A CBV value has three spellings: the bare word EPCIS 2.0 JSON-LD uses
/// (`shipping`), the URN of EPCIS 1.x XML (`urn:epcglobal:cbv:bizstep:shipping`)
/// and the web URI the JSON-LD context expands to
/// (`https://ref.gs1.org/cbv/BizStep-shipping`). Signet keeps the bare word, so
/// one business step is one value whichever way it was sent. Other URIs are a
/// company's own vocabulary, which the standard allows, and are kept as sent.
public enum CBVVocabulary: String, Sendable, CaseIterable {
    case businessStep
    case disposition
    case sourceDestinationType
    case errorReason
    case businessTransactionType

    /// The CBV 2.0 words, as listed in the standard's JSON schema and JSON-LD context.
    public var words: Set<String> {
        switch self {
        case .businessStep: Self.businessSteps
        case .disposition: Self.dispositions
        case .sourceDestinationType: ["owning_party", "possessing_party", "location"]
        case .errorReason: ["did_not_occur", "incorrect_data"]
        case .businessTransactionType:
            ["bol", "cert", "desadv", "inv", "pedigree", "po", "poc", "prodorder", "recadv", "rma", "testprd", "testres", "upevt"]
        }
    }

    /// "business step", for messages.
    public var displayName: String {
        switch self {
        case .businessStep: "business step"
        case .disposition: "disposition"
        case .sourceDestinationType: "source or destination type"
        case .errorReason: "error reason"
        case .businessTransactionType: "business transaction type"
        }
    }

    /// The bare word when `value` is this vocabulary's CBV value in any of its
    /// three spellings, `value` itself when it is some other absolute URI, nil
    /// otherwise: an unknown bare word, or an unknown value in GS1's CBV namespaces.
    public func canonical(_ value: some StringProtocol) -> String? {
        let text = String(value)
        for prefix in [urnPrefix, "https://ref.gs1.org/cbv/" + webTerm, "http://ref.gs1.org/cbv/" + webTerm] where text.hasPrefix(prefix) {
            let word = String(text.dropFirst(prefix.count))
            return words.contains(word) ? word : nil
        }
        if !text.contains(":") { return words.contains(text) ? text : nil }
        // GS1 reserves these namespaces: a value there that is not in the list is a mistake, not an extension.
        let reserved = ["urn:epcglobal:cbv:", "https://ref.gs1.org/cbv/", "http://ref.gs1.org/cbv/"]
        guard !reserved.contains(where: { text.hasPrefix($0) }), AbsoluteURI.isValid(text) else { return nil }
        return text
    }

    private var urnPrefix: String {
        switch self {
        case .businessStep: "urn:epcglobal:cbv:bizstep:"
        case .disposition: "urn:epcglobal:cbv:disp:"
        case .sourceDestinationType: "urn:epcglobal:cbv:sdt:"
        case .errorReason: "urn:epcglobal:cbv:er:"
        case .businessTransactionType: "urn:epcglobal:cbv:btt:"
        }
    }

    private var webTerm: String {
        switch self {
        case .businessStep: "BizStep-"
        case .disposition: "Disp-"
        case .sourceDestinationType: "SDT-"
        case .errorReason: "ER-"
        case .businessTransactionType: "BTT-"
        }
    }

    private static let businessSteps: Set<String> = [
        "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning", "creating_class_instance",
        "cycle_counting", "decommissioning", "departing", "destroying", "disassembling", "dispensing", "encoding",
        "entering_exiting", "holding", "inspecting", "installing", "killing", "loading", "other", "packing", "picking",
        "receiving", "removing", "repackaging", "repairing", "replacing", "reserving", "retail_selling", "sampling",
        "sensor_reporting", "shipping", "staging_outbound", "stock_taking", "stocking", "storing", "transporting",
        "unloading", "unpacking", "void_shipping",
    ]

    private static let dispositions: Set<String> = [
        "active", "available", "completeness_inferred", "completeness_verified", "conformant", "container_closed",
        "container_open", "damaged", "destroyed", "dispensed", "disposed", "encoded", "expired", "in_progress",
        "in_transit", "inactive", "mismatch_instance", "mismatch_class", "mismatch_quantity", "needs_replacement",
        "no_pedigree_match", "non_conformant", "non_sellable_other", "partially_dispensed", "recalled", "reserved",
        "retail_sold", "returned", "sellable_accessible", "sellable_not_accessible", "stolen", "unavailable", "unknown",
    ]
}
