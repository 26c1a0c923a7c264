import SignetCore

/// A rule as typed (API body or portal form), checked field by field; every
/// problem is reported at once, in words the caller chooses.
struct AlertRuleInputCheck {
    enum Reason: Equatable {
        case notAGTIN(String)
        case notALot(String)
        case notACountry(String)
        case watchListRequired
        case probingThresholdRange
        case jumpMinutesRange
    }

    struct Problem: Equatable {
        var field: String
        var reason: Reason

        /// For the API's problem documents.
        var englishMessage: String {
            switch reason {
            case .notAGTIN(let text): "\(text) is not a GTIN"
            case .notALot(let text): "\(text) is not a GTIN and a lot code of 1 to 20 characters of GS1 character set 82"
            case .notACountry(let code): "\(code) is not two capital letters"
            case .watchListRequired: "an exceptional_country rule needs a watch list"
            case .probingThresholdRange: "2 to 1000"
            case .jumpMinutesRange: "1 to 10080"
            }
        }

        /// For the portal's localized error list.
        var localizationKey: String {
            switch reason {
            case .notAGTIN: "portal_error_gtin_invalid"
            case .notALot: "portal_rule_error_lot_invalid"
            case .notACountry: "portal_error_country"
            case .watchListRequired: "portal_rule_error_watch_list"
            case .probingThresholdRange: "portal_rule_error_probing"
            case .jumpMinutesRange: "portal_rule_error_jump"
            }
        }
    }

    /// Everything wrong with a rule as typed.
    struct Problems: Error {
        var list: [Problem]
    }

    static func check(
        kind: AlertRule.Kind, enabled: Bool, productTypeCodes: [String]?, gtinTexts: [String]?,
        lotTexts: [(gtin: String, code: String)]?, settings: AlertRuleSettings
    ) -> Result<AlertRuleStore.Input, Problems> {
        var problems: [Problem] = []
        let gtins = gtinTexts?.compactMap { text -> String? in
            guard let gtin = GTIN(text) else {
                problems.append(Problem(field: "products", reason: .notAGTIN(text)))
                return nil
            }
            return gtin.digits
        }.uniqued()
        let lots = lotTexts?.compactMap { text -> LotReference? in
            guard let lot = LotReference(gtin: text.gtin, code: text.code) else {
                problems.append(Problem(field: "lots", reason: .notALot("\(text.gtin) \(text.code)")))
                return nil
            }
            return lot
        }.uniqued()
        for (field, codes) in [("settings.markets", settings.markets), ("settings.watch_list", settings.watchList)] {
            for code in codes ?? [] where !(code.count == 2 && code.allSatisfy { $0.isUppercase && $0.isASCII }) {
                problems.append(Problem(field: field, reason: .notACountry(code)))
            }
        }
        // An off_market rule may name no markets: seals then count on their batch's intended markets.
        if kind == .exceptionalCountry, settings.watchList?.isEmpty ?? true {
            problems.append(Problem(field: "settings.watch_list", reason: .watchListRequired))
        }
        if let threshold = settings.probingThreshold, !(2...1000).contains(threshold) {
            problems.append(Problem(field: "settings.probing_threshold", reason: .probingThresholdRange))
        }
        if let minutes = settings.jumpMinutes, !(1...10080).contains(minutes) {
            problems.append(Problem(field: "settings.jump_minutes", reason: .jumpMinutesRange))
        }
        guard problems.isEmpty else { return .failure(Problems(list: problems)) }
        return .success(AlertRuleStore.Input(
            kind: kind, enabled: enabled, productTypeCodes: productTypeCodes?.uniqued(), gtins: gtins, lots: lots, settings: settings))
    }
}
