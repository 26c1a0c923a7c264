import Foundation

/// A bucket's start as ISO 8601 with the offset of the question's time zone
/// (`2026-11-02T00:00:00+01:00`; `+00:00` in UTC), so a reader sees local
/// midnights rather than the same instants in UTC.
struct StatisticsBucketFormat: Sendable {
    let timeZone: TimeZone

    init(timeZone identifier: String) {
        timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")!
    }

    func string(_ date: Date) -> String {
        let offset = timeZone.secondsFromGMT(for: date)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        // The local wall-clock time is the UTC time shifted by the offset.
        let local = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date.addingTimeInterval(TimeInterval(offset)))
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let sign = offset < 0 ? "-" : "+"
        return "\(local.year!)-\(two(local.month!))-\(two(local.day!))T\(two(local.hour!)):\(two(local.minute!)):\(two(local.second!))"
            + "\(sign)\(two(abs(offset) / 3600)):\(two(abs(offset) % 3600 / 60))"
    }
}
