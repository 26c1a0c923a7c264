import Foundation
import HTTPTypes
import Hummingbird
import SignetCore

/// The GS1-conformant resolver over the Digital Link URIs of every GTIN Signet's brands own
/// (`/01/{gtin}[/22/..][/10/{lot}][/21/{serial}]`, compressed or not). It answers from the in-memory
/// catalogue: a requested link type is a 307 to the best link of that type (404 when there is none,
/// 300 when several fit equally), a linkset when asked for, and otherwise the default link. Signet's
/// own pages for the request's URI — the seal's verification, the product page — are served in place,
/// with no redirect: a consumer's phone makes one round trip.
struct ResolverController: Sendable {
    let catalogue: CatalogueCache
    let pages: ScanController
    /// Where Signet is reached (`https://scan.example.com`): the root of anchors and of Signet's links.
    let root: String

    func addRoutes(to router: Router<SignetRequestContext>, errorPages: ErrorPageMiddleware) {
        let resolver = router.group().add(middleware: ResolverHeadersMiddleware(errorPages: errorPages, root: root))
        for method in [HTTPRequest.Method.get, .head] {
            resolver.on("/01/**", method: method, use: resolve)
            resolver.on("/:compressed", method: method, use: resolveCompressed)
            resolver.on("/recall-status/01/**", method: method, use: recallStatus)
        }
        resolver.on("/01/**", method: .options, use: options)
        resolver.on("/:compressed", method: .options, use: options)
        resolver.on("/01", method: .get, use: { _, _ -> Response in throw PublicError.badRequest })
        resolver.get("/.well-known/gs1resolver", use: description)
        resolver.on("/.well-known/gs1resolver", method: .options, use: options)
    }

    @Sendable func resolve(_ request: Request, context: SignetRequestContext) async throws -> Response {
        if let link = try? DigitalLinkParser.parse(path: request.uri.path) {
            return try await answer(link: link, query: request.uri.query, sameAs: nil, request: request, context: context)
        }
        // `/01/{gtin}/{compressed}`: a partially compressed link.
        guard let (link, query, uncompressed) = Self.decompress(path: request.uri.path, query: request.uri.query) else {
            context.logger.debug("malformed digital link", metadata: ["path": "\(request.uri.path.prefix(200))"])
            throw PublicError.badRequest
        }
        return try await answer(link: link, query: query, sameAs: root + uncompressed, request: request, context: context)
    }

    /// `/{compressed}`: a whole link compressed into one segment. Any other single segment is a 404.
    @Sendable func resolveCompressed(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let (link, query, uncompressed) = Self.decompress(path: request.uri.path, query: request.uri.query) else {
            throw PublicError.notFound
        }
        return try await answer(link: link, query: query, sameAs: root + uncompressed, request: request, context: context)
    }

