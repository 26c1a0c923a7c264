import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import SignetCore

/// `GET /api/v1/stats` (`getStatistics` in openapi.yaml): a plain route
/// rather than a generated handler, so that an answer of thousands of rows
/// is written straight into bytes (`StatisticsJSON`, `StatisticsCSV`)
/// instead of through JSONEncoder. JSON, or CSV when `format=csv`, or when
/// `Accept` ranks text/csv above JSON and no `format` is given.
struct APIStatisticsRoute: Sendable {
    let statistics: StatisticsStore

    func addRoutes(to group: RouterGroup<SignetRequestContext>) {
        group.get("stats", use: answer)
    }

    @Sendable func answer(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let client = try APIClientScope.require(.statsRead)
        let parameters = request.uri.queryParameters
        func text(_ name: String) -> String? { parameters[name[...]].map(String.init) }
        func instant(_ name: String) throws -> Date? {
            guard let value = text(name) else { return nil }
            guard let date = ISO8601DateFormatter().date(from: value) else {
                throw APIProblem.badRequest("`\(name)` is not an RFC 3339 date-time (2026-11-01T00:00:00Z): \(value)")
            }
            return date
        }
        let format = text("format")
        guard format == nil || format == "json" || format == "csv" else {
            throw APIProblem.badRequest("`format` is json or csv, not \(format!).")
        }
        let raw = try StatisticsQuery.Raw(
            from: instant("from"), to: instant("to"), interval: text("interval"), groupBy: text("group_by"),
            filters: Dictionary(uniqueKeysWithValues: StatisticsQuery.Dimension.allCases.compactMap { dimension in
                text(dimension.rawValue).map { (dimension, $0) }
            }),
            timeZone: text("tz"))
        let question: StatisticsQuery
        switch StatisticsQuery.parse(raw, now: Date()) {
        case .success(let parsed): question = parsed
        case .failure(let invalid): throw APIProblem.validation(invalid.errors.map { .init(field: $0.field, message: $0.message) })
        }
        let rows = try await statistics.series(brandID: client.brandID, question, productIDs: client.access.productIDs)
        let bucketFormat = StatisticsBucketFormat(timeZone: question.timeZone)
        if format == "csv" || (format == nil && Self.ranksCSVFirst(request.headers[values: .accept])) {
            let text = StatisticsCSV.text(rows, groupBy: question.groupBy, bucketFormat: bucketFormat)
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: StatisticsJSON.body(rows, question: question, bucketFormat: bucketFormat)))
    }

    private enum Answer: String, AcceptableProtocol {
        case json = "application/json", csv = "text/csv"
    }

    /// `Accept` ranks text/csv above application/json, or lists it without JSON.
    static func ranksCSVFirst(_ accept: [String]) -> Bool {
        let ranked = accept.flatMap { $0.split(separator: ",") }
            .compactMap { AcceptHeaderContentType<Answer>(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
            .sortedByQuality()
        guard let csv = ranked.firstIndex(where: { $0.contentType == .csv }) else { return false }
        let json = ranked.firstIndex(where: { $0.contentType == .json }) ?? ranked.endIndex
        return csv < json
    }
}
