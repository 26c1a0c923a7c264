import SignetCore

/// Statistics as CSV: `bucket`, the group_by dimensions in the order asked,
/// `consultations`, `unique_seals` (the API's columns; the dashboard's
/// download is the same file).
enum StatisticsCSV {
    static func text(_ rows: [StatisticsStore.Row], groupBy: [StatisticsQuery.Dimension], bucketFormat: StatisticsBucketFormat) -> String {
        var lines = [CSVRecord.line(["bucket"] + groupBy.map(\.rawValue) + ["consultations", "unique_seals"])]
        let buckets = bucketFormat.strings(rows.map(\.bucket))
        for row in rows {
            lines.append(CSVRecord.line(
                [buckets[row.bucket]!] + row.groups + [String(row.consultations), String(row.uniqueSeals)],
                neutralizingFormulas: true))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
