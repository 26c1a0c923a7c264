import Foundation
import OpenAPIRuntime
import SignetAPI
import SignetCore

extension APIHandler {
    func getStatistics(_ input: Operations.GetStatistics.Input) async throws -> Operations.GetStatistics.Output {
        let client = try APIClientScope.require(.statsRead)
        let query = input.query
        let raw = StatisticsQuery.Raw(
            from: query.from, to: query.to, interval: query.interval, groupBy: query.groupBy,
            filters: [
                .country: query.country, .language: query.language, .productType: query.productType,
                .product: query.product, .verdict: query.verdict,
            ].compactMapValues { $0 },
            timeZone: query.tz)
        let question: StatisticsQuery
        switch StatisticsQuery.parse(raw, now: Date()) {
        case .success(let parsed): question = parsed
        case .failure(let invalid): throw APIProblem.validation(invalid.errors.map { .init(field: $0.field, message: $0.message) })
        }
        let rows = try await statistics.series(brandID: client.brandID, question, productIDs: client.access.productIDs)
        let bucketFormat = StatisticsBucketFormat(timeZone: question.timeZone)
        if Self.wantsCSV(format: query.format?.rawValue, accept: input.headers.accept) {
            let text = StatisticsCSV.text(rows, groupBy: question.groupBy, bucketFormat: bucketFormat)
            return .ok(.init(body: .csv(HTTPBody(text))))
        }
        let buckets = bucketFormat.strings(rows.map(\.bucket))
        return .ok(.init(body: .json(.init(
            from: question.from, to: question.to, interval: .init(rawValue: question.interval.rawValue)!, tz: question.timeZone,
            groupBy: question.groupBy.map { .init(rawValue: $0.rawValue)! },
            rows: rows.map { row in
                var rendered = Components.Schemas.StatisticsRow(
                    bucket: buckets[row.bucket]!, consultations: Int64(row.consultations),
                    uniqueSeals: Int64(row.uniqueSeals))
                for (dimension, value) in zip(question.groupBy, row.groups) {
                    switch dimension {
                    case .country: rendered.country = value
                    case .language: rendered.language = value
                    case .productType: rendered.productType = value
                    case .product: rendered.product = value
                    case .verdict: rendered.verdict = value
                    }
                }
                return rendered
            }))))
    }

    /// `format` wins; otherwise `Accept` naming text/csv above (or without) JSON.
    static func wantsCSV(
        format: String?, accept: [AcceptHeaderContentType<Operations.GetStatistics.AcceptableContentType>]
    ) -> Bool {
        if let format { return format == "csv" }
        let ranked = accept.sortedByQuality()
        guard let csv = ranked.firstIndex(where: { $0.contentType == .csv }) else { return false }
        let json = ranked.firstIndex(where: { $0.contentType == .json }) ?? ranked.endIndex
        return csv < json
    }
}
