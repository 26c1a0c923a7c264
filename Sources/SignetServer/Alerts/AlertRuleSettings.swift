import Foundation
import SignetCore

/// `alert_rules.settings`: a rule's thresholds by name; a missing one takes
/// `AlertRule`'s default, an unreadable document none of them.
struct AlertRuleSettings: Codable, Sendable, Equatable {
    var probingThreshold: Int?
    /// `scan_sessions_exceeded`: also deactivate the seal.
    var deactivateSeal: Bool?
    var markets: [String]?
    var watchList: [String]?
    var jumpMinutes: Int?
    /// `every_scan`: its alerts ask for attention like the others (counted as
    /// open, in the inbox's open view); without it they are informational.
    var inbox: Bool?

    enum CodingKeys: String, CodingKey {
        case probingThreshold = "probing_threshold"
        case deactivateSeal = "deactivate_seal"
        case markets
        case watchList = "watch_list"
        case jumpMinutes = "jump_minutes"
        case inbox
    }

    static func decode(_ json: String) -> AlertRuleSettings {
        (try? JSONDecoder().decode(AlertRuleSettings.self, from: Data(json.utf8))) ?? AlertRuleSettings()
    }

    /// The rule with these thresholds; sessions are counted as the brand
    /// counts them for the `suspicious` verdict.
    func rule(kind: AlertRule.Kind, scope: AlertScope, sessionLimit: Int, sessionMinutes: Int) -> AlertRule {
        let defaults = AlertRule(kind: kind)
        return AlertRule(
            kind: kind, scope: scope,
            probingThreshold: probingThreshold ?? defaults.probingThreshold,
            sessionLimit: sessionLimit, sessionMinutes: sessionMinutes,
            markets: Set(markets ?? []), watchList: Set(watchList ?? []),
            jumpMinutes: jumpMinutes ?? defaults.jumpMinutes)
    }
}
