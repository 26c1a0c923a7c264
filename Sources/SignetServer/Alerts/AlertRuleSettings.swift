import Foundation
import SignetCore

/// `alert_rules.settings`: a rule's thresholds by name; a missing one takes
/// `AlertRule`'s default, an unreadable document none of them.
struct AlertRuleSettings: Codable, Sendable, Equatable {
    var probingThreshold: Int?
    var sessionLimit: Int?
    var sessionMinutes: Int?
    var markets: [String]?
    var watchList: [String]?
    var jumpMinutes: Int?

    enum CodingKeys: String, CodingKey {
        case probingThreshold = "probing_threshold"
        case sessionLimit = "session_limit"
        case sessionMinutes = "session_minutes"
        case markets
        case watchList = "watch_list"
        case jumpMinutes = "jump_minutes"
    }

    static func decode(_ json: String) -> AlertRuleSettings {
        (try? JSONDecoder().decode(AlertRuleSettings.self, from: Data(json.utf8))) ?? AlertRuleSettings()
    }

    func rule(kind: AlertRule.Kind, scope: AlertScope) -> AlertRule {
        let defaults = AlertRule(kind: kind)
        return AlertRule(
            kind: kind, scope: scope,
            probingThreshold: probingThreshold ?? defaults.probingThreshold,
            sessionLimit: sessionLimit ?? defaults.sessionLimit,
            sessionMinutes: sessionMinutes ?? defaults.sessionMinutes,
            markets: Set(markets ?? []), watchList: Set(watchList ?? []),
            jumpMinutes: jumpMinutes ?? defaults.jumpMinutes)
    }
}
