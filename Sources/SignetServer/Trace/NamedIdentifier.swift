import SignetCore

/// One identifier an event names, with where in the event it stands (for
/// error messages) and its role (for the `MATCH_` query parameters).
struct NamedIdentifier: Sendable {
    enum Role: String, Sendable {
        case epc, parent, input, output
        case `class`, inputClass = "input_class", outputClass = "output_class"
    }

    var field: String
    var role: Role
    var identifier: EPCIdentifier

    /// Every identifier of `event` that names goods (not places or parties), in document order.
    static func all(in event: EPCISEvent) -> [NamedIdentifier] {
        var named: [NamedIdentifier] = []
        func add(_ list: [EPCIdentifier], _ field: String, _ role: Role) {
            for (index, identifier) in list.enumerated() {
                named.append(NamedIdentifier(field: "\(field)[\(index)]", role: role, identifier: identifier))
            }
        }
        func add(_ list: [EPCISQuantity], _ field: String, _ role: Role) {
            for (index, quantity) in list.enumerated() {
                named.append(NamedIdentifier(field: "\(field)[\(index)].epcClass", role: role, identifier: quantity.epcClass))
            }
        }
        if let parent = event.parentID { named.append(NamedIdentifier(field: "parentID", role: .parent, identifier: parent)) }
        add(event.epcList, "epcList", .epc)
        add(event.childEPCs, "childEPCs", .epc)
        add(event.inputEPCList, "inputEPCList", .input)
        add(event.outputEPCList, "outputEPCList", .output)
        add(event.quantityList, "quantityList", .class)
        add(event.childQuantityList, "childQuantityList", .class)
        add(event.inputQuantityList, "inputQuantityList", .inputClass)
        add(event.outputQuantityList, "outputQuantityList", .outputClass)
        return named
    }
}
