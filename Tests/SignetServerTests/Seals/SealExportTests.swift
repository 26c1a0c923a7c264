import HummingbirdTesting
import Logging
import SignetCore
import SignetServer
import Testing

@Suite("Seal export for printers")
struct SealExportTests {
    @Test("every seal is exported with a signed URL that scans as its own verdict")
    func exportScans() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let lines = try await database.withClient { client in
                var lines: [String] = [CSVRecord.line(["gtin", "lot", "serial", "url", "check_code"])]
                try await SealExporter(database: client, logger: Logger(label: "test"), publicURL: "https://scan.example.com")
                    .forEachSeal(brandSlug: "demo") { seal in
                        lines.append(CSVRecord.line([seal.gtin.digits, seal.lot ?? "", seal.serial, seal.url, seal.checkCode]))
                    }
                return lines
            }
            #expect(lines.first == "gtin,lot,serial,url,check_code")
            // 1,000 active + 5 recalled-lot + 5 expired-lot + 3 pending + 2 deactivated.
            #expect(lines.count == 1 + 1015)
            let honey = try #require(lines.first { $0.hasPrefix("03760123450003,HL2406,H00001,") })
            let url = String(honey.split(separator: ",")[3])
            #expect(url.hasPrefix("https://scan.example.com/01/03760123450003/10/HL2406/21/H00001?t="))

            try await withTestApp(database) { client in
                let path = String(url.dropFirst("https://scan.example.com".count))
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.text.contains("data-verdict=\"genuine_first\""))
            }
        }
    }

    @Test("an unknown brand is an error")
    func unknownBrand() async throws {
        try await withTestDatabase { database in
            try await database.withClient { client in
                await #expect(throws: SealExportError.self) {
                    try await SealExporter(database: client, logger: Logger(label: "test"), publicURL: "http://x")
                        .forEachSeal(brandSlug: "nobody") { _ in }
                }
            }
        }
    }

    @Test("CSV fields with commas or quotes are quoted")
    func csvQuoting() {
        let row = CSVRecord.line(["a", "b,c", #"d"e"#])
        #expect(row == #"a,"b,c","d""e""#)
    }

    @Test("fields a spreadsheet would run as formulas are neutralized only when asked")
    func csvFormulas() {
        #expect(CSVRecord.line(["=1+1", "-2", "@SUM(A1)", "ok"], neutralizingFormulas: true) == "'=1+1,'-2,'@SUM(A1),ok")
        #expect(CSVRecord.line(["-2", "+A"]) == "-2,+A")
    }
}
