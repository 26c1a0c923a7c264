import Foundation
import SignetCore

/// The "new seal batch" form, checked; problems are localization keys.
struct SealBatchForm {
    var batch: SealBatchStore.NewBatch?
    var problems: [String] = []

    init(fields: [String: String]) {
        func text(_ name: String) -> String { (fields[name] ?? "").trimmingCharacters(in: .whitespaces) }
        let gtin = GTIN(text("gtin"))
        if gtin == nil { problems.append("portal_error_product_unknown") }
        let lot = text("lot")
        if !lot.isEmpty, !AI82.isValid(lot) { problems.append("portal_error_lot_code_invalid") }
        let quantity = Int(text("quantity")) ?? 0
        if !(1...SealBatchStore.maximumQuantity).contains(quantity) { problems.append("portal_error_quantity") }
        let length = Int(text("serial_length")) ?? 0
        if SerialGenerator(length: length) == nil { problems.append("portal_error_serial_length") }
        let status = SealStatus(rawValue: text("initial_status")) ?? .pending
        if status == .deactivated { problems.append("portal_error_initial_status") }
        var markets: [String] = []
        switch CountryCode.parseList(text("markets")) {
        case .success(let codes): markets = codes
        case .failure: problems.append("portal_error_markets")
        }
        if let gtin, problems.isEmpty {
            batch = .init(
                gtin: gtin, lotCode: lot.isEmpty ? nil : lot, quantity: quantity, serialLength: length,
                initialStatus: status, markets: markets)
        }
    }
}
