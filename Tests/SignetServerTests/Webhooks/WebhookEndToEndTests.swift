import Foundation
import HTTPTypes
import HummingbirdTesting
import SignetCore
import Testing

/// Webhooks through the running server: created by the API or the portal,
/// fed by scans, delivered by the app's own dispatcher to a real receiver.
@Suite("Webhooks end to end")
struct WebhookEndToEndTests {
    /// The verification recipe of docs/WEBHOOKS.md, in Python's standard library:
    /// an implementation that shares nothing with Signet's.
    static let verifier = """
        import base64, hashlib, hmac, sys
        secret, msg_id, timestamp, header = sys.argv[1:5]
        body = sys.stdin.buffer.read()
        key = base64.b64decode(secret.removeprefix("whsec_"))
        signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        given = [s.split(",", 1)[1] for s in header.split(" ") if s.startswith("v1,")]
        print("valid" if any(hmac.compare_digest(g, expected) for g in given) else "invalid")
        """

    static func verify(secret: String, _ received: WebhookReceiver.Received, body: [UInt8]? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", verifier, secret, received.id ?? "", received.timestamp ?? "", received.signature ?? ""]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(body ?? received.body))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a webhook created by the API gets a counterfeit scan's alert, signed as documented and checked by an independent verifier")
    func counterfeitScanDelivered() async throws {
        try await WebhookReceiver.run { base, receiver in
            try await withTestDatabase { database in
                _ = try await DemoFixture.seed(database)
                let key = try await APIClientFixture.key(database, brand: "demo")
                try await withTestApp(database, .live) { client in
                    let created = try await client.api(.post, "/api/v1/webhooks", key: key, json: """
                        {"url": "\(base)/hooks/signet", "types": ["counterfeit", "serial_probing"], "description": "SOC"}
                        """)
                    #expect(created.status == .created)
                    let secret = try #require(created.json["secret"] as? String)
                    #expect(secret.hasPrefix("whsec_"))
                    let id = try #require(created.json["id"] as? Int)
                    let listed = try await client.api(.get, "/api/v1/webhooks", key: key)
                    #expect(listed.status == .ok)
                    #expect(!listed.text.contains(secret.dropFirst(6)), "the secret is shown once, at creation")

                    let forged = try await client.execute(
                        uri: "/01/03760123450003/21/H00202?t=AAAAAAAAAAAAAAAA", method: .get, headers: [.xForwardedFor: "198.51.100.9"])
                    #expect(forged.text.contains(#"data-verdict="counterfeit""#))
                    // The stream's horizon waits for the suite's slowest write transaction.
                    let requests = try await receiver.waitFor(1)
                    let delivery = try #require(requests.first)
                    #expect(delivery.path == "/hooks/signet")
                    #expect(delivery.contentType == "application/json")
                    #expect(delivery.id?.hasPrefix("msg_") == true)
                    let payload = delivery.json
                    #expect(payload["type"] as? String == "alert.created")
                    #expect(payload["brand"] as? String == "demo")
                    let data = try #require(payload["data"] as? [String: Any])
                    #expect(data["type"] as? String == "counterfeit")
                    #expect(data["country"] as? String == "DE")
                    #expect((data["seal"] as? [String: Any])?["serial"] as? String == "H00202")

                    #expect(try Self.verify(secret: secret, delivery) == "valid")
                    var tampered = delivery.body
                    tampered[tampered.count / 2] ^= 1
                    #expect(try Self.verify(secret: secret, delivery, body: tampered) == "invalid")

                    // Signet's own checker agrees, within its replay window.
                    try WebhookSignature.verify(
                        id: delivery.id, timestamp: delivery.timestamp, signatures: delivery.signature, body: delivery.body,
                        secret: try WebhookSecret(parsing: secret), now: Int64(Date().timeIntervalSince1970))

                    var log: [[String: Any]] = []
                    for _ in 0..<100 {
                        let deliveries = try await client.api(.get, "/api/v1/webhooks/\(id)/deliveries", key: key)
                        log = (deliveries.json["items"] as? [[String: Any]]) ?? []
                        if log.first?["state"] as? String == "delivered" { break }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    #expect(log.count == 1)
                    #expect(log.first?["state"] as? String == "delivered")
                    let attempt = try #require((log.first?["attempt_log"] as? [[String: Any]])?.first)
                    #expect(attempt["status"] as? Int == 200)
                    #expect(attempt["response_head"] as? String == "answer 1")
                }
            }
        }
    }

    @Test("the webhook API checks its input, keeps brands apart and needs the alerts scopes")
    func apiRules() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            _ = try await AccountsFixture.brand(database, slug: "other")
            let key = try await APIClientFixture.key(database, brand: "demo")
            let readOnly = try await APIClientFixture.key(database, brand: "demo", scopes: [.alertsRead], name: "reader")
            let otherKey = try await APIClientFixture.key(database, brand: "other")
            try await withTestApp(database) { client in
                let noTypes = try await client.api(.post, "/api/v1/webhooks", key: key, json: #"{"url": "https://hooks.example.com/in", "types": []}"#)
                #expect(noTypes.status == .unprocessableContent)
                let ftp = try await client.api(.post, "/api/v1/webhooks", key: key, json: #"{"url": "ftp://hooks.example.com/in", "types": ["counterfeit"]}"#)
                #expect(ftp.status == .unprocessableContent)
                #expect(ftp.text.contains("url"))
                let metadata = try await client.api(.post, "/api/v1/webhooks", key: key, json: #"{"url": "http://0.0.0.0/in", "types": ["counterfeit"]}"#)
                #expect(metadata.status == .unprocessableContent)
                let unknownType = try await client.api(.post, "/api/v1/webhooks", key: key, json: #"{"url": "https://hooks.example.com/in", "types": ["everything"]}"#)
                #expect(unknownType.status == .badRequest || unknownType.status == .unprocessableContent)
                #expect(try await client.api(.post, "/api/v1/webhooks", key: readOnly, json: #"{"url": "https://hooks.example.com/in", "types": ["counterfeit"]}"#).status == .forbidden)

                let created = try await client.api(.post, "/api/v1/webhooks", key: key, json: #"{"url": "https://hooks.example.com/in", "types": ["every_scan"]}"#)
                #expect(created.status == .created)
                let id = try #require(created.json["id"] as? Int)
                #expect(try await client.api(.get, "/api/v1/webhooks/\(id)", key: otherKey).status == .notFound)
                #expect(try await client.api(.delete, "/api/v1/webhooks/\(id)", key: otherKey).status == .notFound)
                #expect(try await client.api(.get, "/api/v1/webhooks/\(id)", key: readOnly).status == .ok)

                let off = try await client.api(.patch, "/api/v1/webhooks/\(id)", key: key, json: #"{"enabled": false, "types": ["counterfeit", "geo_jump"]}"#)
                #expect(off.status == .ok)
                #expect(off.json["enabled"] as? Bool == false)
                #expect(off.json["disabled_reason"] as? String == "manual")
                #expect(off.json["types"] as? [String] == ["counterfeit", "geo_jump"])
                let on = try await client.api(.patch, "/api/v1/webhooks/\(id)", key: key, json: #"{"enabled": true}"#)
                #expect(on.json["enabled"] as? Bool == true)
                #expect(on.json["disabled_reason"] == nil)

                let test = try await client.api(.post, "/api/v1/webhooks/\(id)/test", key: key)
                #expect(test.status == .accepted)
                #expect(test.json["event_type"] as? String == "webhook.test")
                let deleted = try await client.api(.delete, "/api/v1/webhooks/\(id)", key: key)
                #expect(deleted.status == .noContent, "\(deleted.text)")
                #expect(try await client.api(.get, "/api/v1/webhooks/\(id)", key: key).status == .notFound)
            }
            let trail = try await database.withClient { client in
                try await client.query("SELECT action FROM audit_events WHERE subject LIKE 'webhook:%' ORDER BY id", logger: .init(label: "t"))
                    .collect().map { try $0.decode(String.self) }
            }
            #expect(trail == ["webhook.create", "webhook.update", "webhook.update", "webhook.delete"])
        }
    }

    @Test("in the portal an editor adds an endpoint (secret shown once), sends a test, reads its attempts and redelivers; a viewer only reads; owners see a failing endpoint on every page")
    func portal() async throws {
        try await WebhookReceiver.run { base, receiver in
            try await withTestDatabase { database in
                _ = try await DemoFixture.seed(database)
                try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
                try await AccountsFixture.user(database, brand: "demo", email: "editor@demo.test", role: .editor)
                try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
                try await withTestApp(database, .live) { client in
                    var editor = PortalBrowser(client)
                    try await editor.signIn("editor@demo.test")
                    let empty = try await editor.post("/portal/webhooks", ["url": "\(base)/portal-hook"])
                    #expect(empty.status == .unprocessableContent)
                    #expect(empty.text.contains(try UIStrings.html("portal_webhook_error_types", .en)))

                    let created = try await editor.post("/portal/webhooks?lang=fr", ["url": "\(base)/portal-hook", "type_counterfeit": "on"])
                    #expect(created.status == .created)
                    #expect(created.text.contains(try UIStrings.html("portal_webhook_secret_once", .fr)))
                    let secret = try #require(created.text.firstMatch(of: /whsec_[A-Za-z0-9+\/=]+/).map { String($0.output) })
                    let id = try #require(try await database.withClient { try await $0.scalar("SELECT id FROM webhook_endpoints", as: Int64.self) })
                    let page = try await editor.get("/portal/webhooks/\(id)")
                    #expect(page.status == .ok)
                    #expect(!page.text.contains(secret), "never shown again")
                    #expect(try await editor.get("/portal/webhooks").text.contains("\(base)/portal-hook"))

                    #expect(try await editor.post("/portal/webhooks/\(id)/test").status == .seeOther)
                    let first = try #require(try await receiver.waitFor(1).first)
                    #expect(first.json["type"] as? String == "webhook.test")
                    #expect(try Self.verify(secret: secret, first) == "valid")
                    var detail = try await editor.get("/portal/webhooks/\(id)")
                    for _ in 0..<100 where !detail.text.contains(#"data-delivery-state="delivered""#) {
                        try await Task.sleep(for: .milliseconds(50))
                        detail = try await editor.get("/portal/webhooks/\(id)")
                    }
                    #expect(detail.text.contains(#"data-delivery-state="delivered""#))
                    #expect(detail.text.contains("answer 1"))
                    let deliveryID = try #require(try await database.withClient {
                        try await $0.scalar("SELECT id FROM webhook_deliveries", as: Int64.self)
                    })
                    #expect(try await editor.post("/portal/webhooks/\(id)/deliveries/\(deliveryID)/redeliver").status == .seeOther)
                    let both = try await receiver.waitFor(2)
                    #expect(both.count == 2)
                    #expect(both[0].id == both[1].id && both[0].body == both[1].body)

                    var viewer = PortalBrowser(client)
                    try await viewer.signIn("viewer@demo.test")
                    let read = try await viewer.get("/portal/webhooks/\(id)?lang=de")
                    #expect(read.status == .ok)
                    #expect(read.text.contains(try UIStrings.html("portal_webhook_deliveries", .de)))
                    #expect(!read.text.contains("/redeliver"))
                    #expect(try await viewer.post("/portal/webhooks", ["url": "\(base)/x", "type_counterfeit": "on"]).status == .forbidden)
                    #expect(try await viewer.post("/portal/webhooks/\(id)/delete").status == .forbidden)

                    try await database.withClient { try await $0.run("""
                        UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'failing', disabled_at = now()
                        """) }
                    var owner = PortalBrowser(client)
                    try await owner.signIn("owner@demo.test")
                    let warned = try await owner.get("/portal/products")
                    #expect(warned.text.contains("data-failing-webhooks"))
                    #expect(!(try await editor.get("/portal/products")).text.contains("data-failing-webhooks"), "owners are the ones told")
                    #expect(try await editor.post("/portal/webhooks/\(id)", ["enabled": "true"]).status == .seeOther)
                    #expect(!(try await owner.get("/portal/products")).text.contains("data-failing-webhooks"))

                    #expect(try await editor.post("/portal/webhooks/\(id)/delete").status == .seeOther)
                    #expect(try await editor.get("/portal/webhooks/\(id)").status == .notFound)
                }
            }
        }
    }
}
