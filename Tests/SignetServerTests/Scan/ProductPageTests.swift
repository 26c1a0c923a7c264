import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

@Suite("Product page without a seal")
struct ProductPageTests {
    @Test("/01/{gtin} shows the product, verifies nothing and records nothing")
    func productOnly() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let response = try await client.execute(uri: "/01/3760123450003", method: .get, headers: [.acceptLanguage: "es"])
                #expect(response.status == .ok)
                #expect(response.headers[.contentLanguage] == "es")
                #expect(try response.text.contains(UIStrings.escape(DemoFixture.productName(DemoFixture.honey, .es))))
                #expect(response.text.contains("data-verdict=\"unverified\""))
            }
            #expect(try await demo.consultations().isEmpty)
        }
    }

    @Test("/01/{gtin}/10/{lot} of a recalled lot shows the recall")
    func recalledLot() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                let response = try await client.execute(uri: "/01/03760123450027/10/OL2402", method: .get, headers: [.acceptLanguage: "en"])
                #expect(response.status == .ok)
                #expect(response.text.contains("data-verdict=\"recalled\""))
                let released = try await client.execute(uri: "/01/03760123450027/10/OL2410", method: .get)
                #expect(released.text.contains("data-verdict=\"unverified\""))
                // A lot no one registered walks up to the product (GS1 resolvers never answer it 404).
                let unknown = try await client.execute(uri: "/01/03760123450027/10/NOPE", method: .get)
                #expect(unknown.status == .temporaryRedirect)
                #expect(unknown.headers[.location] == "http://scan.test/01/03760123450027")
            }
        }
    }
}
