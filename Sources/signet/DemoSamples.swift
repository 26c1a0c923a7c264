import Logging
import PostgresNIO
import SignetCore
import SignetServer
import SignetTools

/// One URL of each kind from the demo brand, for the newcomer's first clicks.
enum DemoSamples {
    static func collect(exporter: SealExporter, database: PostgresClient, logger: Logger) async throws -> String {
        let scanned = try await database.query(
            "SELECT serial FROM seals s JOIN brands b ON b.id = s.brand_id WHERE b.slug = 'demo' AND s.scan_count > 0",
            logger: logger
        ).collect().map { try $0.decode(String.self) }
        let alreadyScanned = Set(scanned)

        var fresh: [String] = []
        var seen: String?
        var recalled: String?
        var expired: String?
        var inactive: [String] = []
        var stolen: String?
        var destroyed: String?
        var counterfeit: String?
        var productPage: String?
        try await exporter.forEachSeal(brandSlug: DemoSeeder.brandSlug) { seal in
            // The demo's supply chain reports these two (DemoSupplyChain).
            if seal.serial == "H00381" { stolen = seal.url; return }
            if seal.serial == "H00382" { destroyed = seal.url; return }
            switch (seal.serial.first, seal.status) {
            case ("R", _): if recalled == nil { recalled = seal.url }
            case ("E", _): if expired == nil { expired = seal.url }
            case (_, .pending), (_, .deactivated): inactive.append(seal.url)
            case (_, .active):
                if alreadyScanned.contains(seal.serial) {
                    if seen == nil { seen = seal.url }
                } else if fresh.count < 3 {
                    fresh.append(seal.url)
                    if counterfeit == nil, let query = seal.url.firstIndex(of: "?") {
                        counterfeit = String(seal.url[..<query]) + "?t=AAAAAAAAAAAAAAAA"
                        productPage = String(seal.url[..<(seal.url.range(of: "/21/")?.lowerBound ?? query)])
                    }
                }
            }
        }
        var lines = ["Demo scan URLs (each is recorded as a consultation):"]
        lines += fresh.map { "  genuine (first scan):  \($0)" }
        lines.append("  genuine, seen before:  \(seen ?? "(scan one of the first URLs twice)")")
        if let recalled { lines.append("  recalled lot:          \(recalled)") }
        if let expired { lines.append("  expired lot:           \(expired)") }
        lines += inactive.prefix(2).map { "  inactive seal:         \($0)" }
        if let stolen { lines.append("  reported stolen:       \(stolen)") }
        if let destroyed { lines.append("  reported destroyed:    \(destroyed)") }
        if let counterfeit { lines.append("  counterfeit (bad t):   \(counterfeit)") }
        if let productPage { lines.append("  product page (no seal): \(productPage)") }
        lines.append("  suspicious: scan one genuine URL from six different browsers or addresses")
        lines.append("  add &lang=fr, &lang=de or &lang=es to any of them")
        return lines.joined(separator: "\n")
    }
}
