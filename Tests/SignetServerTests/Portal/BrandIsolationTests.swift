import HTTPTypes
import HummingbirdTesting
import Logging
import SignetCore
@testable import SignetServer
import Testing

/// Brand B's manager aims every portal route at brand A's rows (the demo
/// brand): each must answer 403/404 (or 409 for a taken GTIN), show nothing of
/// A, and change nothing. The table must name every portal route the router
/// has, so a route added without a case here fails the first test.
@Suite("Brand isolation in the portal")
struct BrandIsolationTests {
    struct Probe: Sendable {
        var method: HTTPRequest.Method
        var uri: String
        var fields: [String: String] = [:]
        var allowed: Set<HTTPResponse.Status> = [.notFound, .forbidden]
        /// API probes send this JSON with brand B's key instead of a portal form.
        var json: String?
        /// Portal probes with a file send the fields and it as multipart/form-data.
        var file: (field: String, text: String)?
        /// Sent as `Last-Event-ID` (the live feed).
        var lastEventID: String?
    }

    enum Target: Sendable {
        /// The route names no brand-owned row (sign-in, own session, own brand's list).
        case notBrandOwned(String)
        /// Portal requests with brand B's session.
        case probes([Probe])
        /// API calls with brand B's key (every scope).
        case api([Probe])
    }

