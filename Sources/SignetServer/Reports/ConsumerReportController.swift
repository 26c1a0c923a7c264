import Foundation
import Hummingbird
import SignetCore

/// "Report a problem" on a scan page that did not say genuine: a form in the
/// visitor's language (where the product was bought, the seller, what is
/// wrong, an optional photo), bound to the consultation it came from by
/// `ReportLink`, limited per client address, thanked in the same language.
/// Each report raises a `consumer_report` alert for the brand.
struct ConsumerReportController: Sendable {
    let reports: ConsumerReportStore
    let links: ReportLink
    let renderer: PageRenderer
    let clientAddresses: ClientAddressResolver
    let rateLimit: RateLimit<IPAddress>

    /// A phone photo fits; the whole form may carry a little more than the photo.
    static let photoLimit = 5 * 1024 * 1024
    static let bodyLimit = photoLimit + 64 * 1024

    func addRoutes(to router: Router<SignetRequestContext>) {
        router.get("report/:consultation", use: form)
        router.post("report/:consultation", use: submit)
    }

    @Sendable func form(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let language = Self.language(request)
        let consultation = try await consultation(request, context: context, mac: request.uri.queryParameters["k"].map(String.init))
        return render(language: language, consultation: consultation, mac: request.uri.queryParameters["k"].map(String.init) ?? "",
                      values: [:], problems: [])
    }

    @Sendable func submit(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let client = clientAddresses.clientAddress(
            peer: context.remoteAddress?.signetIPAddress, forwardedFor: request.headers[values: .xForwardedFor])
        try rateLimit.check(client?.unmappingIPv4)
        var request = request
        guard PortalUpload.isMultipart(request) || request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true
        else { throw PublicError.badRequest }
        let upload: PortalUpload
        if PortalUpload.isMultipart(request) {
            upload = try await PortalUpload.read(&request, upTo: Self.bodyLimit)
        } else {
            upload = PortalUpload(fields: try await PortalForm.fields(&request), files: [:])
        }
        let language = Language(rawValue: upload.fields["lang"] ?? "") ?? Self.language(request)
        let mac = upload.fields["k"] ?? ""
        let consultation = try await consultation(request, context: context, mac: mac)

        var problems: [String] = []
        let place = ConsumerReportStore.Report.Place(rawValue: upload.fields["place"] ?? "")
        if place == nil { problems.append("report_error_place") }
        let seller = (upload.fields["seller"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if seller.count > 200 { problems.append("report_error_seller") }
        let message = (upload.fields["message"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if message.count > 2000 { problems.append("report_error_message") }
        var photo: (bytes: ByteBuffer, format: ImageFormat)?
        if let file = upload.files["photo"], file.bytes.readableBytes > 0 {
            guard file.bytes.readableBytes <= Self.photoLimit else { throw PublicError.payloadTooLarge }
            let format = ImageFormat(detecting: file.bytes.readableBytesView, limit: Self.photoLimit)
            if let format, format == .jpeg || format == .png {
                photo = (file.bytes, format)
            } else {
                problems.append("report_error_photo")
            }
        }
        if message.isEmpty && photo == nil && !problems.contains("report_error_photo") { problems.append("report_error_empty") }
        guard problems.isEmpty, let place else {
            return render(language: language, consultation: consultation, mac: mac,
                          values: ["seller": seller, "message": message, "place": upload.fields["place"] ?? ""],
                          problems: problems, status: .unprocessableContent)
        }
        do {
            try await reports.save(
                .init(place: place, seller: seller, message: message, photo: photo, language: language), about: consultation)
        } catch ConsumerReportStore.Problem.alreadyReported {
            return renderer.page("report-thanks", language: language, context: [
                "title": renderer.strings(language)["report_already_title"],
                "body": renderer.strings(language)["report_already_body"],
            ], status: .conflict)
        }
        return renderer.page("report-thanks", language: language, context: [
            "title": renderer.strings(language)["report_thanks_title"],
            "body": renderer.strings(language)["report_thanks_body"],
        ])
    }

    /// The consultation the link names; a 404 when the MAC or the consultation is wrong.
    private func consultation(
        _ request: Request, context: SignetRequestContext, mac: String?
    ) async throws -> ConsumerReportStore.Consultation {
        guard let id = Int64(try context.parameters.require("consultation")), let mac,
              links.isValid(consultationID: id, mac: mac),
              let consultation = try await reports.consultation(id: id)
        else { throw PublicError.notFound }
        return consultation
    }

    private func render(
        language: Language, consultation: ConsumerReportStore.Consultation, mac: String, values: [String: String],
        problems: [String], status: HTTPResponse.Status = .ok
    ) -> Response {
        let strings = renderer.strings(language)
        return renderer.page("report", language: language, context: [
            "action": "/report/\(consultation.id)",
            "mac": mac,
            "gtin": consultation.gtin,
            "serial": consultation.serial ?? "",
            "errors": problems.map { strings[$0] },
            "seller": values["seller"] ?? "",
            "message": values["message"] ?? "",
            "places": ConsumerReportStore.Report.Place.allCases.map { place in
                ["code": place.rawValue, "label": strings["report_place_\(place.rawValue)"], "checked": values["place"] == place.rawValue]
                    as [String: Any]
            },
            "languages": renderer.languageLinks(
                Language.allCases, current: language, query: "k=\(PercentEncoding.encodeQueryValue(mac))"),
        ], status: status, extraHeaders: [.cacheControl: "no-store"])
    }

    private static func language(_ request: Request) -> Language {
        LanguagePreferences(request: request).choose(among: Language.allCases, productDefault: nil)
    }
}
