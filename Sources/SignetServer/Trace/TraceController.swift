import Foundation
import Hummingbird
import PostgresNIO
import SignetCore

/// The portal's supply chain, without writing JSON: ship, receive, return and
/// recall (each recorded as an EPCIS event), partners and what they received,
/// and a lot's recall report.
struct TraceController: Sendable {
    let database: PostgresClient
    let captures: TraceCaptureStore
    let reports: TraceReportStore
    let partners: PartnerStore
    let catalogue: CatalogueStore
    let worldMap: WorldMap
    let page: PortalPage
    let logger: Logger

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: overview)
        group.post("events", use: record)
        group.get("partners", use: partnerList)
        group.post("partners", use: createPartner)
        group.get("partners/:gln", use: partnerPage)
        group.post("partners/:gln", use: updatePartner)
        group.post("partners/:gln/delete", use: deletePartner)
        group.get("lots/:lot", use: recallReport)
        group.get("lots/:lot/report.csv", use: recallReportCSV)
    }

    // MARK: Events

    @Sendable func overview(_ request: Request, context: PortalContext) async throws -> Response {
        try await renderOverview(request, context: context, form: [:], problems: [],
                                 recorded: request.uri.queryParameters["recorded"].flatMap { Int($0) })
    }

    @Sendable func record(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.recordTrace)
        guard !context.manager.access.isRestricted else { throw PublicError.forbidden }
        var request = request
        let fields = try await PortalForm.fields(&request)
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        guard let action = PortalTraceEvent.Action(rawValue: fields["action"] ?? "") else { throw PublicError.badRequest }
        let brandID = context.manager.brandID
        var problems: [String] = []
        let subjects = TraceSubjects(lines: fields["subjects"] ?? "")
        if subjects.identifiers.isEmpty { problems.append(strings["portal_trace_error_nothing"]) }
        for line in subjects.unreadable.prefix(5) { problems.append(strings.format("portal_trace_error_unreadable", ["line": line])) }
        var partner: GLN?
        if let text = fields["partner"], !text.isEmpty {
            partner = GLN(text)
            if partner == nil { problems.append(strings["portal_trace_error_partner"]) }
        } else if action == .ship {
            problems.append(strings["portal_trace_error_partner"])
        }
        let reason = String((fields["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
        if action == .return, reason.isEmpty { problems.append(strings["portal_trace_error_reason"]) }
        var notice: [String: String] = [:]
        for code in Language.allCases {
            let text = (fields["notice_\(code.rawValue)"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { notice[code.rawValue] = String(text.prefix(ProductForm.maximumTextLength)) }
        }
        if action == .recall, notice.isEmpty { problems.append(strings["portal_trace_error_notice"]) }
        guard problems.isEmpty else {
            return try await renderOverview(request, context: context, form: fields, problems: problems, recorded: nil,
                                            status: .unprocessableContent)
        }
        let json = PortalTraceEvent.make(action, subjects: subjects.identifiers, partner: partner, reason: reason, at: Date())
        let event = EPCISDocumentReader.event(json, index: 0, path: "")
        let lots = subjects.identifiers.compactMap { identifier -> (GTIN, String)? in
            if case .lot(let gtin, let code) = identifier { (gtin, code) } else { nil }
        }
        let needsRecallRow = action == .recall && subjects.identifiers.contains { if case .lot = $0 { false } else { true } }
        let captures = captures
        let reports = reports
        do {
            try await database.transaction(logger: logger) { connection in
                let recallID = needsRecallRow
                    ? try await reports.createRecall(brandID: brandID, notice: notice, reason: reason, on: connection) : nil
                let outcome = try await captures.capture(brandID: brandID, [event], behaviour: .rollback, recallID: recallID, on: connection)
                // A refused capture wrote nothing but the recall row: roll that back too.
                if outcome.rolledBack { throw TraceFormRefused(outcome: outcome) }
            }
        } catch let refused as TraceFormRefused {
            let messages = refused.outcome.errors.map { strings.format("portal_trace_error_event", ["message": $0.message]) }
            return try await renderOverview(request, context: context, form: fields, problems: messages, recorded: nil,
                                            status: .unprocessableContent)
        }
        if action == .recall {
            // A lot's recall and notice are the lot's, as when recalled from its product page.
            for (gtin, code) in lots {
                try await catalogue.setLotRecalled(brandID: brandID, actor: context.manager.auditActor, gtin: gtin, code: code,
                                                   recalled: true, notice: notice)
            }
        }
        let units = try await reports.recentEvents(brandID: brandID, limit: 1).first?.units ?? 0
        return Redirect(location: "/portal/trace?recorded=\(units)").response
    }

    private func renderOverview(
        _ request: Request, context: PortalContext, form: [String: String], problems: [String], recorded: Int?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let brandID = context.manager.brandID
        let events = try await reports.recentEvents(brandID: brandID)
        let partnerList = try await partners.list(brandID: brandID)
        let lots = try await reports.lots(brandID: brandID)
        let action = form["action"] ?? "ship"
        return page.render("trace", request: request, session: context.session, active: .trace, context: [
            "canRecord": context.manager.role.allows(.recordTrace) && !context.manager.access.isRestricted,
            "recorded": recorded.map { strings.format("portal_trace_recorded", ["units": String($0)]) } ?? "",
            "errors": problems,
            "form": ["subjects": form["subjects"] ?? "", "reason": form["reason"] ?? ""],
            "actions": PortalTraceEvent.Action.allCases.map { choice in
                ["value": choice.rawValue, "label": strings["portal_trace_action_\(choice.rawValue)"], "checked": choice.rawValue == action]
            },
            "partners": partnerList.map { partner in
                ["gln": partner.gln.digits, "name": partner.name, "selected": form["partner"] == partner.gln.digits] as [String: Any]
            },
            "notices": Language.allCases.map { code in
                ["code": code.rawValue, "languageName": page.renderer.strings(code)["language_name"],
                 "value": form["notice_\(code.rawValue)"] ?? ""]
            },
            "events": events.map { eventContext($0, strings: strings) },
            "lots": lots.map { lot in
                ["url": "/portal/trace/lots/\(lot.id)", "label": "\(lot.gtin) · \(lot.code)", "recalled": lot.recalled] as [String: Any]
            },
        ].withoutEmptyStrings, status: status)
    }

    private func eventContext(_ event: TraceReportStore.EventSummary, strings: LocalizedStrings) -> [String: Any] {
        [
            "time": Self.portalTime(event.time),
            "type": event.type,
            "step": event.bizStep.map { Self.vocabularyLabel($0, prefix: "portal_trace_step_", strings: strings) } ?? "",
            "disposition": event.disposition.map { Self.vocabularyLabel($0, prefix: "portal_trace_disposition_", strings: strings) } ?? "",
            "holder": event.holderName ?? event.holderGLN ?? "",
            "holderURL": event.holderGLN.map { "/portal/trace/partners/\($0)" } ?? "",
            "units": event.units,
            "declaresError": event.declaresError,
            "eventID": event.eventID,
        ].withoutEmptyStrings
    }

    /// `2026-06-24 08:00:00`: UTC, as the portal's other tables write times.
    static func portalTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// A CBV word's label where the portal has one, else the value itself.
    static func vocabularyLabel(_ value: String, prefix: String, strings: LocalizedStrings) -> String {
        strings.table["\(prefix)\(value)"] ?? value
    }

    // MARK: Partners

    @Sendable func partnerList(_ request: Request, context: PortalContext) async throws -> Response {
        try await renderPartners(request, context: context, form: [:], problems: [], saved: request.uri.queryParameters["saved"] != nil)
    }

    @Sendable func createPartner(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.recordTrace)
        guard !context.manager.access.isRestricted else { throw PublicError.forbidden }
        var request = request
        let fields = try await PortalForm.fields(&request)
        var problems: [String] = []
        let gln = GLN((fields["gln"] ?? "").trimmingCharacters(in: .whitespaces))
        if gln == nil { problems.append("portal_trace_error_gln") }
        let input = Self.partnerInput(fields, problems: &problems)
        guard let gln, let input, problems.isEmpty else {
            return try await renderPartners(request, context: context, form: fields, problems: problems, saved: false,
                                            status: .unprocessableContent)
        }
        do {
            try await partners.create(brandID: context.manager.brandID, gln: gln, input, actor: context.manager.auditActor)
        } catch PartnerStore.Problem.glnTaken {
            return try await renderPartners(request, context: context, form: fields, problems: ["portal_trace_error_gln_taken"],
                                            saved: false, status: .conflict)
        }
        return Redirect(location: "/portal/trace/partners/\(gln.digits)?saved=1").response
    }

    /// Name, kind and countries from a form; message keys for what is wrong.
    private static func partnerInput(_ fields: [String: String], problems: inout [String]) -> PartnerStore.Input? {
        let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 200 { problems.append("portal_trace_error_name") }
        let kind = PartnerStore.Kind(rawValue: fields["kind"] ?? "")
        if kind == nil { problems.append("portal_trace_error_kind") }
        var countries: [String] = []
        switch CountryCode.parseList(fields["countries"] ?? "") {
        case .success(let list): countries = list
        case .failure: problems.append("portal_error_markets")
        }
        guard let kind else { return nil }
        return PartnerStore.Input(name: name, kind: kind, countries: countries)
    }

    private func renderPartners(
        _ request: Request, context: PortalContext, form: [String: String], problems: [String], saved: Bool,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let list = try await partners.list(brandID: context.manager.brandID)
        return page.render("partners", request: request, session: context.session, active: .trace, context: [
            "canEdit": context.manager.role.allows(.recordTrace) && !context.manager.access.isRestricted,
            "saved": saved,
            "errors": problems.map { strings[$0] },
            "form": ["gln": form["gln"] ?? "", "name": form["name"] ?? "", "countries": form["countries"] ?? ""],
            "kinds": kindChoices(selected: form["kind"] ?? "distributor", strings: strings),
            "partners": list.map { partner in
                [
                    "url": "/portal/trace/partners/\(partner.gln.digits)", "name": partner.name, "gln": partner.gln.digits,
                    "kind": strings["portal_partner_kind_\(partner.kind.rawValue)"],
                    "countries": partner.countries.isEmpty ? strings["portal_partner_anywhere"] : partner.countries.joined(separator: ", "),
                    "unitsHeld": partner.unitsHeld,
                ] as [String: Any]
            },
        ], status: status)
    }

    private func kindChoices(selected: String, strings: LocalizedStrings) -> [[String: Any]] {
        PartnerStore.Kind.allCases.map { kind in
            ["value": kind.rawValue, "label": strings["portal_partner_kind_\(kind.rawValue)"], "selected": kind.rawValue == selected]
        }
    }

    @Sendable func partnerPage(_ request: Request, context: PortalContext) async throws -> Response {
        try await renderPartner(request, context: context, problems: [], saved: request.uri.queryParameters["saved"] != nil)
    }

    @Sendable func updatePartner(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.recordTrace)
        guard !context.manager.access.isRestricted else { throw PublicError.forbidden }
        let gln = try partnerGLN(context)
        var request = request
        let fields = try await PortalForm.fields(&request)
        var problems: [String] = []
        guard let input = Self.partnerInput(fields, problems: &problems), problems.isEmpty else {
            return try await renderPartner(request, context: context, problems: problems, saved: false, status: .unprocessableContent)
        }
        guard try await partners.update(brandID: context.manager.brandID, gln: gln, input, actor: context.manager.auditActor) else {
            throw PublicError.notFound
        }
        return Redirect(location: "/portal/trace/partners/\(gln.digits)?saved=1").response
    }

    @Sendable func deletePartner(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.recordTrace)
        guard !context.manager.access.isRestricted else { throw PublicError.forbidden }
        let gln = try partnerGLN(context)
        guard try await partners.delete(brandID: context.manager.brandID, gln: gln, actor: context.manager.auditActor) else {
            throw PublicError.notFound
        }
        return Redirect(location: "/portal/trace/partners?saved=1").response
    }

    private func partnerGLN(_ context: PortalContext) throws -> GLN {
        guard let gln = GLN(try context.parameters.require("gln")) else { throw PublicError.notFound }
        return gln
    }

    private func renderPartner(
        _ request: Request, context: PortalContext, problems: [String], saved: Bool, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let gln = try partnerGLN(context)
        guard let partner = try await partners.find(brandID: context.manager.brandID, gln: gln) else { throw PublicError.notFound }
        let shipments = try await reports.shipments(brandID: context.manager.brandID, gln: gln)
        let scans = try await reports.scansOfShippedUnits(brandID: context.manager.brandID, gln: gln)
        let countryName = { (code: String) in page.renderer.countries.name(of: code, in: language) ?? strings["country_unknown"] }
        return page.render("partner", request: request, session: context.session, active: .trace, context: [
            "canEdit": context.manager.role.allows(.recordTrace) && !context.manager.access.isRestricted,
            "saved": saved,
            "errors": problems.map { strings[$0] },
            "partner": [
                "name": partner.name, "gln": partner.gln.digits, "kind": strings["portal_partner_kind_\(partner.kind.rawValue)"],
                "countries": partner.countries.joined(separator: ", "), "unitsHeld": partner.unitsHeld,
                "markets": partner.countries.isEmpty ? strings["portal_partner_anywhere"] : partner.countries.joined(separator: ", "),
            ] as [String: Any],
            "kinds": kindChoices(selected: partner.kind.rawValue, strings: strings),
            "shipments": shipments.map { eventContext($0, strings: strings) },
            "mapSVG": scans.isEmpty ? false : worldMap.svg(
                id: "partner-map", title: strings["portal_partner_scanned"],
                description: scans.map { "\(countryName($0.country)): \($0.consultations)" }.joined(separator: "; "),
                counts: Dictionary(scans.map { ($0.country, $0.consultations) }, uniquingKeysWith: +),
                label: { code, count in "\(countryName(code)): \(count)" },
                legend: { low, high in low == high ? "\(low)" : "\(low)–\(high)" }),
            "scans": scans.map { count in
                [
                    "country": page.renderer.countries.name(of: count.country, in: language) ?? strings["country_unknown"],
                    "consultations": count.consultations, "seals": count.seals,
                    "offMarket": !partner.countries.isEmpty && !partner.countries.contains(count.country) && count.country != "unknown",
                ] as [String: Any]
            },
        ], status: status)
    }

    // MARK: Recall report

    @Sendable func recallReport(_ request: Request, context: PortalContext) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let report = try await loadReport(context, language: language)
        return page.render("recall-report", request: request, session: context.session, active: .trace, context: [
            "report": [
                "title": strings.format("portal_recall_report_title", ["lot": report.code]),
                "product": report.productName, "gtin": report.gtin, "code": report.code,
                "recalledAt": report.recalledAt.map(Self.portalTime) ?? "",
                "units": report.units, "scannedAfter": report.unitsScannedAfterRecall,
                "csvURL": "/portal/trace/lots/\(report.lotID)/report.csv",
            ].withoutEmptyStrings,
            "partners": report.partners.map { partner in
                ["name": partner.name ?? partner.gln, "url": "/portal/trace/partners/\(partner.gln)", "gln": partner.gln,
                 "units": partner.wholeLot && partner.units == 0 ? strings["portal_recall_whole_lot"] : String(partner.units)] as [String: Any]
            },
            "countries": report.countries.map { count in
                ["country": page.renderer.countries.name(of: count.country, in: language) ?? strings["country_unknown"],
                 "consultations": count.consultations, "seals": count.seals] as [String: Any]
            },
        ])
    }

    @Sendable func recallReportCSV(_ request: Request, context: PortalContext) async throws -> Response {
        let report = try await loadReport(context, language: PortalPage.language(for: request, manager: context.manager))
        var lines = [CSVRecord.line(["section", "key", "name", "units_or_consultations", "seals"])]
        lines.append(CSVRecord.line(["lot", "\(report.gtin) \(report.code)", report.productName, String(report.units),
                                     String(report.unitsScannedAfterRecall)], neutralizingFormulas: true))
        for partner in report.partners {
            lines.append(CSVRecord.line(["partner", partner.gln, partner.name ?? "", partner.wholeLot && partner.units == 0 ? "lot" : String(partner.units), ""],
                                        neutralizingFormulas: true))
        }
        for count in report.countries {
            lines.append(CSVRecord.line(["country", count.country, "", String(count.consultations), String(count.seals)]))
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8",
                      .contentDisposition: "attachment; filename=\"recall-\(report.gtin)-\(report.code).csv\""],
            body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\r\n") + "\r\n")))
    }

    private func loadReport(_ context: PortalContext, language: Language) async throws -> TraceReportStore.RecallReport {
        guard let id = Int64(try context.parameters.require("lot")),
              let report = try await reports.recallReport(brandID: context.manager.brandID, lotID: id, language: language)
        else { throw PublicError.notFound }
        return report
    }
}

/// An all-or-nothing capture from a portal form met errors: its transaction rolls back.
private struct TraceFormRefused: Error {
    var outcome: TraceCaptureOutcome
}