    /// `{lot}`, `{batch}`, `{seal}`, `{user}`, `{key}`, `{alert}`, `{rule}`, `{webhook}`, `{delivery}`, `{reward}`, `{redemption}`,
    /// `{voucher}`, `{wallet}` and `{link}` stand for brand A's ids, `{ownGTIN}` for brand B's own product.
    static let table: [String: Target] = [
        "GET /portal": .notBrandOwned("redirects to the product list"),
        "GET /portal/sign-in": .notBrandOwned("the sign-in form"),
        "POST /portal/sign-in": .notBrandOwned("the e-mail names the user"),
        "GET /portal/welcome/{token}": .notBrandOwned("the token names the user"),
        "POST /portal/welcome/{token}": .notBrandOwned("the token names the user"),
        "POST /portal/sign-out": .notBrandOwned("ends the caller's own session"),
        "POST /portal/sign-out-everywhere": .notBrandOwned("ends the caller's own sessions"),
        "POST /portal/account/alert-mail": .notBrandOwned("the caller's own alert e-mail settings"),
        "GET /portal/products/new": .notBrandOwned("an empty form"),
        "GET /portal/products": .probes([Probe(method: .get, uri: "/portal/products", allowed: [.ok])]),
        "POST /portal/products": .probes([
            Probe(method: .post, uri: "/portal/products", fields: ["gtin": "03760123450003", "name": "Mine now"], allowed: [.conflict]),
        ]),
        "GET /portal/products/{gtin}": .probes([Probe(method: .get, uri: "/portal/products/03760123450003")]),
        "POST /portal/products/{gtin}": .probes([
            Probe(method: .post, uri: "/portal/products/03760123450003", fields: ["default_language": "en", "en_name": "Mine now", "version": "0"]),
        ]),
        "POST /portal/products/{gtin}/image": .probes([
            Probe(method: .post, uri: "/portal/products/03760123450003/image", file: ("image", "not an image")),
        ]),
        "POST /portal/products/{gtin}/image/remove": .probes([Probe(method: .post, uri: "/portal/products/03760123450003/image/remove")]),
        "GET /portal/products/{gtin}/links": .probes([Probe(method: .get, uri: "/portal/products/03760123450003/links")]),
        "POST /portal/products/{gtin}/links": .probes([
            Probe(method: .post, uri: "/portal/products/03760123450003/links",
                  fields: ["type": "pip", "href": "https://b.example", "title": "B", "default": "on"]),
        ]),
        "GET /portal/products/{gtin}/links/{id}": .probes([
            Probe(method: .get, uri: "/portal/products/03760123450003/links/{link}"),
            Probe(method: .get, uri: "/portal/products/{ownGTIN}/links/{link}"),
        ]),
        "POST /portal/products/{gtin}/links/{id}": .probes([
            Probe(method: .post, uri: "/portal/products/03760123450003/links/{link}", fields: ["type": "pip", "href": "https://b.example", "title": "B"]),
            Probe(method: .post, uri: "/portal/products/{ownGTIN}/links/{link}", fields: ["type": "pip", "href": "https://b.example", "title": "B"]),
        ]),
        "POST /portal/products/{gtin}/links/{id}/delete": .probes([
            Probe(method: .post, uri: "/portal/products/03760123450003/links/{link}/delete"),
            Probe(method: .post, uri: "/portal/products/{ownGTIN}/links/{link}/delete"),
        ]),
        "POST /portal/products/{gtin}/lots": .probes([
            Probe(method: .post, uri: "/portal/products/03760123450003/lots", fields: ["code": "STOLEN"]),
        ]),
        "POST /portal/products/{gtin}/lots/{lot}/recall": .probes([
            Probe(method: .post, uri: "/portal/products/03760123450003/lots/{lot}/recall", fields: ["notice_en": "Recalled by B"]),
            Probe(method: .post, uri: "/portal/products/{ownGTIN}/lots/{lot}/recall", fields: ["notice_en": "Recalled by B"]),
        ]),
        "GET /portal/product-types": .probes([Probe(method: .get, uri: "/portal/product-types", allowed: [.ok])]),
        "POST /portal/product-types": .notBrandOwned("creates a type of the caller's brand"),
        "POST /portal/product-types/{code}": .probes([
            Probe(method: .post, uri: "/portal/product-types/cosmetics", fields: ["name_en": "Renamed by B"]),
        ]),
        "GET /portal/seals": .probes([Probe(method: .get, uri: "/portal/seals?serial=H00001", allowed: [.ok])]),
        "POST /portal/seals/batches": .probes([
            Probe(method: .post, uri: "/portal/seals/batches",
                  fields: ["gtin": "03760123450003", "quantity": "5", "serial_length": "10", "initial_status": "active"],
                  allowed: [.unprocessableContent]),
        ]),
        "GET /portal/seals/batches/{batch}": .probes([Probe(method: .get, uri: "/portal/seals/batches/{batch}")]),
        "GET /portal/seals/batches/{batch}/seals.csv": .probes([Probe(method: .get, uri: "/portal/seals/batches/{batch}/seals.csv")]),
        "POST /portal/seals/batches/{batch}/activate": .probes([Probe(method: .post, uri: "/portal/seals/batches/{batch}/activate")]),
        "POST /portal/seals/batches/{batch}/deactivate": .probes([Probe(method: .post, uri: "/portal/seals/batches/{batch}/deactivate")]),
        "POST /portal/seals/batches/{batch}/nfc-tags": .probes([
            Probe(method: .post, uri: "/portal/seals/batches/{batch}/nfc-tags", file: ("tags_file", "serial,uid\nH00001,04958CAA5C5E80\n")),
        ]),
        "GET /portal/seals/batches/{batch}/labels.svg": .probes([Probe(method: .get, uri: "/portal/seals/batches/{batch}/labels.svg")]),
        "POST /portal/seals/imports": .probes([
            Probe(method: .post, uri: "/portal/seals/imports", fields: ["gtin": "03760123450003", "initial_status": "active"],
                  allowed: [.unprocessableContent], file: ("file", "serial\nSTOLEN-1\n")),
        ]),
        "GET /portal/seals/{seal}": .probes([Probe(method: .get, uri: "/portal/seals/{seal}")]),
        "GET /portal/consultations": .probes([Probe(method: .get, uri: "/portal/consultations?gtin=03760123450003", allowed: [.ok])]),
        "GET /portal/consultations.csv": .probes([Probe(method: .get, uri: "/portal/consultations.csv", allowed: [.ok])]),
        "GET /portal/audit": .probes([Probe(method: .get, uri: "/portal/audit", allowed: [.ok])]),
        "GET /portal/alerts": .probes([Probe(method: .get, uri: "/portal/alerts?status=all", allowed: [.ok])]),
        "GET /portal/alerts/rules": .probes([Probe(method: .get, uri: "/portal/alerts/rules", allowed: [.ok])]),
        "POST /portal/alerts/rules": .probes([
            // Creates brand B's own rule.
            Probe(method: .post, uri: "/portal/alerts/rules", fields: ["kind": "geo_jump"], allowed: [.seeOther]),
            Probe(method: .post, uri: "/portal/alerts/rules", fields: ["kind": "geo_jump", "gtins": "03760123450003"],
                  allowed: [.unprocessableContent]),
        ]),
        "GET /portal/alerts/rules/{rule}": .probes([Probe(method: .get, uri: "/portal/alerts/rules/{rule}")]),
        "POST /portal/alerts/rules/{rule}": .probes([
            Probe(method: .post, uri: "/portal/alerts/rules/{rule}", fields: ["kind": "geo_jump"]),
        ]),
        "POST /portal/alerts/rules/{rule}/enabled": .probes([
            Probe(method: .post, uri: "/portal/alerts/rules/{rule}/enabled", fields: ["enabled": "false"]),
        ]),
        "POST /portal/alerts/rules/{rule}/delete": .probes([Probe(method: .post, uri: "/portal/alerts/rules/{rule}/delete")]),
        "GET /portal/webhooks": .probes([Probe(method: .get, uri: "/portal/webhooks", allowed: [.ok])]),
        "GET /portal/loyalty": .probes([Probe(method: .get, uri: "/portal/loyalty", allowed: [.ok])]),
        "GET /portal/loyalty/redemptions.csv": .probes([Probe(method: .get, uri: "/portal/loyalty/redemptions.csv", allowed: [.ok])]),
        "POST /portal/loyalty/settings": .probes([
            Probe(method: .post, uri: "/portal/loyalty/settings",
                  fields: ["enabled": "on", "points": "5", "daily_claims": "2", "claim_gap_seconds": "0", "expiry_days": ""], allowed: [.seeOther]),
        ]),
        "POST /portal/loyalty/rewards": .probes([
            Probe(method: .post, uri: "/portal/loyalty/rewards", fields: ["point_cost": "10", "name_en": "B's mug", "default_language": "en"],
                  allowed: [.seeOther]),
        ]),
        "GET /portal/loyalty/rewards/{id}": .probes([Probe(method: .get, uri: "/portal/loyalty/rewards/{reward}")]),
        "POST /portal/loyalty/rewards/{id}": .probes([
            Probe(method: .post, uri: "/portal/loyalty/rewards/{reward}", fields: ["point_cost": "1", "name_en": "Stolen", "default_language": "en"]),
        ]),
        "POST /portal/loyalty/rewards/{id}/archive": .probes([Probe(method: .post, uri: "/portal/loyalty/rewards/{reward}/archive")]),
        "POST /portal/loyalty/rewards/{id}/image": .probes([
            Probe(method: .post, uri: "/portal/loyalty/rewards/{reward}/image", file: ("image", "not an image")),
        ]),
        "POST /portal/loyalty/rewards/{id}/image/remove": .probes([Probe(method: .post, uri: "/portal/loyalty/rewards/{reward}/image/remove")]),
        "POST /portal/loyalty/adjustments": .probes([
            Probe(method: .post, uri: "/portal/loyalty/adjustments", fields: ["wallet": "{wallet}", "points": "-100", "reason": "taken"]),
        ]),
        "POST /portal/loyalty/redemptions/{id}/cancel": .probes([Probe(method: .post, uri: "/portal/loyalty/redemptions/{redemption}/cancel")]),
        "GET /portal/vouchers": .probes([Probe(method: .get, uri: "/portal/vouchers?code={voucher}")]),
        "POST /portal/vouchers/use": .probes([Probe(method: .post, uri: "/portal/vouchers/use", fields: ["code": "{voucher}"])]),
        "POST /portal/webhooks": .probes([
            Probe(method: .post, uri: "/portal/webhooks", fields: ["url": "https://hooks.other.test/in", "type_counterfeit": "on"],
                  allowed: [.created]),
        ]),
        "GET /portal/webhooks/{endpoint}": .probes([Probe(method: .get, uri: "/portal/webhooks/{webhook}")]),
        "POST /portal/webhooks/{endpoint}": .probes([
            Probe(method: .post, uri: "/portal/webhooks/{webhook}", fields: ["enabled": "true"]),
            Probe(method: .post, uri: "/portal/webhooks/{webhook}", fields: ["url": "https://hooks.other.test/stolen", "type_counterfeit": "on"]),
        ]),
        "POST /portal/webhooks/{endpoint}/test": .probes([Probe(method: .post, uri: "/portal/webhooks/{webhook}/test")]),
        "POST /portal/webhooks/{endpoint}/delete": .probes([Probe(method: .post, uri: "/portal/webhooks/{webhook}/delete")]),
        "POST /portal/webhooks/{endpoint}/deliveries/{delivery}/redeliver": .probes([
            Probe(method: .post, uri: "/portal/webhooks/{webhook}/deliveries/{delivery}/redeliver"),
        ]),
        "GET /portal/reports/{report}/photo": .probes([Probe(method: .get, uri: "/portal/reports/{report}/photo")]),
        // From the first alert on: brand B's feed must carry none of brand A's.
        "GET /portal/alerts/feed": .probes([Probe(method: .get, uri: "/portal/alerts/feed", allowed: [.ok], lastEventID: "0")]),
        "POST /portal/alerts/{alert}/status": .probes([
            Probe(method: .post, uri: "/portal/alerts/{alert}/status", fields: ["status": "resolved", "note": "B was here"]),
        ]),
        "GET /portal/users": .probes([Probe(method: .get, uri: "/portal/users", allowed: [.ok])]),
        "POST /portal/users": .probes([
            Probe(method: .post, uri: "/portal/users", fields: ["email": "alice@demo.test", "role": "owner"], allowed: [.conflict]),
        ]),
        "POST /portal/users/{user}/role": .probes([Probe(method: .post, uri: "/portal/users/{user}/role", fields: ["role": "viewer"])]),
        "POST /portal/users/{user}/access": .probes([Probe(method: .post, uri: "/portal/users/{user}/access", fields: ["type_food": "on"])]),
        "POST /portal/users/{user}/disable": .probes([Probe(method: .post, uri: "/portal/users/{user}/disable")]),
        "POST /portal/users/{user}/enable": .probes([Probe(method: .post, uri: "/portal/users/{user}/enable")]),
        "POST /portal/users/{user}/reset": .probes([Probe(method: .post, uri: "/portal/users/{user}/reset")]),
        "GET /portal/keys": .probes([Probe(method: .get, uri: "/portal/keys", allowed: [.ok])]),
        "POST /portal/keys": .notBrandOwned("creates a key of the caller's brand"),
        "POST /portal/keys/{key}/revoke": .probes([Probe(method: .post, uri: "/portal/keys/{key}/revoke")]),
        "GET /portal/sign-in/two-factor": .notBrandOwned("the half-signed-in session names the user"),
        "POST /portal/sign-in/two-factor": .notBrandOwned("the half-signed-in session names the user"),
        "GET /portal/account": .notBrandOwned("the caller's own account"),
        "POST /portal/account/two-factor": .notBrandOwned("the caller's own account"),
        "POST /portal/account/two-factor/confirm": .notBrandOwned("the caller's own account"),
        "POST /portal/account/two-factor/disable": .notBrandOwned("the caller's own account"),
        "POST /portal/account/language": .notBrandOwned("the caller's own account"),
        "GET /portal/brand": .notBrandOwned("the caller's own brand"),
        "POST /portal/brand": .notBrandOwned("the caller's own brand"),
        "GET /api/v1/openapi.yaml": .notBrandOwned("the public API description"),
        "GET /api/v1/products": .api([Probe(method: .get, uri: "/api/v1/products", allowed: [.ok])]),
        "POST /api/v1/products": .api([
            Probe(method: .post, uri: "/api/v1/products", allowed: [.conflict],
                  json: #"{"gtin": "03760123450003", "default_language": "en", "translations": {"en": {"name": "Mine now"}}}"#),
        ]),
        "GET /api/v1/products/{gtin}": .api([Probe(method: .get, uri: "/api/v1/products/03760123450003")]),
        "PUT /api/v1/products/{gtin}": .api([
            Probe(method: .put, uri: "/api/v1/products/03760123450003",
                  json: #"{"default_language": "en", "translations": {"en": {"name": "Mine now"}}}"#),
        ]),
        "GET /api/v1/product-types": .api([Probe(method: .get, uri: "/api/v1/product-types", allowed: [.ok])]),
        "POST /api/v1/product-types": .notBrandOwned("creates a type of the caller's brand"),
        "PUT /api/v1/product-types/{code}": .api([
            Probe(method: .put, uri: "/api/v1/product-types/cosmetics", json: #"{"names": {"en": "Renamed by B"}}"#),
        ]),
        "PUT /api/v1/products/{gtin}/image": .api([Probe(method: .put, uri: "/api/v1/products/03760123450003/image", json: "{}")]),
        "DELETE /api/v1/products/{gtin}/image": .api([Probe(method: .delete, uri: "/api/v1/products/03760123450003/image")]),
        "GET /api/v1/products/{gtin}/lots": .api([Probe(method: .get, uri: "/api/v1/products/03760123450003/lots")]),
        "GET /api/v1/products/{gtin}/links": .api([Probe(method: .get, uri: "/api/v1/products/03760123450003/links")]),
        "POST /api/v1/products/{gtin}/links": .api([
            Probe(method: .post, uri: "/api/v1/products/03760123450003/links", json: #"{"type": "gs1:pip", "href": "https://b.example", "title": "B"}"#),
        ]),
        "PUT /api/v1/products/{gtin}/links/{id}": .api([
            Probe(method: .put, uri: "/api/v1/products/03760123450003/links/{link}", json: #"{"type": "gs1:pip", "href": "https://b.example", "title": "B"}"#),
            Probe(method: .put, uri: "/api/v1/products/{ownGTIN}/links/{link}", json: #"{"type": "gs1:pip", "href": "https://b.example", "title": "B"}"#),
        ]),
        "DELETE /api/v1/products/{gtin}/links/{id}": .api([
            Probe(method: .delete, uri: "/api/v1/products/03760123450003/links/{link}"),
            Probe(method: .delete, uri: "/api/v1/products/{ownGTIN}/links/{link}"),
        ]),
        "POST /api/v1/products/{gtin}/lots": .api([
            Probe(method: .post, uri: "/api/v1/products/03760123450003/lots", json: #"{"code": "STOLEN"}"#),
        ]),
        "PUT /api/v1/products/{gtin}/lots/{code}/recall": .api([
            Probe(method: .put, uri: "/api/v1/products/03760123450003/lots/HL2406/recall", json: #"{"notice": {"en": "B"}}"#),
            Probe(method: .put, uri: "/api/v1/products/{ownGTIN}/lots/HL2406/recall", json: #"{"notice": {"en": "B"}}"#),
        ]),
        "DELETE /api/v1/products/{gtin}/lots/{code}/recall": .api([
            Probe(method: .delete, uri: "/api/v1/products/03760123450027/lots/OL2402/recall"),
        ]),
        "POST /api/v1/seal-batches": .api([
            Probe(method: .post, uri: "/api/v1/seal-batches", allowed: [.unprocessableContent],
                  json: #"{"gtin": "03760123450003", "quantity": 5}"#),
        ]),
        "GET /api/v1/seal-batches/{id}": .api([Probe(method: .get, uri: "/api/v1/seal-batches/{batch}")]),
        "GET /api/v1/seal-batches/{id}/seals": .api([Probe(method: .get, uri: "/api/v1/seal-batches/{batch}/seals")]),
        "PUT /api/v1/seal-batches/{id}/status": .api([
            Probe(method: .put, uri: "/api/v1/seal-batches/{batch}/status", json: #"{"status": "deactivated"}"#),
        ]),
        "GET /api/v1/consultations": .api([Probe(method: .get, uri: "/api/v1/consultations?gtin=03760123450003", allowed: [.ok])]),
        "GET /api/v1/alerts": .api([Probe(method: .get, uri: "/api/v1/alerts?gtin=03760123450003", allowed: [.ok])]),
        "POST /api/v1/alerts/{id}/acknowledge": .api([Probe(method: .post, uri: "/api/v1/alerts/{alert}/acknowledge")]),
        "POST /api/v1/alerts/{id}/resolve": .api([
            Probe(method: .post, uri: "/api/v1/alerts/{alert}/resolve", json: #"{"note": "B was here"}"#),
        ]),
        "POST /api/v1/alerts/{id}/reopen": .api([Probe(method: .post, uri: "/api/v1/alerts/{alert}/reopen")]),
        "GET /api/v1/alert-rules": .api([Probe(method: .get, uri: "/api/v1/alert-rules", allowed: [.ok])]),
        "POST /api/v1/alert-rules": .api([
            Probe(method: .post, uri: "/api/v1/alert-rules", allowed: [.unprocessableContent],
                  json: #"{"kind": "every_scan", "products": ["03760123450003"]}"#),
        ]),
        "GET /api/v1/alert-rules/{id}": .api([Probe(method: .get, uri: "/api/v1/alert-rules/{rule}")]),
        "PUT /api/v1/alert-rules/{id}": .api([
            Probe(method: .put, uri: "/api/v1/alert-rules/{rule}", json: #"{"kind": "counterfeit", "enabled": false}"#),
        ]),
        "DELETE /api/v1/alert-rules/{id}": .api([Probe(method: .delete, uri: "/api/v1/alert-rules/{rule}")]),
        "GET /api/v1/webhooks": .api([Probe(method: .get, uri: "/api/v1/webhooks", allowed: [.ok])]),
        "POST /api/v1/webhooks": .api([
            Probe(method: .post, uri: "/api/v1/webhooks", allowed: [.created], json: #"{"url": "https://hooks.other.test/api", "types": ["counterfeit"]}"#),
        ]),
        "GET /api/v1/webhooks/{id}": .api([Probe(method: .get, uri: "/api/v1/webhooks/{webhook}")]),
        "PATCH /api/v1/webhooks/{id}": .api([
            Probe(method: .patch, uri: "/api/v1/webhooks/{webhook}", json: #"{"enabled": true, "url": "https://hooks.other.test/stolen"}"#),
        ]),
        "DELETE /api/v1/webhooks/{id}": .api([Probe(method: .delete, uri: "/api/v1/webhooks/{webhook}")]),
        "GET /api/v1/webhooks/{id}/deliveries": .api([Probe(method: .get, uri: "/api/v1/webhooks/{webhook}/deliveries")]),
        "POST /api/v1/webhooks/{id}/test": .api([Probe(method: .post, uri: "/api/v1/webhooks/{webhook}/test")]),
        "GET /api/v1/loyalty": .api([Probe(method: .get, uri: "/api/v1/loyalty", allowed: [.ok])]),
        "PUT /api/v1/loyalty": .api([
            Probe(method: .put, uri: "/api/v1/loyalty", allowed: [.ok],
                  json: #"{"enabled": true, "points": 3, "daily_claims": 2, "claim_gap_seconds": 0}"#),
        ]),
        "GET /api/v1/rewards": .api([Probe(method: .get, uri: "/api/v1/rewards?archived=true", allowed: [.ok])]),
        "POST /api/v1/rewards": .api([
            Probe(method: .post, uri: "/api/v1/rewards", allowed: [.created],
                  json: #"{"point_cost": 5, "default_language": "en", "texts": {"en": {"name": "B's cap"}}}"#),
        ]),
        "PUT /api/v1/rewards/{id}": .api([
            Probe(method: .put, uri: "/api/v1/rewards/{reward}",
                  json: #"{"point_cost": 1, "default_language": "en", "texts": {"en": {"name": "Stolen"}}}"#),
        ]),
        "POST /api/v1/rewards/{id}/archive": .api([Probe(method: .post, uri: "/api/v1/rewards/{reward}/archive")]),
        "PUT /api/v1/rewards/{id}/image": .api([Probe(method: .put, uri: "/api/v1/rewards/{reward}/image", json: "{}")]),
        "DELETE /api/v1/rewards/{id}/image": .api([Probe(method: .delete, uri: "/api/v1/rewards/{reward}/image")]),
        "POST /api/v1/loyalty/adjustments": .api([
            Probe(method: .post, uri: "/api/v1/loyalty/adjustments", json: #"{"wallet": {wallet}, "points": -100, "reason": "taken"}"#),
        ]),
        "GET /portal/stats": .probes([
            Probe(method: .get, uri: "/portal/stats?period=365d", allowed: [.ok]),
            Probe(method: .get, uri: "/portal/stats?product=03760123450003&country=DE", allowed: [.ok]),
        ]),
        "GET /portal/stats/feed": .probes([Probe(method: .get, uri: "/portal/stats/feed", allowed: [.ok])]),
        "GET /portal/stats/export.csv": .probes([
            Probe(method: .get, uri: "/portal/stats/export.csv?period=365d", allowed: [.ok]),
        ]),
        "GET /api/v1/stats": .api([
            Probe(method: .get, uri: "/api/v1/stats?group_by=product,country&interval=month", allowed: [.ok]),
            Probe(method: .get, uri: "/api/v1/stats?product=03760123450003&format=csv", allowed: [.ok]),
        ]),
        "GET /api/v1/redemptions": .api([Probe(method: .get, uri: "/api/v1/redemptions", allowed: [.ok])]),
        "POST /api/v1/redemptions/{id}/cancel": .api([Probe(method: .post, uri: "/api/v1/redemptions/{redemption}/cancel")]),
        "GET /api/v1/vouchers/{code}": .api([Probe(method: .get, uri: "/api/v1/vouchers/{voucher}")]),
        "POST /api/v1/vouchers/{code}/use": .api([Probe(method: .post, uri: "/api/v1/vouchers/{voucher}/use", json: "{}")]),
        "POST /api/v1/webhooks/{id}/deliveries/{delivery}/redeliver": .api([
            Probe(method: .post, uri: "/api/v1/webhooks/{webhook}/deliveries/{delivery}/redeliver"),
        ]),
        "POST /epcis/capture": .api([
            Probe(method: .post, uri: "/epcis/capture", allowed: [.unprocessableContent], json: EPCISFixture.document([
                EPCISFixture.lotRecall("urn:uuid:other-recall", time: "2027-03-01T09:00:00Z"),
                EPCISFixture.commissioning("urn:uuid:other-commissioning", [EPCISFixture.honey("P00001")]),
            ])),
        ]),
        "OPTIONS /epcis/capture": .notBrandOwned("the capture limits"),
        "GET /portal/trace": .probes([Probe(method: .get, uri: "/portal/trace", allowed: [.ok])]),
        "POST /portal/trace/events": .probes([
            Probe(method: .post, uri: "/portal/trace/events",
                  fields: ["action": "recall", "subjects": "https://id.gs1.org/01/03760123450003/21/H00001\n03760123450003 HL2406",
                           "notice_en": "Taken"], allowed: [.unprocessableContent]),
        ]),
        "GET /portal/trace/partners": .probes([Probe(method: .get, uri: "/portal/trace/partners", allowed: [.ok])]),
        "POST /portal/trace/partners": .probes([
            Probe(method: .post, uri: "/portal/trace/partners",
                  fields: ["gln": "5412345000020", "name": "B's own store", "kind": "retailer"], allowed: [.seeOther]),
        ]),
        "GET /portal/trace/partners/{gln}": .probes([Probe(method: .get, uri: "/portal/trace/partners/4012345000009")]),
        "POST /portal/trace/partners/{gln}": .probes([
            Probe(method: .post, uri: "/portal/trace/partners/4012345000009", fields: ["name": "Taken", "kind": "other"]),
        ]),
        "POST /portal/trace/partners/{gln}/delete": .probes([Probe(method: .post, uri: "/portal/trace/partners/4012345000009/delete")]),
        "GET /portal/trace/lots/{lot}": .probes([Probe(method: .get, uri: "/portal/trace/lots/{lot}")]),
        "GET /portal/trace/lots/{lot}/report.csv": .probes([Probe(method: .get, uri: "/portal/trace/lots/{lot}/report.csv")]),
        "GET /api/v1/partners": .api([Probe(method: .get, uri: "/api/v1/partners", allowed: [.ok])]),
        "POST /api/v1/partners": .api([
            Probe(method: .post, uri: "/api/v1/partners", allowed: [.created],
                  json: #"{"gln": "5412345000013", "name": "B's own shop", "kind": "retailer"}"#),
        ]),
        "GET /api/v1/partners/{gln}": .api([Probe(method: .get, uri: "/api/v1/partners/4012345000009")]),
        "PUT /api/v1/partners/{gln}": .api([
            Probe(method: .put, uri: "/api/v1/partners/4012345000009", json: #"{"name": "Taken", "kind": "other"}"#),
        ]),
        "DELETE /api/v1/partners/{gln}": .api([Probe(method: .delete, uri: "/api/v1/partners/4012345000009")]),
        "GET /epcis/capture/{id}": .api([Probe(method: .get, uri: "/epcis/capture/{capture}")]),
        "GET /epcis/events": .api([
            Probe(method: .get, uri: "/epcis/events", allowed: [.ok]),
            Probe(method: .get, uri: "/epcis/events?MATCH_epc=urn:epc:id:sgtin:3760123.045000.H00001", allowed: [.ok]),
        ]),
        "GET /epcis/events/{eventID}": .api([Probe(method: .get, uri: "/epcis/events/urn:uuid:demo-event")]),
        "POST /portal/products/{gtin}/lots/{lot}/release": .probes([
            Probe(method: .post, uri: "/portal/products/03760123450003/lots/{lot}/release"),
            Probe(method: .post, uri: "/portal/products/{ownGTIN}/lots/{lot}/release"),
        ]),
    ]

    @Test("every portal and API route has a case in the isolation table, and every case a route")
    func tableCoversRouter() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let configuration = SignetConfiguration(resourcesDirectory: TestEnvironment.packageRoot)
        let portalRoutes = Set(try await routeList(configuration: configuration, logger: logger).filter { $0.contains(" /portal") || $0.contains(" /api/") || $0.contains(" /epcis") })
        #expect(portalRoutes.subtracting(Self.table.keys).sorted() == [], "routes without an isolation case")
        #expect(Set(Self.table.keys).subtracting(portalRoutes).sorted() == [], "cases without a route")
    }

    @Test("brand B's owner and key get 403/404 on brand A's rows, see none of A's data, and change nothing")
    func crossBrand() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.brand(database, slug: "other")
            try await AccountsFixture.user(database, brand: "other", email: "owner@other.test", role: .owner)
            let otherKey = try await APIClientFixture.key(database, brand: "other")
            try await AccountsFixture.user(database, brand: "demo", email: "alice@demo.test", role: .owner)
            _ = try await APIClientFixture.key(database, brand: "demo", name: "demo-erp")
            let (userID, keyID) = try await database.withClient { client in
                (try await client.scalar("SELECT id FROM users WHERE email = 'alice@demo.test'", as: Int64.self)!,
                 try await client.scalar("SELECT id FROM api_keys WHERE name = 'demo-erp'", as: Int64.self)!)
            }
            // Brand A has consultations the API must not list to B.
            let demoPath = try await DemoFixture.seedPath(database, serial: "H00001")
            let lotID = try #require(try await database.withClient { try await $0.scalar("SELECT id FROM lots WHERE status = 'recalled' LIMIT 1", as: Int64.self) })
            let sealID = try #require(try await database.withClient { try await $0.scalar("SELECT id FROM seals WHERE serial = 'H00001'", as: Int64.self) })
            let batchID = try await database.withClient { client in
                let demo = try #require(try await BrandStore(database: client, logger: Logger(label: "t")).find(slug: "demo"))
                return try await SealBatchCommand(database: client, logger: Logger(label: "t")).run(
                    brandID: demo.id,
                    batch: .init(gtin: DemoFixture.honey, lotCode: nil, quantity: 5, serialLength: 10, initialStatus: .pending, markets: [])
                ) { _, _ in }
            }
            let alertID = try #require(try await database.withClient { client in
                try await client.scalar("""
                    INSERT INTO alerts (brand_id, type, consultation_id, scanned_at, product_id, seal_id, gtin, serial, country, verdict)
                    SELECT s.brand_id, 'counterfeit', 1, now(), s.product_id, s.id, '03760123450003', s.serial, 'FR', 'counterfeit'
                    FROM seals s WHERE s.serial = 'H00001' RETURNING id
                    """, as: Int64.self)
            })
            let reportID = try #require(try await database.withClient { client in
                try await client.scalar("""
                    INSERT INTO consumer_reports (brand_id, consultation_id, scanned_at, gtin, serial, purchase_place, photo, photo_type, language)
                    SELECT id, 1, now(), '03760123450003', 'H00001', 'shop', '\\x89504e47'::bytea, 'image/png', 'en'
                    FROM brands WHERE slug = 'demo' RETURNING id
                    """, as: Int64.self)
            })
            let ruleID = try #require(try await database.withClient { client in
                try await client.scalar(
                    "SELECT r.id FROM alert_rules r JOIN brands b ON b.id = r.brand_id WHERE b.slug = 'demo'", as: Int64.self)
            })
            // Brand A's endpoint is switched off, so its deliveries stay as they are while the app runs.
            let (webhookID, deliveryID) = try await database.withClient { client -> (Int64, Int64) in
                let logger = Logger(label: "t")
                let demo = try #require(try await BrandStore(database: client, logger: logger).find(slug: "demo"))
                let endpoints = WebhookEndpointStore(database: client, box: SecretBox(key: Array(repeating: 7, count: 32)), logger: logger)
                let (endpoint, _) = try await endpoints.create(
                    brandID: demo.id, url: try WebhookEndpointURL("https://hooks.demo.test/in", allowPrivate: false), description: "demo-hook",
                    alertTypes: [.counterfeit], actor: .commandLine)
                _ = try await endpoints.update(
                    brandID: demo.id, id: endpoint.id, url: nil, description: nil, alertTypes: nil, enabled: false, actor: .commandLine)
                let delivery = try #require(try await WebhookDeliveryStore(database: client, logger: logger).enqueueTest(
                    brandID: demo.id, endpointID: endpoint.id, body: { _ in Array(#"{"type":"webhook.test"}"#.utf8) }))
                return (endpoint.id, delivery)
            }
            // Brand A's voucher, issued and unused.
            let loyalty = try await database.withClient { client in
                try await RedemptionTests.setUp(client, points: 100, cost: 100, stock: nil)
            }
            let voucher = try await loyalty.voucher(database)
            let redemptionID = try #require(try await database.withClient { try await $0.scalar("SELECT id FROM redemptions", as: Int64.self) })
            try await database.withClient { client in
                _ = try await client.query("""
                    INSERT INTO partners (brand_id, name, gln, kind, countries)
                    SELECT id, 'Alpha Distribution', '4012345000009', 'distributor', '{FR}' FROM brands WHERE slug = 'demo'
                    """, logger: Logger(label: "t"))
            }
            let linkID = try #require(try await database.withClient { client in
                try await client.scalar("""
                    INSERT INTO product_links (brand_id, product_id, link_type, href, title, is_default)
                    SELECT brand_id, id, 'safetyInfo', 'https://demo.example/safety', 'Safety', true FROM products WHERE gtin = '03760123450003'
                    RETURNING id
                    """, as: Int64.self)
            })
            let before = try await withTestApp(database) { client -> String in
                var browser = PortalBrowser(client)
                try await browser.signIn("owner@other.test")
                try await browser.get("/portal/products/new")
                #expect(try await browser.post("/portal/products", ["gtin": "4006381333931", "name": "B's own"]).status == .seeOther)
                let honeyName = try DemoFixture.productName(DemoFixture.honey, .en)
                _ = try await client.execute(uri: demoPath, method: .get)
                // Brand A's event and capture.
                let demoKey = try await APIClientFixture.key(database, brand: "demo", name: "demo-trace")
                let captured = try await client.capture(EPCISFixture.document([
                    EPCISFixture.commissioning("urn:uuid:demo-event", [EPCISFixture.honey("H00001")]),
                ]), key: demoKey)
                let captureID = try #require(captured.headers[.location]?.split(separator: "/").last.map(String.init))
                let before = try await Self.snapshot(database)
                for (route, target) in Self.table.sorted(by: { $0.key < $1.key }) {
                    let probes: [Probe], viaAPI: Bool
                    switch target {
                    case .notBrandOwned: continue
                    case .probes(let list): (probes, viaAPI) = (list, false)
                    case .api(let list): (probes, viaAPI) = (list, true)
                    }
                    for probe in probes {
                        let uri = probe.uri.replacingOccurrences(of: "{lot}", with: "\(lotID)")
                            .replacingOccurrences(of: "{batch}", with: "\(batchID)").replacingOccurrences(of: "{seal}", with: "\(sealID)")
                            .replacingOccurrences(of: "{user}", with: "\(userID)").replacingOccurrences(of: "{key}", with: "\(keyID)")
                            .replacingOccurrences(of: "{ownGTIN}", with: "04006381333931").replacingOccurrences(of: "{alert}", with: "\(alertID)")
                            .replacingOccurrences(of: "{rule}", with: "\(ruleID)").replacingOccurrences(of: "{report}", with: "\(reportID)")
                            .replacingOccurrences(of: "{webhook}", with: "\(webhookID)").replacingOccurrences(of: "{delivery}", with: "\(deliveryID)")
                            .replacingOccurrences(of: "{voucher}", with: voucher).replacingOccurrences(of: "{capture}", with: captureID)
                            .replacingOccurrences(of: "{reward}", with: "\(loyalty.rewardID)").replacingOccurrences(of: "{redemption}", with: "\(redemptionID)")
                        let linkedURI = uri.replacingOccurrences(of: "{link}", with: "\(linkID)")
                        let fields = probe.fields.mapValues {
                            $0.replacingOccurrences(of: "{voucher}", with: voucher).replacingOccurrences(of: "{wallet}", with: "\(loyalty.walletID)")
                        }
                        let json = probe.json?.replacingOccurrences(of: "{wallet}", with: "\(loyalty.walletID)")
                        let response: TestResponse
                        if viaAPI {
                            response = try await client.api(probe.method, linkedURI, key: otherKey, json: json)
                        } else {
                            try await browser.get("/portal/products")
                            if let file = probe.file {
                                response = try await browser.upload(linkedURI, probe.fields, file: (file.field, "b.bin", "application/octet-stream", Array(file.text.utf8)))
                            } else {
                                let resume: HTTPFields = probe.lastEventID.map { [.init("Last-Event-ID")!: $0] } ?? [:]
                                response = probe.method == .get ? try await browser.get(linkedURI, headers: resume) : try await browser.post(linkedURI, fields)
                            }
                        }
                        #expect(probe.allowed.contains(response.status), "\(route) \(uri) answered \(response.status)")
                        #expect(!response.text.contains(honeyName), "\(route) \(uri) shows brand A's product")
                        #expect(!response.text.contains("H00001</code>"), "\(route) \(uri) shows brand A's seal")
                        #expect(!response.text.contains("alice@demo.test") || route == "POST /portal/users", "\(route) \(uri) shows brand A's user")
                        #expect(!response.text.contains("demo-erp"), "\(route) \(uri) shows brand A's key")
                        #expect(!response.text.contains("hooks.demo.test"), "\(route) \(uri) shows brand A's webhook")
                        #expect(!response.text.contains("Cosmetics"), "\(route) \(uri) shows brand A's product type")
                        #expect(!response.text.contains(",H00001,"), "\(route) \(uri) exports brand A's consultation")
                        #expect(!response.text.contains("seal_batch:\(batchID)"), "\(route) \(uri) shows brand A's audit log")
                        #expect(!response.text.contains("Alpha Distribution"), "\(route) \(uri) shows brand A's partner")
                        if viaAPI {
                            #expect(!response.text.contains("\"H00001\""), "\(route) \(uri) lists brand A's consultation")
                            #expect(!response.text.contains("urn:uuid:demo-event"), "\(route) \(uri) shows brand A's event")
                        }
                    }
                }
                return before
            }
            let after = try await Self.snapshot(database)
            #expect(before == after, "brand A's rows changed")
        }
    }

    /// Brand A's products, texts and lots, as text.
    static func snapshot(_ database: TestDatabase) async throws -> String {
        try await database.withClient { client in
            try await client.scalar("""
                SELECT string_agg(row, E'\\n' ORDER BY row) FROM (
                    SELECT format('%s %s %s %s %s', p.gtin, p.sku, p.default_language, p.updated_at, p.image_url) AS row FROM products p JOIN brands b ON b.id = p.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('type %s %s', pt.code, pt.names) FROM product_types pt JOIN brands b ON b.id = pt.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('%s %s %s', t.product_id, t.language, t.name) FROM product_translations t JOIN brands b ON b.id = t.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('%s %s %s %s', l.id, l.code, l.status, l.recall_notice) FROM lots l JOIN brands b ON b.id = l.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('seals %s %s', s.status, count(*)) FROM seals s JOIN brands b ON b.id = s.brand_id WHERE b.slug = 'demo' GROUP BY s.status
                    UNION ALL SELECT format('tags %s', count(*)) FROM nfc_tags
                    UNION ALL SELECT format('batches %s', count(*)) FROM seal_batches sb JOIN brands b ON b.id = sb.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('user %s %s %s %s %s', u.email, u.role, u.disabled_at, u.access_product_type_ids, u.access_product_ids) FROM users u JOIN brands b ON b.id = u.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('links %s', count(*)) FROM sign_in_links l JOIN brands b ON b.id = l.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('key %s %s', k.name, k.revoked_at) FROM api_keys k JOIN brands b ON b.id = k.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('alert %s %s %s', a.id, a.status, a.note) FROM alerts a JOIN brands b ON b.id = a.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('rule %s %s %s %s', r.id, r.kind, r.enabled, r.settings) FROM alert_rules r JOIN brands b ON b.id = r.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('webhook %s %s %s %s %s', w.id, w.url, w.enabled, w.alert_types, w.description) FROM webhook_endpoints w JOIN brands b ON b.id = w.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('delivery %s %s %s', d.id, d.state, d.attempts) FROM webhook_deliveries d JOIN brands b ON b.id = d.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('voucher %s %s %s', r.voucher_code, r.status, r.used_by) FROM redemptions r JOIN brands b ON b.id = r.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('reward %s %s %s %s %s', r.id, r.point_cost, r.stock, r.archived, r.image_url) FROM rewards r JOIN brands b ON b.id = r.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('balance %s %s', l.wallet_id, l.points) FROM loyalty_balances l JOIN brands b ON b.id = l.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('ledger %s', count(*)) FROM loyalty_ledger
                    UNION ALL SELECT format('partner %s %s %s %s', p.gln, p.name, p.kind, p.countries) FROM partners p JOIN brands b ON b.id = p.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('product link %s %s %s %s %s', l.id, l.link_type, l.href, l.is_default, l.updated_at) FROM product_links l JOIN brands b ON b.id = l.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('events %s', count(*)) FROM trace_events e JOIN brands b ON b.id = e.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('trace %s %s %s', t.seal_id, t.disposition, t.holder_gln) FROM seal_trace t JOIN brands b ON b.id = t.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('containers %s', count(*)) FROM containers c JOIN brands b ON b.id = c.brand_id WHERE b.slug = 'demo'
                    UNION ALL SELECT format('loyalty %s %s %s %s %s', loyalty_enabled, loyalty_points, loyalty_daily_claims, loyalty_claim_gap_seconds, loyalty_expiry_days) FROM brands WHERE slug = 'demo'
                ) rows
                """, as: String.self) ?? ""
        }
    }
}
