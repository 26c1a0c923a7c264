import Foundation
import HTTPTypes
import HummingbirdTesting
import SignetCore
import SignetServer
import Testing

/// `GET /api/v1/stats` over a small known data set.
@Suite("Statistics API")
struct StatisticsAPITests {
    static func at(_ text: String) throws -> Date { try Date(text, strategy: .iso8601) }

    /// Brand alpha: products 1 and 2 of type food, 3 of type care. 23:30 UTC on the 14th is already the 15th in Paris.
    /// Brand beta: one scan at the same time, which alpha must never see.
    static func seed(_ database: TestDatabase) async throws -> (alpha: StatisticsFixture.Brand, beta: StatisticsFixture.Brand) {
        let alpha = try await StatisticsFixture.brand(database, slug: "alpha")
        let beta = try await StatisticsFixture.brand(database, slug: "beta")
        func scan(_ brand: StatisticsFixture.Brand, _ product: Int, _ time: String, _ country: String, _ language: String,
                  _ verdict: String, seal: Int64) throws -> StatisticsFixture.Scan {
            .init(brandID: brand.id, productID: brand.productIDs[product], sealID: seal, scannedAt: try at(time), country: country,
                  language: language, verdict: verdict, visitor: Array(repeating: UInt8(seal), count: 16))
        }
        let scans = [
            try scan(alpha, 0, "2026-01-14T23:30:00Z", "FR", "fr", "genuine_first", seal: 1),
            try scan(alpha, 0, "2026-01-14T23:45:00Z", "FR", "fr", "genuine_seen", seal: 1),
            try scan(alpha, 1, "2026-01-15T10:00:00Z", "DE", "de", "genuine_first", seal: 2),
            try scan(alpha, 2, "2026-01-15T11:00:00Z", "DE", "en", "counterfeit", seal: 3),
            try scan(alpha, 0, "2026-01-16T09:00:00Z", "ES", "es", "genuine_first", seal: 4),
            try scan(beta, 0, "2026-01-15T10:00:00Z", "IT", "en", "counterfeit", seal: 99),
        ]
        try await database.withClient { client in try await StatisticsFixture.write(scans, to: client, perTransaction: 2) }
        return (alpha, beta)
    }

    static let period = "from=2026-01-14T00:00:00Z&to=2026-01-17T00:00:00Z"

    static func rows(_ response: TestResponse) -> [String] {
        (response.json["rows"] as? [[String: Any]] ?? []).map { row in
            let groups = ["country", "language", "product_type", "product", "verdict"].compactMap { row[$0] as? String }
            return ([row["bucket"] as? String ?? "?"] + groups + ["\(row["consultations"] ?? "?")", "\(row["unique_seals"] ?? "?")"])
                .joined(separator: " ")
        }
    }

