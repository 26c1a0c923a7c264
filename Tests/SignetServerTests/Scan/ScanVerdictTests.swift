import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Scan verdicts and the consultations they write")
struct ScanVerdictTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var path: @Sendable (DemoFixture) -> String
        var verdict: String
        var showsProduct: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "tampered token", path: { demo in
            let path = demo.path(DemoFixture.honey, lot: "HL2406", serial: "H00020")
            return String(path.dropLast(2)) + (path.hasSuffix("AA") ? "BB" : "AA")
        }, verdict: "counterfeit", showsProduct: false),
        Case(name: "missing token", path: { _ in "/01/03760123450003/10/HL2406/21/H00021" }, verdict: "counterfeit", showsProduct: false),
        Case(name: "token of another serial", path: { demo in
            let other = demo.path(DemoFixture.honey, serial: "H00022")
            return "/01/03760123450003/21/H00023" + other[other.firstIndex(of: "?")!...]
        }, verdict: "counterfeit", showsProduct: false),
        Case(name: "unknown serial with a lot", path: { demo in demo.path(DemoFixture.honey, lot: "HL2406", serial: "Z99998") }, verdict: "counterfeit", showsProduct: false),
        Case(name: "unknown serial with an unknown lot", path: { demo in demo.path(DemoFixture.honey, lot: "NOPE", serial: "Z99997") }, verdict: "counterfeit", showsProduct: false),
        Case(name: "unknown serial", path: { demo in demo.path(DemoFixture.honey, serial: "Z99999") }, verdict: "counterfeit", showsProduct: false),
        Case(name: "unknown GTIN", path: { demo in demo.path(GTIN("4006381333931")!, serial: "H00001") }, verdict: "counterfeit", showsProduct: false),
        Case(name: "lot that is not the seal's", path: { demo in demo.path(DemoFixture.honey, lot: "OTHER", serial: "H00024") }, verdict: "counterfeit", showsProduct: false),
        Case(name: "recalled lot", path: { demo in demo.path(DemoFixture.oliveOil, lot: "OL2402", serial: "R00001") }, verdict: "recalled", showsProduct: true),
        Case(name: "seal not yet activated", path: { demo in demo.path(DemoFixture.honey, lot: "HL2406", serial: "P00001") }, verdict: "inactive", showsProduct: true),
        Case(name: "deactivated seal", path: { demo in demo.path(DemoFixture.cream, lot: "CL2409", serial: "D00001") }, verdict: "inactive", showsProduct: true),
        Case(name: "genuine without the lot in the URL", path: { demo in demo.path(DemoFixture.honey, serial: "H00025") }, verdict: "genuine_first", showsProduct: true),
    ]

    @Test("verdict, page and consultation row", arguments: cases)
    func verdict(_ scenario: Case) async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let response = try await client.execute(uri: scenario.path(demo), method: .get, headers: [.acceptLanguage: "en"])
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains("data-verdict=\"\(scenario.verdict)\""))
                let verdict = try #require(Verdict(rawValue: scenario.verdict))
                #expect(try html.contains(UIStrings.html("verdict_\(verdict.rawValue)_title", .en)))
                let productName = try UIStrings.escape(DemoFixture.productName(DemoFixture.honey, .en))
                if !scenario.showsProduct {
                    #expect(!html.contains(productName))
                    #expect(!html.contains("class=\"product"))
                }
            }
            let rows = try await demo.consultations()
            #expect(rows.count == 1)
            #expect(rows.first?.verdict == scenario.verdict)
            #expect(rows.first?.channel == "qr")
        }
    }

    @Test("a recalled lot shows the recall notice in the page language")
    func recallNotice() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            let german = try #require(DemoFixture.product(DemoFixture.oliveOil).recall_notice?["de"])
            try await withTestApp(database) { client in
                let response = try await client.execute(
                    uri: demo.path(DemoFixture.oliveOil, lot: "OL2402", serial: "R00002"), method: .get, headers: [.acceptLanguage: "de"])
                #expect(response.text.contains(UIStrings.escape(german)))
                #expect(try response.text.contains(UIStrings.html("verdict_recalled_title", .de)))
            }
        }
    }

    @Test("counterfeit scans of a known serial do not count as scans of the seal")
    func counterfeitDoesNotBurnTheSeal() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                _ = try await client.execute(uri: "/01/03760123450003/21/H00030?t=AAAAAAAAAAAAAAAA", method: .get)
                let genuine = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00030"), method: .get)
                #expect(genuine.text.contains("data-verdict=\"genuine_first\""))
            }
            let rows = try await demo.consultations()
            #expect(rows.map(\.verdict) == ["counterfeit", "genuine_first"])
            // Both rows name the seal, so the brand can see attacks on real serials.
            #expect(rows[0].sealID != nil && rows[0].sealID == rows[1].sealID)
        }
    }
}
