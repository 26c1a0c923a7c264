import Foundation
import SignetCore

/// Everything the dashboard shows, read from the rollups (and, for the
/// suspicious seals, the consultations) for one question.
struct StatisticsDashboardData: Sendable {
    var total: StatisticsStore.Row?
    var previousTotal: StatisticsStore.Row?
    var byVerdict: [StatisticsStore.Row]
    var timeline: [StatisticsStore.Row]
    var byCountry: [StatisticsStore.Row]
    var byLanguage: [StatisticsStore.Row]
    var byType: [StatisticsStore.Row]
    var byProduct: [StatisticsStore.Row]
    var suspiciousSeals: [StatisticsStore.SuspiciousSeal]

    static func load(
        statistics: StatisticsStore, brandID: Int64, question: StatisticsQuery, previous: StatisticsQuery, productIDs: [Int64]?
    ) async throws -> StatisticsDashboardData {
        func grouped(_ dimensions: [StatisticsQuery.Dimension], of base: StatisticsQuery = question, bucketed: Bool = false)
            async throws -> [StatisticsStore.Row]
        {
            var asked = base
            asked.groupBy = dimensions
            return try await statistics.series(brandID: brandID, asked, productIDs: productIDs, bucketed: bucketed)
        }
        return StatisticsDashboardData(
            total: try await grouped([]).first,
            previousTotal: try await grouped([], of: previous).first,
            byVerdict: try await grouped([.verdict]),
            timeline: try await grouped([.verdict], bucketed: true),
            byCountry: try await grouped([.country]),
            byLanguage: try await grouped([.language]),
            byType: try await grouped([.productType]),
            byProduct: try await grouped([.product]),
            suspiciousSeals: try await statistics.suspiciousSeals(brandID: brandID, question, productIDs: productIDs))
    }
}
