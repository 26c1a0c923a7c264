import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import SignetCore
import Testing

/// "Report a problem": the form a scan page links to when it did not say
/// genuine, bound to that scan, in the visitor's language, raising an alert.
@Suite("Consumer reports")
struct ConsumerReportTests {
    /// The report link of a scan page, unescaped.
    static func reportPath(_ html: String) throws -> String {
        let start = try #require(html.range(of: #"href="/report/"#))
        let rest = html[start.upperBound...]
        let end = try #require(rest.firstIndex(of: "\""))
        return "/report/" + rest[..<end].replacingOccurrences(of: "&amp;", with: "&")
    }

    static func rows(_ database: TestDatabase, _ sql: PostgresQuery) async throws -> [String] {
        try await database.withClient { client in
            try await client.query(sql, logger: Logger(label: "t")).collect().map { try $0.decode(String.self) }
        }
    }

    @Test("a counterfeit scan links to a form bound to it; a report with a photo is thanked in the visitor's language and raises an alert once")
    func report() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database, .live) { client in
                let genuine = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00070"), method: .get)
                #expect(!genuine.text.contains("/report/"), "a genuine scan offers no report form")
                let scan = try await client.execute(
                    uri: "/01/03760123450003/21/FAKE9?t=AAAAAAAAAAAAAAAA", method: .get,
                    headers: [.acceptLanguage: "fr", .xForwardedFor: "192.0.2.44"])
                let path = try Self.reportPath(scan.text)
                #expect(path.hasSuffix("&lang=fr"))

                let form = try await client.execute(uri: path, method: .get)
                #expect(form.status == .ok)
                #expect(form.text.contains(try UIStrings.html("report_title", .fr)))
                #expect(form.text.contains("FAKE9"))
                let mac = try #require(URLComponents(string: path)?.queryItems?.first { $0.name == "k" }?.value)
                let action = String(path[..<path.firstIndex(of: "?")!])

                var visitor = PortalBrowser(client)
                // A renamed text file is no photo: 422 in French, nothing stored.
                let badPhoto = try await visitor.upload(
                    action, ["k": mac, "lang": "fr", "place": "shop", "seller": "Boutique du port", "message": "Sceau recollé"],
                    file: ("photo", "photo.jpg", "image/jpeg", Array("not a picture".utf8)))
                #expect(badPhoto.status == .unprocessableContent)
                #expect(badPhoto.text.contains(try UIStrings.html("report_error_photo", .fr)))
                #expect(badPhoto.text.contains("Boutique du port"), "what was typed is kept")
                let forged = try await visitor.upload(action, ["k": "AAAAAAAAAAAAAAAAAAAAAA", "place": "shop", "message": "x"], file: nil)
                #expect(forged.status == .notFound)
                #expect(try await client.execute(uri: "/report/999999?k=\(mac)", method: .get).status == .notFound)

                let sent = try await visitor.upload(
                    action, ["k": mac, "lang": "fr", "place": "website", "seller": "bargains.example", "message": "Le scellé est imprimé de travers"],
                    file: ("photo", "seal.png", "image/png", ProductImageTests.png))
                #expect(sent.status == .ok)
                #expect(sent.text.contains(try UIStrings.html("report_thanks_title", .fr)))
                let again = try await visitor.upload(action, ["k": mac, "lang": "de", "place": "shop", "message": "Noch einmal"], file: nil)
                #expect(again.status == .conflict)
                #expect(again.text.contains(try UIStrings.html("report_already_title", .de)))

                // The brand reads the report, and sees its photo, in the inbox.
                _ = try await AlertRecordingTests.alerts(database, count: 1)
                try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                let inbox = try await viewer.get("/portal/alerts?type=consumer_report")
                #expect(inbox.text.contains("Le scellé est imprimé de travers"))
                let photoPath = try #require(inbox.text.firstMatch(of: /src="(\/portal\/reports\/\d+\/photo)"/)?.1)
                let photo = try await viewer.get(String(photoPath))
                #expect(photo.status == .ok && photo.headers[.contentType] == "image/png")
                #expect(Array(photo.body.readableBytesView) == ProductImageTests.png)
                #expect(inbox.text.contains("bargains.example"), "the inbox names the seller")

                // The API's alert carries the report too.
                let key = try await APIClientFixture.key(database, brand: "demo")
                let listed = try await client.api(.get, "/api/v1/alerts?type=consumer_report", key: key)
                let report = try #require(((listed.json["items"] as? [[String: Any]])?.first)?["report"] as? [String: Any])
                #expect(report["message"] as? String == "Le scellé est imprimé de travers")
                #expect(report["purchase_place"] as? String == "website")
                #expect(report["seller"] as? String == "bargains.example")
                #expect(report["has_photo"] as? Bool == true)
            }
            #expect(try await Self.rows(database, """
                SELECT serial || ' ' || purchase_place || ' ' || seller || ' ' || language || ' ' || photo_type || ' ' || octet_length(photo)
                FROM consumer_reports
                """) == ["FAKE9 website bargains.example fr image/png \(ProductImageTests.png.count)"])
            #expect(try await Self.rows(database, """
                SELECT type || ' ' || serial || ' ' || country || ' ' || (detail->>'seller') FROM alerts WHERE type = 'consumer_report'
                """) == ["consumer_report FAKE9 FR bargains.example"])
        }
    }

    @Test("a photo over 5 MB is a 413, an empty report a 422, and the sixth report in a minute from one address a 429")
    func limits() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await withTestApp(database, .live) { client in
                var paths: [String] = []
                for index in 0..<7 {
                    let scan = try await client.execute(
                        uri: "/01/03760123450003/21/FAKE\(index)?t=AAAAAAAAAAAAAAAA", method: .get, headers: [.xForwardedFor: "198.51.100.20"])
                    paths.append(try Self.reportPath(scan.text))
                }
                func fields(_ path: String) -> (String, [String: String]) {
                    let mac = URLComponents(string: path)?.queryItems?.first { $0.name == "k" }?.value ?? ""
                    return (String(path[..<path.firstIndex(of: "?")!]), ["k": mac, "place": "shop"])
                }
                var visitor = PortalBrowser(client)
                let (action, base) = fields(paths[0])
                var huge = ProductImageTests.png
                huge += Array(repeating: 0, count: 5 * 1024 * 1024)
                let tooLarge = try await visitor.upload(action, base, file: ("photo", "big.png", "image/png", huge))
                #expect(tooLarge.status == .contentTooLarge)
                let empty = try await visitor.upload(action, base, file: nil)
                #expect(empty.status == .unprocessableContent)
                #expect(empty.text.contains(try UIStrings.html("report_error_empty", .en)))
                // From one address (the test client): two reports refused above, three pass, the sixth in the minute is limited.
                for index in 1...3 {
                    let (action, base) = fields(paths[index])
                    #expect(try await visitor.upload(action, base.merging(["message": "Fake \(index)"]) { $1 }, file: nil).status == .ok)
                }
                let (limitedAction, limitedBase) = fields(paths[4])
                let limited = try await client.execute(
                    uri: limitedAction, method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "k=\(limitedBase["k"]!)&place=shop&message=again"))
                #expect(limited.status == .tooManyRequests)
            }
            #expect(try await Self.rows(database, "SELECT count(*)::text FROM consumer_reports") == ["3"])
        }
    }
}
