import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SignetCore
import Testing

@Suite("Product photos")
struct ProductImageTests {
    static let png = Array(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!)

    static func imageURL(_ html: String) -> String? {
        html.range(of: "src=\"/media/products/").map { "/media/products/" + String(html[$0.upperBound...].prefix { $0 != "\"" }) }
    }

    @Test("an uploaded PNG is served under its digest with a year of caching and shows on the scan page; SVG and oversized files are refused")
    func portal() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
            try await withTestApp(database) { client in
                var browser = PortalBrowser(client)
                try await browser.signIn("editor@demo.test")
                let editorPath = "/portal/products/\(DemoFixture.honey.digits)"
                try await browser.get(editorPath)
                let svg = try await browser.upload(editorPath + "/image", file: ("image", "logo.png", "image/png",
                    Array(#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8)))
                #expect(svg.status == .unsupportedMediaType)
                #expect(svg.text.contains(try UIStrings.html("portal_image_format", .en)))
                let huge = try await browser.upload(editorPath + "/image", file: ("image", "big.png", "image/png",
                    Self.png + [UInt8](repeating: 0, count: ImageFormat.maximumBytes)))
                #expect(huge.status == .contentTooLarge)
                let before = try await database.withClient {
                    try await $0.scalar("SELECT image_url FROM products WHERE gtin = \(DemoFixture.honey.digits)", as: String.self)
                }
                #expect(before == "/img/products/honey.svg", "refused uploads change nothing")

                let uploaded = try await browser.upload(editorPath + "/image", file: ("image", "honey.png", "image/png", Self.png))
                #expect(uploaded.status == .seeOther)
                let editor = try await browser.get(editorPath)
                let url = try #require(Self.imageURL(editor.text))
                #expect(url.hasSuffix(".png") && url.count == "/media/products/".count + 64 + 4)
                let served = try await client.execute(uri: url, method: .get)
                #expect(served.status == .ok)
                #expect(served.headers[.contentType] == "image/png")
                #expect(served.headers[.cacheControl] == "public, max-age=31536000, immutable")
                #expect(Array(served.body.readableBytesView) == Self.png)
                let etag = try #require(served.headers[.eTag])
                #expect(try await client.execute(uri: url, method: .get, headers: [.ifNoneMatch: etag]).status == .notModified)
                #expect(try await client.execute(uri: url.replacingOccurrences(of: ".png", with: ".jpg"), method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/media/products/not-a-digest.png", method: .get).status == .notFound)
                let page = try await client.execute(uri: "/01/\(DemoFixture.honey.digits)", method: .get)
                #expect(page.text.contains("src=\"\(url)\""))

                #expect(try await browser.post(editorPath + "/image/remove").status == .seeOther)
                #expect(Self.imageURL(try await browser.get(editorPath).text) == nil)
                #expect(!(try await client.execute(uri: "/01/\(DemoFixture.honey.digits)", method: .get)).text.contains("product__image"))
            }
        }
    }

    @Test("the API takes the image as the body, checks its bytes against its type, and removes it")
    func api() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            let key = try await APIClientFixture.key(database, brand: "demo")
            let readOnly = try await APIClientFixture.key(database, brand: "demo", scopes: [.productsRead], name: "reader")
            try await withTestApp(database) { client in
                let path = "/api/v1/products/\(DemoFixture.cream.digits)/image"
                func put(_ bytes: [UInt8], type: String, key: String) async throws -> TestResponse {
                    try await client.execute(uri: path, method: .put,
                                             headers: [.authorization: "Bearer \(key)", .contentType: type], body: ByteBuffer(bytes: bytes))
                }
                #expect(try await put(Self.png, type: "image/png", key: readOnly).status == .forbidden)
                let mismatch = try await put(Self.png, type: "image/jpeg", key: key)
                #expect(mismatch.status == .unsupportedMediaType)
                #expect(mismatch.headers[.contentType] == "application/problem+json")
                #expect(try await put(Self.png, type: "image/svg+xml", key: key).status == .unsupportedMediaType)
                #expect(try await put(Self.png + [UInt8](repeating: 0, count: 3 << 20), type: "image/png", key: key).status == .contentTooLarge)
                let saved = try await put(Self.png, type: "image/png", key: key)
                #expect(saved.status == .ok)
                let url = try #require(saved.json["image_url"] as? String)
                let product = try await client.api(.get, "/api/v1/products/\(DemoFixture.cream.digits)", key: key)
                #expect(product.json["image_url"] as? String == url)
                #expect(try await client.api(.delete, path, key: key).status == .noContent)
                #expect(try await client.api(.get, "/api/v1/products/\(DemoFixture.cream.digits)", key: key).json["image_url"] == nil)
                #expect(try await client.api(.delete, "/api/v1/products/4006381333931/image", key: key).status == .notFound)
            }
        }
    }
}