    /// The link, the query (the compressed data's attributes, then the request's own parameters) and the
    /// uncompressed path and query.
    static func decompress(path: String, query: String?) -> (DigitalLink, String?, String)? {
        guard path.utf8.count <= 512, DigitalLinkCompression.isCompressed(path),
              let uncompressed = try? DigitalLinkCompression.decompress(path)
        else { return nil }
        let parts = uncompressed.split(separator: "?", maxSplits: 1)
        guard let linkPath = parts.first, let link = try? DigitalLinkParser.parse(path: linkPath) else { return nil }
        let carried = parts.count == 2 ? String(parts[1]) : nil
        let merged = [carried, query].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "&")
        return (link, merged.isEmpty ? nil : merged, uncompressed)
    }

    private func answer(
        link: DigitalLink, query queryText: String?, sameAs: String?, request: Request, context: SignetRequestContext
    ) async throws -> Response {
        let query: DigitalLinkQuery
        do {
            query = try DigitalLinkQuery.parse(queryText)
        } catch {
            context.logger.debug("malformed digital link query", metadata: ["reason": "\(error.message)"])
            throw PublicError.badRequest
        }
        try pages.checkRateLimit(request, context: context)
        var response: Response
        let wantsLinkset = Self.wantsLinkset(request, query: query)
        if link.serial != nil, query.linkType == nil, !wantsLinkset {
            // A scan: the seal's verification, with nothing of the links read or built.
            response = try await inPlace(link: link, query: query, request: request, context: context)
        } else {
            response = try await resolveLinks(link: link, query: query, wantsLinkset: wantsLinkset, request: request, context: context)
        }
        response.headers.append(HTTPField(name: .link, value: Self.linksetHeader(root + link.path)))
        if let sameAs { response.headers.append(HTTPField(name: .link, value: "<\(sameAs)>; rel=\"owl:sameAs\"")) }
        response.headers[.vary] = "Accept, Accept-Language, Cookie"
        return response
    }

    /// A linkset, a requested type of link, or the default link of a URI that names no serial.
    private func resolveLinks(
        link: DigitalLink, query: DigitalLinkQuery, wantsLinkset: Bool, request: Request, context: SignetRequestContext
    ) async throws -> Response {
        let snapshot = catalogue.snapshot
        let product = snapshot.product(gtin: link.gtin.digits)
        let levels = ResolverLevels(link: link, product: product, snapshot: snapshot, root: root)
        let nfcNames = product.flatMap { snapshot.brands[$0.brandID]?.nfcParameters } ?? SUNParameters.Names()
        if wantsLinkset {
            guard product != nil else { throw PublicError.notFound }
            return Self.linksetResponse(Linkset(entries: levels.entries), status: .ok)
        } else if let requested = query.linkType {
            guard let type = GS1LinkType(requested), product != nil else { throw PublicError.notFound }
            let choice = LinkChooser.choose(
                LinkChooser.Request(
                    linkType: type,
                    languages: AcceptLanguage.parse(request.headers[.acceptLanguage] ?? "").map { $0.tag.lowercased() },
                    mediaTypes: Self.mediaTypes(request), context: query.context),
                levels: levels.links)
            switch choice {
            case .none:
                throw PublicError.notFound
            case .multipleChoices(let links):
                return Self.linksetResponse(
                    Linkset(entries: [Linkset.Entry(anchor: levels.ownURI, itemDescription: levels.entries.first?.itemDescription ?? "", links: links)]),
                    status: .multipleChoices)
            case .link(let chosen):
                return try await follow(chosen, link: link, levels: levels, query: query, nfcNames: nfcNames, request: request, context: context)
            }
        }
        guard case .link(let fallback) = LinkChooser.choose(LinkChooser.Request(), levels: levels.links) else {
            // An unknown GTIN: the product page's own 404.
            return try await inPlace(link: link, query: query, request: request, context: context)
        }
        return try await follow(fallback, link: link, levels: levels, query: query, nfcNames: nfcNames, request: request, context: context)
    }

    /// In place when the link is the request's own URI; otherwise a 307 carrying the query on, less
    /// `linkType` and the seal's credentials (a token or a tag's message never leaves Signet).
    private func follow(
        _ chosen: ResolverLink, link: DigitalLink, levels: ResolverLevels, query: DigitalLinkQuery, nfcNames names: SUNParameters.Names,
        request: Request, context: SignetRequestContext
    ) async throws -> Response {
        if chosen.href == levels.ownURI {
            return try await inPlace(link: link, query: query, request: request, context: context)
        }
        let withheld: Set = ["t", names.piccData, names.fileData, names.mac, "picc_data", "enc", "cmac"]
        var location = chosen.href
        if let passed = query.passedOn(withholding: withheld) {
            location += (location.contains("?") ? "&" : "?") + passed
        }
        return Response(status: .temporaryRedirect, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// Signet's own page. HEAD answers without it: tills and link previews probe with HEAD, and a
    /// verification they triggered would be a consultation nobody made.
    private func inPlace(link: DigitalLink, query: DigitalLinkQuery, request: Request, context: SignetRequestContext) async throws -> Response {
        guard request.method != .head else {
            if link.serial == nil, catalogue.snapshot.product(gtin: link.gtin.digits) == nil { throw PublicError.notFound }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"])
        }
        return try await pages.page(link: link, query: query, request: request, context: context)
    }

    /// `linkType=linkset` (or `all`, its older name), or an `Accept` that names the linkset type.
    static func wantsLinkset(_ request: Request, query: DigitalLinkQuery) -> Bool {
        if query.linkType == "linkset" || query.linkType == "all" { return true }
        // Browsers' Accept never names it: parse only when it is there, and honour q=0.
        guard request.headers[.accept]?.contains(Linkset.mediaType) == true else { return false }
        return mediaTypes(request).contains(Linkset.mediaType)
    }

    /// The `Accept` header's exact media types, best first (wildcards say nothing to choose by).
    static func mediaTypes(_ request: Request) -> [String] {
        guard let accept = request.headers[.accept], accept.contains("/") else { return [] }
        // Accept is the same weighted list as Accept-Language.
        return AcceptLanguage.parse(accept).map { $0.tag.lowercased() }.filter { !$0.contains("*") }
    }

    static func linksetResponse(_ linkset: Linkset, status: HTTPResponse.Status) -> Response {
        var headers: HTTPFields = [.contentType: Linkset.mediaType, .cacheControl: "no-store"]
        headers[values: .link] = ["<\(Linkset.jsonLDContext)>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\""]
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: linkset.json())))
    }

    static func linksetHeader(_ uri: String) -> String {
        "<\(uri)?linkType=linkset>; rel=\"linkset\"; type=\"\(Linkset.mediaType)\""
    }

    /// `/recall-status/01/{gtin}/10/{lot}`: whether a lot is recalled, as JSON for machines and as the
    /// lot's product page (which shows the recall and its notice) for people.
    @Sendable func recallStatus(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let path = request.uri.path.dropFirst("/recall-status".count)
        guard let link = try? DigitalLinkParser.parse(path: path), link.serial == nil, let code = link.lot else {
            throw PublicError.badRequest
        }
        try pages.checkRateLimit(request, context: context)
        let snapshot = catalogue.snapshot
        guard let product = snapshot.product(gtin: link.gtin.digits), let lot = snapshot.lot(productID: product.id, code: code) else {
            throw PublicError.notFound
        }
        guard ErrorPageMiddleware.prefersJSON(request) else {
            return try await pages.page(link: link, query: try DigitalLinkQuery.parse(nil), request: request, context: context)
        }
        let language = LanguagePreferences(request: request).choose(among: product.languages, productDefault: product.defaultLanguage)
        var status: [String: Any] = [
            "gtin": link.gtin.digits, "lot": code, "recalled": lot.recalled, "uri": root + link.path,
        ]
        // The notice in the asker's language, else the product's default, else English: as the page shows it.
        if lot.recalled, let written = [language, product.defaultLanguage, .en].first(where: { lot.recallNotice[$0.rawValue] != nil }) {
            status["notice"] = lot.recallNotice[written.rawValue]
            status["notice_language"] = written.rawValue
        }
        let body = try JSONSerialization.data(withJSONObject: status, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store", .vary: "Accept, Accept-Language"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The resolver description file of the GS1-Conformant Resolver standard.
    @Sendable func description(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let file: [String: Any] = [
            "name": "Signet",
            "resolverRoot": root,
            "supportedPrimaryKeys": ["01"],
            "supportedLinkType": [["namespace": GS1LinkType.namespace, "prefix": GS1LinkType.prefix]],
            "linkTypeDefaultCanBeLinkset": false,
            "jsonLdContextLocation": Linkset.jsonLDContext,
        ]
        let body = try JSONSerialization.data(withJSONObject: file, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// CORS preflight and method discovery: tills and browser apps ask before they GET.
    @Sendable func options(_ request: Request, context: SignetRequestContext) async throws -> Response {
        var headers: HTTPFields = [
            .allow: "GET, HEAD, OPTIONS",
            .accessControlAllowMethods: "GET, HEAD, OPTIONS",
            .accessControlAllowHeaders: "Accept, Accept-Language",
            .accessControlMaxAge: "86400",
        ]
        if let link = try? DigitalLinkParser.parse(path: request.uri.path) {
            headers[values: .link] = [Self.linksetHeader(root + link.path)]
        } else if let (link, _, _) = Self.decompress(path: request.uri.path, query: nil) {
            headers[values: .link] = [Self.linksetHeader(root + link.path)]
        } else if request.uri.path != "/.well-known/gs1resolver" {
            throw PublicError.notFound
        }
        return Response(status: .noContent, headers: headers)
    }
}

extension HTTPField.Name {
    static let link = Self("Link")!
    static let allow = Self("Allow")!
}
