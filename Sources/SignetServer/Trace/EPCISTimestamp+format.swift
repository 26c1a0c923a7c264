import Foundation
import SignetCore

extension EPCISTimestamp {
    /// `2026-03-01T10:00:00.123Z`: how Signet writes the times it sets (UTC, milliseconds).
    static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
