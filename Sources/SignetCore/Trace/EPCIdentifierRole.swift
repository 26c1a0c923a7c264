/// What an event field may name. EPCIS keeps instances, classes, places and
/// parties in separate fields; a lot in `epcList` or a product in `readPoint`
/// is a mistake the sender should hear about rather than data to store.
enum EPCIdentifierRole {
    /// epcList, childEPCs, inputEPCList, outputEPCList, parentID.
    case instance
    /// A quantity element's epcClass.
    case quantityClass
    /// readPoint, bizLocation.
    case location
    /// A source or destination.
    case sourceOrDestination

    func accepts(_ identifier: EPCIdentifier) -> Bool {
        switch (self, identifier) {
        case (.instance, .item), (.instance, .container): true
        case (.quantityClass, .product), (.quantityClass, .lot): true
        case (.location, .location): true
        case (.sourceOrDestination, .party), (.sourceOrDestination, .location): true
        default: false
        }
    }

    var expectation: String {
        switch self {
        case .instance: "an item (SGTIN) or a container (SSCC)"
        case .quantityClass: "a product class (idpat:sgtin) or a lot (LGTIN)"
        case .location: "a location (SGLN)"
        case .sourceOrDestination: "a party (PGLN) or a location (SGLN)"
        }
    }
}

extension EPCIdentifier {
    /// "a lot (LGTIN)", for messages.
    var kindDescription: String {
        switch self {
        case .item: "an item (SGTIN)"
        case .product: "a product class (idpat:sgtin)"
        case .lot: "a lot (LGTIN)"
        case .container: "a container (SSCC)"
        case .location: "a location (SGLN)"
        case .party: "a party (PGLN)"
        }
    }
}
