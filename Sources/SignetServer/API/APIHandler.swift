import Foundation
import HTTPTypes
import OpenAPIRuntime
import SignetAPI
import SignetCore

/// The management API (`openapi.yaml`), one brand per key. Handlers throw
/// `APIProblem`; `APIProblemMiddleware` writes it.
struct APIHandler: APIProtocol {
    let catalogue: CatalogueStore
    let productTypes: ProductTypeStore
    let batches: SealBatchStore
    let jobs: JobStore
    let consultations: ConsultationStore
    let alerts: AlertStore
    let alertRules: AlertRuleStore
    let webhooks: WebhookEndpointStore
    let webhookDeliveries: WebhookDeliveryStore
    let redemptions: RedemptionStore
    let programme: LoyaltyProgrammeStore
    let rewards: RewardStore
    let loyalty: LoyaltyStore
    let partners: PartnerStore
    let productLinks: ProductLinkStore
    /// SIGNET_WEBHOOK_ALLOW_PRIVATE: webhook URLs may name private and loopback hosts.
    let webhookAllowPrivate: Bool

    static let defaultPageSize = 100
    static let maximumPageSize = 500

    static func pageSize(_ limit: Int?) throws -> Int {
        guard let limit else { return defaultPageSize }
        guard (1...maximumPageSize).contains(limit) else {
            throw APIProblem.validation([.init(field: "limit", message: "must be 1 to \(maximumPageSize)")])
        }
        return limit
    }

    static func gtin(_ text: String) throws -> GTIN {
        guard let gtin = GTIN(text) else { throw APIProblem.notFound("No product with GTIN \(text).") }
        return gtin
    }

    /// `"v{version}"`, quoted as HTTP wants it.
    static func etag(_ product: ProductRecord) -> String {
        "\"v\(product.version)\""
    }
}
