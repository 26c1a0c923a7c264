import Foundation

/// A bucket's start as ISO 8601 with the offset of the question's time zone
/// (`2026-11-02T00:00:00+01:00`; `+00:00` in UTC), so a reader sees local
/// midnights rather than the same instants in UTC.
struct StatisticsBucketFormat: Sendable {
    let timeZone: TimeZone

    init(timeZone identifier: String) {
        timeZone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")!
    }

    /// Each distinct bucket formatted once: an answer of thousands of rows
    /// has a few dozen buckets, and formatting one builds calendar components.
    func strings(_ buckets: some Sequence<Date>) -> [Date: String] {
        var strings: [Date: String] = [:]
        for bucket in buckets where strings[bucket] == nil { strings[bucket] = string(bucket) }
        return strings
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
