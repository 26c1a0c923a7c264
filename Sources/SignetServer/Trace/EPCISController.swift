import Foundation
import HTTPTypes
import Hummingbird
import SignetCore

/// The EPCIS 2.0 REST interface under `/epcis`: capture (`events:write`) and
/// query (`events:read`), with the bearer keys and problem documents of the API.
struct EPCISController: Sendable {
    let captures: TraceCaptureStore
    let records: TraceCaptureRecordStore
    let events: TraceEventStore

    /// Documents with more events are applied by a job after the 202.
    static let synchronousEventLimit = 500
    static let maximumEvents = 10_000
    static let maximumDocumentBytes = 32 << 20

    static let versionHeaders: HTTPFields = [
        HTTPField.Name("GS1-EPCIS-Version")!: "2.0.0",
        HTTPField.Name("GS1-CBV-Version")!: "2.0.0",
    ]

    func addRoutes(to group: RouterGroup<SignetRequestContext>) {
        group.post("capture", use: capture)
        group.on("capture", method: .options, use: captureOptions)
        group.get("capture/:id", use: captureStatus)
        group.get("events", use: queryEvents)
        group.get("events/:eventID", use: event)
    }

    // MARK: Capture

    @Sendable func capture(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let client = try Self.client(context, .eventsWrite)
        try Self.checkVersions(request)
        let behaviour: TraceCaptureStore.ErrorBehaviour
        switch request.headers[HTTPField.Name("GS1-Capture-Error-Behaviour")!]?.lowercased() {
        case nil, "rollback": behaviour = .rollback
        case "proceed": behaviour = .proceed
        case let other?:
            throw APIProblem.badRequest("GS1-Capture-Error-Behaviour is \"\(other)\"; Signet accepts rollback (the default) or proceed.")
        }
        if let type = request.headers[.contentType]?.lowercased(),
           !type.hasPrefix("application/json") && !type.hasPrefix("application/ld+json") {
            throw APIProblem(status: .unsupportedMediaType, type: "unsupported-media-type", title: "Unsupported media type",
                             detail: "Send the EPCISDocument as application/json or application/ld+json.")
        }
        var request = request
        let body = try await request.collectBody(upTo: Self.maximumDocumentBytes)
        let bytes = Array(body.readableBytesView)
        let reading = try Self.read(bytes)
        let id = UUID()
        if reading.events.count > Self.synchronousEventLimit {
            try await records.enqueue(id: id, brandID: client.brandID, behaviour: behaviour, eventCount: reading.events.count, document: bytes)
            let record = TraceCaptureRecord(id: id, errorBehaviour: behaviour, eventCount: reading.events.count, running: true,
                                            outcome: nil, createdAt: Date(), finishedAt: nil)
            return Self.accepted(record)
        }
        let outcome = try await captures.capture(brandID: client.brandID, reading.events, behaviour: behaviour)
        try await records.recordFinished(id: id, brandID: client.brandID, behaviour: behaviour, eventCount: reading.events.count,
                                         outcome: outcome)
        if outcome.rolledBack {
            var problem = APIProblem.validation(outcome.errors.map { .init(field: $0.field, message: $0.message) })
            problem.detail = "\(Set(outcome.errors.map(\.index)).count) event(s) are invalid, so none was stored (GS1-Capture-Error-Behaviour: rollback); see errors. Capture \(id.uuidString.lowercased())."
            throw problem
        }
        return Self.accepted(TraceCaptureRecord(id: id, errorBehaviour: behaviour, eventCount: reading.events.count, running: false,
                                                outcome: outcome, createdAt: Date(), finishedAt: Date()))
    }

    private static func read(_ bytes: [UInt8]) throws -> EPCISDocumentReading {
        do {
            return try EPCISDocumentReader.read(bytes, maximumEvents: maximumEvents)
        } catch {
            var problem = APIProblem.badRequest("The body is not an EPCIS 2.0 document Signet can read.")
            problem.errors = [.init(field: error.field, message: error.message)]
            throw problem
        }
    }

    /// 202 with the capture's address, as the standard answers every capture;
    /// a document applied while the request waited already reports its outcome.
    private static func accepted(_ record: TraceCaptureRecord) -> Response {
        var headers = versionHeaders
        headers[.contentType] = "application/json"
        headers[.location] = "/epcis/capture/\(record.id.uuidString.lowercased())"
        return Response(status: .accepted, headers: headers, body: .init(byteBuffer: ByteBuffer(string: record.json)))
    }

    @Sendable func captureOptions(_ request: Request, context: SignetRequestContext) async throws -> Response {
        _ = try Self.client(context, .eventsWrite)
        var headers = Self.versionHeaders
        headers[.allow] = "OPTIONS, POST"
        headers[HTTPField.Name("GS1-EPCIS-Capture-Limit")!] = String(Self.maximumEvents)
        headers[HTTPField.Name("GS1-EPCIS-Capture-File-Size-Limit")!] = String(Self.maximumDocumentBytes)
        headers[HTTPField.Name("GS1-Capture-Error-Behaviour")!] = "rollback, proceed"
        return Response(status: .noContent, headers: headers)
    }

