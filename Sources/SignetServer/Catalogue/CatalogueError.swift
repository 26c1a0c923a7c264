/// Why a catalogue change was refused; each maps to a localized message key.
enum CatalogueError: Error, Sendable, Equatable {
    case gtinTaken
    case skuTaken
    case lotCodeTaken
    case staleVersion
    case productNotFound
    case lotNotFound
    case productTypeNotFound
    case productTypeCodeTaken
    case outsideAccess

    var messageKey: String {
        switch self {
        case .gtinTaken: "portal_error_gtin_taken"
        case .skuTaken: "portal_error_sku_taken"
        case .lotCodeTaken: "portal_error_lot_taken"
        case .staleVersion: "portal_error_stale"
        case .productTypeNotFound: "portal_error_product_type_unknown"
        case .productTypeCodeTaken: "portal_error_product_type_taken"
        case .outsideAccess: "portal_error_outside_access"
        case .productNotFound, .lotNotFound: "error_not_found_title"
        }
    }
}
