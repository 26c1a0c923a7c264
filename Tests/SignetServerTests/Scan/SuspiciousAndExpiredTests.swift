import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

/// The two verdicts the scan statement decides from the seal's sessions and
/// its lot's expiry date.
@Suite("Suspicious and expired seals")
struct SuspiciousAndExpiredTests {
    /// English, French, German and Spanish date of 2026-06-20, as the pages write it.
    static let expiryDate: [Language: String] = [.en: "20 June 2026", .fr: "20 juin 2026", .de: "20. Juni 2026", .es: "20 de junio de 2026"]

    @Test("a seal of an expired lot is `expired`, with the expiry date, in each language", arguments: Language.allCases)
    func expired(_ language: Language) async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let response = try await client.execute(
                    uri: demo.path(DemoFixture.honey, lot: "HL2306", serial: "E00001") + "&lang=\(language.rawValue)", method: .get)
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains(#"data-verdict="expired""#))
                #expect(try html.contains(UIStrings.html("verdict_expired_title", language)))
                #expect(html.contains(try #require(Self.expiryDate[language])))
                // The product is still shown: the seal is the brand's.
                #expect(html.contains(UIStrings.escape(try DemoFixture.productName(DemoFixture.honey, language))))
            }
            #expect(try await demo.consultations().map(\.verdict) == ["expired"])
        }
    }

    @Test("a link naming no lot still finds its seal's lot expired; a lot's expiry moved into the past reaches the next scan")
    func expiredWithoutLotInLink() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let old = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "E00001") + "&lang=fr", method: .get)
                #expect(old.text.contains(#"data-verdict="expired""#))
                #expect(old.text.contains(try #require(Self.expiryDate[.fr])))

                let fresh = demo.path(DemoFixture.honey, serial: "H00002")
                #expect(try await client.execute(uri: fresh, method: .get).text.contains(#"data-verdict="genuine_first""#))
                // Direct SQL, as an operator would: the catalogue hears of it through its trigger.
                try await database.withClient { client in
                    try await client.run(
                        "UPDATE lots SET expires_on = (now() AT TIME ZONE 'UTC')::date - 1 WHERE code = 'HL2406' AND product_id = (SELECT id FROM products WHERE gtin = '03760123450003')")
                }
                var expired = false
                for _ in 0..<20 where !expired {
                    expired = try await client.execute(uri: fresh, method: .get).text.contains(#"data-verdict="expired""#)
                    if !expired { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(expired, "the scan within two seconds of the change")
            }
            #expect(try await demo.consultations().map(\.verdict).first == "expired")
            #expect(try await demo.consultations().map(\.verdict).last == "expired")
        }
    }

    @Test("the scan of a seal in its sixth session is `suspicious` and names where it was verified; reloads add no session")
    func suspicious() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            let path = demo.path(DemoFixture.honey, serial: "H00060")
            try await withTestApp(database, .live) { client in
                // Five visitors (address or browser differ), the first of them reloading: five sessions.
                let visitors: [(String, String)] = [
                    ("192.0.2.1", "a"), ("192.0.2.1", "a"), ("198.51.100.2", "b"), ("203.0.113.3", "c"),
                    ("192.0.2.4", "d"), ("192.0.2.4", "e"),
                ]
                for (address, agent) in visitors {
                    let page = try await client.execute(
                        uri: path, method: .get, headers: [.xForwardedFor: address, .userAgent: agent, .acceptLanguage: "en"])
                    #expect(!page.text.contains(#"data-verdict="suspicious""#))
                }
                let sixth = try await client.execute(
                    uri: path, method: .get, headers: [.xForwardedFor: "203.0.113.9", .userAgent: "f", .acceptLanguage: "en"])
                let html = sixth.text
                #expect(html.contains(#"data-verdict="suspicious""#))
                #expect(try html.contains(UIStrings.html("verdict_suspicious_title", .en)))
                #expect(html.contains("verified 6 times"))
                #expect(html.contains("France, Germany, Spain"))
                for language in Language.allCases {
                    let again = try await client.execute(
                        uri: path + "&lang=\(language.rawValue)", method: .get, headers: [.xForwardedFor: "203.0.113.9", .userAgent: "f"])
                    #expect(try again.text.contains(UIStrings.html("verdict_suspicious_title", language)))
                }
            }
            let verdicts = try await demo.consultations().map(\.verdict)
            #expect(verdicts == ["genuine_first", "genuine_first", "genuine_seen", "genuine_seen", "genuine_seen", "genuine_seen",
                                 "suspicious", "suspicious", "suspicious", "suspicious", "suspicious"])
        }
    }

    @Test("a brand allowing more sessions keeps the same seal genuine")
    func brandLimit() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await database.withClient { client in
                try await client.run("UPDATE brands SET session_limit = 10 WHERE slug = 'demo'")
            }
            try await withTestApp(database) { client in
                for index in 1...7 {
                    let page = try await client.execute(
                        uri: demo.path(DemoFixture.honey, serial: "H00061"), method: .get,
                        headers: [.xForwardedFor: "192.0.2.\(index)"])
                    #expect(!page.text.contains(#"data-verdict="suspicious""#))
                }
            }
        }
    }
}

@Suite("Scan session settings in the portal")
struct SessionSettingsTests {
    @Test("an owner lowers the session limit: the seal's third session is suspicious at once; out-of-range values are a 422")
    func ownerSetsTheLimit() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            try await withTestApp(database) { client in
                var owner = PortalBrowser(client)
                try await owner.signIn("owner@demo.test")
                let form = ["name": "Maison Aurore", "support_email": "", "default_language": "en"]
                for (limit, minutes) in [("0", "30"), ("5", "2000"), ("many", "30")] {
                    let refused = try await owner.post("/portal/brand", form.merging(["session_limit": limit, "session_minutes": minutes]) { $1 })
                    #expect(refused.status == .unprocessableContent)
                }
                let refusedText = try await owner.post("/portal/brand", form.merging(["session_limit": "0", "session_minutes": "30"]) { $1 }).text
                #expect(refusedText.contains(try UIStrings.html("portal_error_session_limit", .en)))
                #expect(try await owner.post("/portal/brand", form.merging(["session_limit": "2", "session_minutes": "10"]) { $1 }).status == .seeOther)
                let page = try await owner.get("/portal/brand")
                #expect(page.text.contains(#"name="session_limit" type="number" min="1" max="1000" required value="2""#))

                let verdicts = try await (1...3).asyncMap { index in
                    try await client.execute(
                        uri: demo.path(DemoFixture.honey, serial: "H00062"), method: .get, headers: [.userAgent: "browser \(index)"])
                }.map { $0.text.contains(#"data-verdict="suspicious""#) }
                #expect(verdicts == [false, false, true])
            }
        }
    }
}

extension ClosedRange where Bound == Int {
    fileprivate func asyncMap<T>(_ transform: (Int) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for value in self { results.append(try await transform(value)) }
        return results
    }
}
