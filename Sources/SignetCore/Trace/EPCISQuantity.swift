/// A quantity element: an amount of a product or a lot, for goods that are
/// counted or weighed rather than serialised one by one.
public struct EPCISQuantity: Sendable, Hashable {
    /// `.product` (every unit of a GTIN) or `.lot`.
    public var epcClass: EPCIdentifier
    /// Absent means an unknown amount; when present it is above zero.
    public var quantity: Double?
    /// A UN/CEFACT Rec. 20 unit code such as KGM; absent means a count of units.
    public var uom: String?

    public init(epcClass: EPCIdentifier, quantity: Double? = nil, uom: String? = nil) {
        self.epcClass = epcClass
        self.quantity = quantity
        self.uom = uom
    }
}
