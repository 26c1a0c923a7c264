import Foundation
import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Consultations page and export")
struct ConsultationsPageTests {
    /// 120 consultations of the demo brand, one a minute back from now:
    /// verdicts, countries and products in turn; serial `C{i}`, and `=1+1` for i = 7.
    static func seedConsultations(_ database: TestDatabase) async throws {
        try await database.withClient { client in
            try await client.run("""
                INSERT INTO consultations (scanned_at, brand_id, product_id, gtin, serial, country, served_language, verdict, channel)
                SELECT now() - i * interval '1 minute', p.brand_id, p.id, p.gtin,
                       CASE WHEN i = 7 THEN '=1+1' ELSE 'C' || i END,
                       (ARRAY['FR', 'DE', 'unknown'])[i % 3 + 1], 'fr',
                       (ARRAY['genuine_first', 'genuine_seen', 'counterfeit'])[i % 3 + 1], 'qr'
                FROM generate_series(1, 120) AS i
                JOIN products p ON p.gtin = CASE WHEN i % 2 = 0 THEN '03760123450003' ELSE '03760123450010' END
                """)
        }
    }

    static func serials(_ html: String) -> [String] {
        html.components(separatedBy: "<code>").dropFirst().compactMap { part in
            let serial = String(part.prefix { $0 != "<" })
            return serial.hasPrefix("C") || serial.hasPrefix("=") ? serial : nil
        }
    }

    @Test("the list pages newest first by cursor without gaps or repeats, and every filter narrows it")
    func pagesAndFilters() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await Self.seedConsultations(database)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("viewer@demo.test")
                var seen: [String] = []
                var uri: String? = "/portal/consultations"
                var pages = 0
                while let next = uri {
                    let page = try await browser.get(next)
                    #expect(page.status == .ok)
                    seen += Self.serials(page.text)
                    pages += 1
                    let pager = try #require(page.text.components(separatedBy: "class=\"portal-pager\"").last?.components(separatedBy: "</nav>").first)
                    uri = pager.components(separatedBy: "href=\"").dropFirst()
                        .map { String($0.prefix { $0 != "\"" }) }
                        .first { $0.contains("cursor=") }?
                        .replacingOccurrences(of: "&amp;", with: "&")
                    try #require(pages < 5, "the pager never ends")
                }
                #expect(pages == 3)
                #expect(seen.count == 120 && Set(seen).count == 120)
                #expect(seen.first == "C1" && seen.last == "C120")

                let counterfeit = try await browser.get("/portal/consultations?verdict=counterfeit&country=unknown")
                let found = Self.serials(counterfeit.text)
                #expect(found.count == 40 && found.allSatisfy { Int($0.dropFirst()).map { $0 % 3 == 2 } ?? false })
                let cream = try await browser.get("/portal/consultations?gtin=\(DemoFixture.cream.digits)&country=fr")
                #expect(Self.serials(cream.text).count == 20)
                let today = String(Date().formatted(.iso8601).prefix(10))
                #expect(Self.serials(try await browser.get("/portal/consultations?from=2020-01-01&to=2020-12-31").text).isEmpty)
                #expect(!Self.serials(try await browser.get("/portal/consultations?to=\(today)").text).isEmpty)

                let bad = try await browser.get("/portal/consultations?from=2026-02-30&country=France&verdict=fake")
                #expect(bad.status == .unprocessableContent)
                for key in ["portal_error_date_invalid", "portal_error_country", "portal_error_verdict"] {
                    #expect(bad.text.contains(try UIStrings.html(key, .en)))
                }
            }
        }
    }

    @Test("the CSV export streams every filtered consultation and defuses spreadsheet formulas")
    func export() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await Self.seedConsultations(database)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("viewer@demo.test")
                let all = try await browser.get("/portal/consultations.csv")
                #expect(all.status == .ok)
                #expect(all.headers[.contentType] == "text/csv; charset=utf-8")
                let lines = all.text.split(separator: "\n")
                #expect(lines.first == "scanned_at,gtin,serial,lot,country,served_language,requested_language,verdict,scan_number,channel")
                #expect(lines.count == 121)
                #expect(lines.contains { $0.contains(",'=1+1,") })
                #expect(!lines.contains { $0.contains(",=1+1,") })
                let german = try await browser.get("/portal/consultations.csv?country=DE&verdict=genuine_seen")
                #expect(german.text.split(separator: "\n").count == 41)
                #expect(try await browser.get("/portal/consultations.csv?from=yesterday").status == .badRequest)
            }
        }
    }
}