    @Test("by day in UTC and in Paris time, grouped and filtered, as JSON")
    func groupingFiltersTimeZones() async throws {
        try await withTestDatabase { database in
            let (alpha, _) = try await Self.seed(database)
            let key = try await APIClientFixture.key(database, brand: "alpha", scopes: [.statsRead])
            try await withTestApp(database) { client in
                #expect(try await StatisticsFixture.waitForRollups(database, total: 6) == 6)
                let utc = try await client.api(.get, "/api/v1/stats?\(Self.period)", key: key)
                #expect(utc.status == .ok)
                #expect(utc.json["interval"] as? String == "day" && utc.json["tz"] as? String == "UTC")
                #expect(Self.rows(utc) == [
                    "2026-01-14T00:00:00+00:00 2 1", "2026-01-15T00:00:00+00:00 2 2", "2026-01-16T00:00:00+00:00 1 1",
                ])
                let paris = try await client.api(.get, "/api/v1/stats?\(Self.period)&tz=Europe/Paris", key: key)
                #expect(Self.rows(paris) == ["2026-01-15T00:00:00+01:00 4 3", "2026-01-16T00:00:00+01:00 1 1"])

                let grouped = try await client.api(
                    .get, "/api/v1/stats?\(Self.period)&interval=month&group_by=verdict,country&country=DE,fr", key: key)
                #expect(grouped.json["group_by"] as? [String] == ["verdict", "country"])
                #expect(Self.rows(grouped) == [
                    "2026-01-01T00:00:00+00:00 DE counterfeit 1 1",
                    "2026-01-01T00:00:00+00:00 DE genuine_first 1 1",
                    "2026-01-01T00:00:00+00:00 FR genuine_first 1 1",
                    "2026-01-01T00:00:00+00:00 FR genuine_seen 1 1",
                ])
                let types = try await client.api(.get, "/api/v1/stats?\(Self.period)&interval=week&group_by=product_type", key: key)
                #expect(Self.rows(types) == [
                    "2026-01-12T00:00:00+00:00 care 1 1", "2026-01-12T00:00:00+00:00 food 4 3",
                ])
                let products = try await client.api(
                    .get, "/api/v1/stats?\(Self.period)&interval=month&group_by=product&product_type=food&language=fr,es", key: key)
                #expect(Self.rows(products) == ["2026-01-01T00:00:00+00:00 \(alpha.gtins[0]) 3 2"])
                let hours = try await client.api(.get, "/api/v1/stats?\(Self.period)&interval=hour&verdict=counterfeit", key: key)
                #expect(Self.rows(hours) == ["2026-01-15T11:00:00+00:00 1 1"])
            }
        }
    }

    @Test("CSV with format=csv or Accept: text/csv: bucket, the dimensions in the order asked, consultations, unique_seals")
    func csv() async throws {
        try await withTestDatabase { database in
            _ = try await Self.seed(database)
            let key = try await APIClientFixture.key(database, brand: "alpha", scopes: [.statsRead])
            try await withTestApp(database) { client in
                #expect(try await StatisticsFixture.waitForRollups(database, total: 6) == 6)
                let expected = """
                    bucket,language,country,consultations,unique_seals
                    2026-01-15T00:00:00+01:00,de,DE,1,1
                    2026-01-15T00:00:00+01:00,en,DE,1,1
                    2026-01-15T00:00:00+01:00,fr,FR,2,1
                    2026-01-16T00:00:00+01:00,es,ES,1,1

                    """
                let query = "/api/v1/stats?\(Self.period)&group_by=language,country&tz=Europe/Paris"
                let byFormat = try await client.api(.get, query + "&format=csv", key: key)
                #expect(byFormat.status == .ok)
                #expect(byFormat.headers[.contentType]?.hasPrefix("text/csv") == true)
                #expect(byFormat.text == expected)
                let byAccept = try await client.execute(
                    uri: query, method: .get, headers: [.authorization: "Bearer \(key)", .accept: "text/csv, application/json;q=0.5"])
                #expect(byAccept.text == expected)
                let jsonWins = try await client.api(.get, query + "&format=json", key: key, headers: [.accept: "text/csv"])
                #expect(jsonWins.json["rows"] is [[String: Any]])
                #expect(jsonWins.headers[.contentType]?.hasPrefix("application/json") == true)
                let jsonRanked = try await client.execute(
                    uri: query, method: .get, headers: [.authorization: "Bearer \(key)", .accept: "text/csv;q=0.2, application/json"])
                #expect(jsonRanked.headers[.contentType]?.hasPrefix("application/json") == true)
            }
        }
    }

    @Test("bad questions are 422 problems naming every field; no stats:read is 403; another brand's data is never counted")
    func refusalsAndIsolation() async throws {
        try await withTestDatabase { database in
            let (alpha, beta) = try await Self.seed(database)
            let alphaKey = try await APIClientFixture.key(database, brand: "alpha", scopes: [.statsRead])
            let betaKey = try await APIClientFixture.key(database, brand: "beta", scopes: [.statsRead])
            let noStats = try await APIClientFixture.key(database, brand: "alpha", scopes: [.alertsRead], name: "alerts-only")
            try await withTestApp(database) { client in
                #expect(try await StatisticsFixture.waitForRollups(database, total: 6) == 6)
                let bad = try await client.api(
                    .get, "/api/v1/stats?interval=year&group_by=colour&country=France&tz=Mars/Base&verdict=fake", key: alphaKey)
                #expect(bad.status == .unprocessableContent)
                #expect(bad.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let fields = (bad.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                #expect(Set(fields) == ["interval", "group_by", "country", "tz", "verdict"])
                let backwards = try await client.api(.get, "/api/v1/stats?from=2026-01-17T00:00:00Z&to=2026-01-14T00:00:00Z", key: alphaKey)
                #expect(backwards.status == .unprocessableContent)
                let brokenDate = try await client.api(.get, "/api/v1/stats?from=yesterday", key: alphaKey)
                #expect(brokenDate.status == .badRequest)
                #expect(brokenDate.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                #expect(try await client.api(.get, "/api/v1/stats?format=xml", key: alphaKey).status == .badRequest)
                #expect(try await client.api(.get, "/api/v1/stats", key: noStats).status == .forbidden)
                #expect(try await client.api(.get, "/api/v1/stats", key: nil).status == .unauthorized)

                let betaOnly = try await client.api(.get, "/api/v1/stats?\(Self.period)&interval=month&group_by=country,product", key: betaKey)
                #expect(Self.rows(betaOnly) == ["2026-01-01T00:00:00+00:00 IT \(beta.gtins[0]) 1 1"])
                let alphaProduct = try await client.api(.get, "/api/v1/stats?\(Self.period)&product=\(alpha.gtins[0])", key: betaKey)
                #expect(alphaProduct.status == .ok && Self.rows(alphaProduct) == [])
            }
        }
    }

    @Test("a key narrowed to one product counts only that product")
    func productAccess() async throws {
        try await withTestDatabase { database in
            let (alpha, _) = try await Self.seed(database)
            let narrowed = try await APIClientFixture.key(
                database, brand: "alpha", scopes: [.statsRead], name: "one-product",
                access: ProductAccessGrant(productTypeCodes: [], gtins: [GTIN(alpha.gtins[1])!]))
            try await withTestApp(database) { client in
                #expect(try await StatisticsFixture.waitForRollups(database, total: 6) == 6)
                let answer = try await client.api(.get, "/api/v1/stats?\(Self.period)&interval=month", key: narrowed)
                #expect(Self.rows(answer) == ["2026-01-01T00:00:00+00:00 1 1"])
            }
        }
    }
}
