import SignetCore

/// The links of each level of a Digital Link URI, most specific first (serial, lot, product): the
/// brand's, plus Signet's own pages — the seal's verification, the product page (`gs1:pip`, unless the
/// brand gives its own at that level) and a registered lot's recall status. Every level's anchor is the
/// uncompressed URI of that level under Signet's public root.
struct ResolverLevels: Sendable {
    /// Most specific first; empty when no brand owns the GTIN (a serial still has its verification).
    var entries: [Linkset.Entry]
    /// The canonical URI of the request: a link pointing here is served in place, not redirected to.
    var ownURI: String

    var links: [[ResolverLink]] { entries.map(\.links) }

    init(link: DigitalLink, product: CachedProduct?, snapshot: CatalogueSnapshot, root: String) {
        ownURI = root + link.path
        entries = []
        let name = product.flatMap { $0.translations[$0.defaultLanguage]?.name ?? $0.translations.values.first?.name }
        let describe = { (suffix: String) in [name, suffix].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ") }

        if let serial = link.serial {
            var links = product?.links.filter { $0.level == .serial(serial) }.map { $0.notDefault } ?? []
            links.append(ResolverLink(
                level: .serial(serial), type: .verificationService, href: ownURI,
                title: "Verify this seal (scan its code or tap it)", isDefault: true))
            entries.append(Linkset.Entry(anchor: ownURI, itemDescription: describe("serial \(serial)"), links: links))
        }
        guard let product else { return }

        let productDefault = product.links.first { $0.level == .product && $0.isDefault }
        if let code = link.lot {
            let anchor = root + DigitalLink(gtin: link.gtin, consumerProductVariant: link.consumerProductVariant, lot: code).path
            var links = product.links.filter { $0.level == .lot(code) }
            if snapshot.lot(productID: product.id, code: code) != nil {
                let ownDefault = links.contains(where: \.isDefault)
                if !links.contains(where: { $0.type == .pip }) {
                    links.append(ResolverLink(
                        level: .lot(code), type: .pip, href: anchor, title: "Product information, lot \(code)",
                        isDefault: !ownDefault && productDefault == nil))
                }
                links.append(ResolverLink(
                    level: .lot(code), type: .recallStatus, href: root + "/recall-status" + link.lotPath,
                    title: "Recall status of lot \(code)"))
            }
            entries.append(Linkset.Entry(anchor: anchor, itemDescription: describe("lot \(code)"), links: links))
        }

        let anchor = root + "/01/" + link.gtin.digits
        var links = product.links.filter { $0.level == .product }
        if !links.contains(where: { $0.type == .pip }) {
            links.append(ResolverLink(level: .product, type: .pip, href: anchor, title: "Product information", isDefault: productDefault == nil))
        } else if productDefault == nil, let index = links.firstIndex(where: { $0.type == .pip }) {
            // The brand's own product page stands in for Signet's as the default.
            links[index].isDefault = true
        }
        entries.append(Linkset.Entry(anchor: anchor, itemDescription: describe(""), links: links))
    }
}

extension ResolverLink {
    /// At the serial level the default is always the seal's verification.
    var notDefault: ResolverLink {
        var link = self
        link.isDefault = false
        return link
    }
}

extension DigitalLink {
    /// `/01/{gtin}/10/{lot}`: the lot's own path, without a serial.
    var lotPath: String {
        DigitalLink(gtin: gtin, consumerProductVariant: consumerProductVariant, lot: lot).path
    }
}
