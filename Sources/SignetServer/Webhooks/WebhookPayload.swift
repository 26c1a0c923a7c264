import Foundation
import SignetAPI

/// The JSON body of a delivery, in the Standard Webhooks shape:
/// `{"type": ..., "timestamp": ..., "data": {...}}`. `alert.created` carries
/// the alert exactly as `GET /api/v1/alerts` shows it, so one schema (the
/// OpenAPI document's `Alert`) describes both. docs/WEBHOOKS.md documents it.
enum WebhookPayload {
    static func alertCreated(_ alert: AlertStore.Alert, brand: String) throws -> [UInt8] {
        try encode(Envelope(type: "alert.created", timestamp: alert.createdAt, brand: brand, data: APIHandler.render(alert)))
    }

    static func test(endpointID: Int64, brand: String, messageID: String, at date: Date = Date()) throws -> [UInt8] {
        try encode(Envelope(
            type: "webhook.test", timestamp: date, brand: brand,
            data: TestData(endpointId: endpointID, message: "Test delivery \(messageID) from Signet: the endpoint is reachable and verifies signatures.")))
    }

    private struct Envelope<Data: Encodable>: Encodable {
        var type: String
        var timestamp: Date
        /// The brand's slug, for receivers that serve several brands.
        var brand: String
        var data: Data
    }

    private struct TestData: Encodable {
        var endpointId: Int64
        var message: String

        enum CodingKeys: String, CodingKey {
            case endpointId = "endpoint_id"
            case message
        }
    }

    private static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}