    @Sendable func captureStatus(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let client = try Self.client(context, .eventsWrite, or: .eventsRead)
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text), let record = try await records.find(brandID: client.brandID, id: id) else {
            throw APIProblem.notFound("This brand has no capture \(text).")
        }
        var headers = Self.versionHeaders
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: record.json)))
    }

    // MARK: Query

    @Sendable func queryEvents(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let client = try Self.client(context, .eventsRead)
        try Self.checkVersions(request)
        let format = try EPCFormat(request)
        let parameters = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
        let query: EPCISEventQuery
        do {
            query = try EPCISEventQuery(parameters)
        } catch {
            throw APIProblem(status: .badRequest, type: "query-parameter", title: "Invalid query parameter",
                             detail: "\(error.parameter) \(error.message).", errors: [.init(field: error.parameter, message: error.message)])
        }
        let page = try await events.events(brandID: client.brandID, query)
        var response = Self.queryDocument(page.events, format: format)
        if let next = page.next {
            let token = PageCursor.encode([String(next)])
            var kept = parameters.filter { $0.name != "nextPageToken" && $0.name != "perPage" }
            kept.append(("perPage", String(query.perPage)))
            kept.append(("nextPageToken", token))
            let link = "/epcis/events?" + kept.map { "\(PercentEncoding.encodeQueryValue($0.name))=\(PercentEncoding.encodeQueryValue($0.value))" }
                .joined(separator: "&")
            response.headers[HTTPField.Name("Link")!] = "<\(link)>; rel=\"next\""
            response.headers[HTTPField.Name("GS1-Next-Page-Token")!] = token
        }
        return response
    }

    @Sendable func event(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let client = try Self.client(context, .eventsRead)
        try Self.checkVersions(request)
        let format = try EPCFormat(request)
        let eventID = try context.parameters.require("eventID")
        let found = try await events.event(brandID: client.brandID, eventID: eventID.removingPercentEncoding ?? eventID)
        guard !found.isEmpty else { throw APIProblem.notFound("This brand has no event with this eventID.") }
        return Self.queryDocument(found, format: format)
    }

    /// An EPCISQueryDocument around stored events (JSON text, spliced in as it is unless translated).
    private static func queryDocument(_ events: [String], format: EPCFormat) -> Response {
        let list = format == .digitalLink ? events.map(EPCFormatTranslation.digitalLinks(inEvent:)) : events
        let body = """
            {"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISQueryDocument",\
            "schemaVersion":"2.0","creationDate":"\(EPCISTimestamp.format(Date()))","epcisBody":{"queryResults":\
            {"queryName":"SimpleEventQuery","resultsBody":{"eventList":[\(list.joined(separator: ","))]}}}}
            """
        var headers = versionHeaders
        headers[.contentType] = "application/ld+json"
        headers[HTTPField.Name("GS1-EPC-Format")!] = format.rawValue
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// `GS1-EPC-Format`: identifiers as captured, or all as GS1 Digital Link URIs. EPC URNs
    /// cannot be made from Digital Link URIs without each company prefix's length, so
    /// `Always_EPC_URN` returns identifiers as captured (and says `No_Preference`).
    enum EPCFormat: String {
        case asCaptured = "No_Preference"
        case digitalLink = "Always_GS1_Digital_Link"

        init(_ request: Request) throws {
            switch request.headers[HTTPField.Name("GS1-EPC-Format")!] {
            case nil, "No_Preference", "Never_Translates", "Always_EPC_URN": self = .asCaptured
            case "Always_GS1_Digital_Link": self = .digitalLink
            case let other?:
                throw APIProblem.badRequest("GS1-EPC-Format is \"\(other)\"; it may be No_Preference, Always_GS1_Digital_Link, Always_EPC_URN or Never_Translates.")
            }
        }
    }

    // MARK: Requests

    private static func client(_ context: SignetRequestContext, _ scope: APIKeyScope, or other: APIKeyScope? = nil) throws -> APIKeyStore.Client {
        guard let client = context.apiClient else { throw APIProblem.unauthorized("No API key.") }
        guard client.scopes.contains(scope) || other.map(client.scopes.contains) == true else {
            throw APIProblem.forbidden(scope: scope.rawValue)
        }
        // Events follow goods across products (a pallet of several), so they are the whole brand's.
        return try APIHandler.requireWholeCatalogue(client)
    }

    /// A client asking for an EPCIS or CBV version other than 2.0 gets 406, as the standard says.
    private static func checkVersions(_ request: Request) throws {
        for name in ["GS1-EPCIS-Version", "GS1-CBV-Version"] {
            guard let value = request.headers[HTTPField.Name(name)!] else { continue }
            guard value.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("2.0") }) else {
                throw APIProblem(status: .notAcceptable, type: "version", title: "Unsupported version",
                                 detail: "\(name) \(value) is not supported; Signet speaks EPCIS 2.0 and CBV 2.0.")
            }
        }
    }
}
