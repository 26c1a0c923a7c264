import Hummingbird
import PostgresNIO
import SignetCore

/// The portal's seal pages: batches (create, progress, activate, export,
/// NFC tags), finding a seal by serial, and a seal's history and tag.
struct SealsController: Sendable {
    let batches: SealBatchStore
    let seals: SealStore
    let jobs: JobStore
    let catalogue: CatalogueStore
    let exporter: SealExporter
    let nfcTags: NFCTagStore
    let nfcKeys: NFCKeyRing
    let trace: TraceReportStore
    let worldMap: WorldMap
    let page: PortalPage

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: index)
        group.post("batches", use: createBatch)
        group.get("batches/:batch", use: showBatch)
        group.post("batches/:batch/activate", use: activate)
        group.post("batches/:batch/deactivate", use: deactivate)
        group.post("batches/:batch/nfc-tags", use: registerTags)
        group.get("batches/:batch/seals.csv", use: export)
        group.get("batches/:batch/labels.svg", use: labels)
        group.post("imports", use: importSerials)
        group.get(":seal", use: showSeal)
    }

    @Sendable func index(_ request: Request, context: PortalContext) async throws -> Response {
        try await renderIndex(request, context: context, form: ["serial_length": "10", "initial_status": "pending"], problems: [])
    }

    @Sendable func createBatch(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageSeals)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let form = SealBatchForm(fields: fields)
        var problems = form.problems
        if let batch = form.batch {
            do {
                let created = try await batches.create(brandID: context.manager.brandID, access: context.manager.access, actor: context.manager.auditActor, batch)
                return Redirect(location: "/portal/seals/batches/\(created.batchID)").response
            } catch let problem as SealBatchProblem {
                problems.append(problem.messageKey)
            }
        }
        return try await renderIndex(request, context: context, form: fields, problems: problems, status: .unprocessableContent)
    }

    @Sendable func showBatch(_ request: Request, context: PortalContext) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        return try await renderBatch(request, context: context, batch: try await loadBatch(context, language: language), problems: [])
    }

    private func renderBatch(
        _ request: Request, context: PortalContext, batch: SealBatchStore.BatchSummary, problems: [String], messages: [String] = []
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        var progress: JobStore.Progress?
        if let jobID = batch.jobID { progress = try await jobs.progress(id: jobID, brandID: context.manager.brandID) }
        let counts = try await batches.statusCounts(brandID: context.manager.brandID, batchID: batch.id)
        let running = progress.map { !$0.isFinished } ?? false
        var jobContext: [String: Any] = [:]
        if let progress {
            jobContext = [
                "state": strings["portal_job_\(progress.state)"], "done": progress.done, "total": progress.total,
                "percent": progress.percent, "failed": progress.state == "failed", "error": progress.error ?? "", "running": running,
            ]
        }
        let changed = request.uri.queryParameters["changed"].flatMap { Int(String($0)) }
        let registered = request.uri.queryParameters["tags"].flatMap { Int(String($0)) }
        let tagCount = try await nfcTags.count(brandID: context.manager.brandID, batchID: batch.id)
        return page.render("seal-batch", request: request, session: context.session, active: .seals, context: [
            "canEdit": context.manager.role.allows(.manageSeals),
            "refresh": running,
            "batch": Self.batchContext(batch, strings: strings),
            "job": jobContext,
            "counts": SealStatus.allCases.map { ["label": strings["portal_status_\($0.rawValue)"], "count": counts[$0.rawValue] ?? 0] },
            "hasSeals": !counts.isEmpty,
            "changed": changed.map { strings.format("portal_changed_seals", ["count": String($0)]) }
                ?? registered.map { strings.format("portal_nfc_registered", ["count": String($0)]) } ?? "",
            "nfcTags": tagCount > 0 ? strings.format("portal_nfc_count", ["count": String(tagCount)]) : "",
            "errors": problems.map { strings[$0] } + messages,
            "labelPages": batch.quantity <= SealLabelSheet.maximumLabels
                ? (1...SealLabelSheet.pageCount(labels: batch.quantity)).map {
                    ["number": $0, "url": "/portal/seals/batches/\(batch.id)/labels.svg?page=\($0)"] as [String: Any]
                } : [],
        ], status: problems.isEmpty && messages.isEmpty ? .ok : .unprocessableContent)
    }

    @Sendable func activate(_ request: Request, context: PortalContext) async throws -> Response {
        try await setStatus(.active, request: request, context: context)
    }

    @Sendable func deactivate(_ request: Request, context: PortalContext) async throws -> Response {
        try await setStatus(.deactivated, request: request, context: context)
    }

    private func setStatus(_ status: SealStatus, request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageSeals)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let language = PortalPage.language(for: request, manager: context.manager)
        let batch = try await loadBatch(context, language: language)
        // A pasted list (one serial per line, or separated by commas or spaces),
        // an uploaded CSV of serials, or a range narrows the change; with none,
        // the whole batch changes.
        var pasted = (fields["serials"] ?? "").split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "," || $0 == " " || $0 == "\t" })
            .map(String.init)
        // A chosen file that turns out empty is an error, never "the whole batch".
        if PortalUpload.isMultipart(request), let file = try await PortalUpload.read(&request).files["serials_file"] {
            let list = SerialImportFile(bytes: Array(file.bytes.readableBytesView))
            guard list.problems.isEmpty else {
                let strings = page.renderer.strings(language)
                return try await renderBatch(request, context: context, batch: batch, problems: [], messages: list.problems.map { $0.message(strings) })
            }
            pasted += list.serials.map(\.serial)
        }
        let from = (fields["from_serial"] ?? "").trimmingCharacters(in: .whitespaces)
        let to = (fields["to_serial"] ?? "").trimmingCharacters(in: .whitespaces)
        let selection: SealBatchStore.Selection
        if !from.isEmpty || !to.isEmpty {
            guard AI82.isValid(from), AI82.isValid(to), !to.utf8.lexicographicallyPrecedes(from.utf8), pasted.isEmpty else {
                return try await renderBatch(request, context: context, batch: batch, problems: ["portal_error_serial_range"])
            }
            selection = .range(from: from, to: to)
        } else {
            selection = pasted.isEmpty ? .all : .serials(pasted)
        }
        let changed = try await batches.setStatus(
            brandID: context.manager.brandID, actor: context.manager.auditActor, batchID: batch.id, to: status,
            selection: selection)
        return Redirect(location: "/portal/seals/batches/\(batch.id)?changed=\(changed)").response
    }

    /// Registers the NFC tags a packaging line put on the batch's seals (`serial,uid` rows), all or nothing.
    @Sendable func registerTags(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageSeals)
        var request = request
        guard PortalUpload.isMultipart(request) else { throw PublicError.badRequest }
        let upload = try await PortalUpload.read(&request)
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let batch = try await loadBatch(context, language: language)
        guard let version = nfcKeys.currentVersion(brand: context.manager.brandSlug) else {
            return try await renderBatch(request, context: context, batch: batch, problems: ["portal_nfc_no_key"])
        }
        guard let file = upload.files["tags_file"], file.bytes.readableBytes > 0 else {
            return try await renderBatch(request, context: context, batch: batch, problems: ["portal_import_no_file"])
        }
        let parsed = NFCTagFile(bytes: Array(file.bytes.readableBytesView))
        var rowProblems = parsed.problems
        if rowProblems.isEmpty {
            do {
                let changed = try await nfcTags.register(
                    brandID: context.manager.brandID, batchID: batch.id, file: parsed, keyVersion: version, actor: context.manager.auditActor)
                return Redirect(location: "/portal/seals/batches/\(batch.id)?tags=\(changed)").response
            } catch let rejected as NFCTagStore.Rejected {
                rowProblems = rejected.problems
            } catch let error as PSQLError where error.violatedUniqueConstraint != nil {
                // Another registration took one of these UIDs at the same moment.
                return try await renderBatch(request, context: context, batch: batch, problems: ["portal_import_conflict"])
            }
        }
        return try await renderBatch(
            request, context: context, batch: batch, problems: [],
            messages: [strings["portal_import_rejected"]] + rowProblems.map { $0.message(strings) })
    }

    /// The batch's seals as `gtin,lot,serial,url,check_code` for label printers, streamed.
    @Sendable func export(_ request: Request, context: PortalContext) async throws -> Response {
        let batch = try await loadBatch(context, language: .en)
        return exporter.csvResponse(
            brandSlug: context.manager.brandSlug, batchID: batch.id, filename: "seals-batch-\(batch.id).csv", logger: context.logger)
    }

    /// One A4 page of QR labels of a small batch (`?page=2` for the next 40).
    @Sendable func labels(_ request: Request, context: PortalContext) async throws -> Response {
        let batch = try await loadBatch(context, language: .en)
        guard batch.quantity <= SealLabelSheet.maximumLabels else { throw PublicError.notFound }
        let page = request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1
        guard page >= 1, page <= SealLabelSheet.pageCount(labels: batch.quantity) else { throw PublicError.notFound }
        let first = (page - 1) * SealLabelSheet.labelsPerPage
        var labels: [SealLabelSheet.Label] = []
        var index = 0
        try await exporter.forEachSeal(brandSlug: context.manager.brandSlug, batchID: batch.id) { seal in
            defer { index += 1 }
            guard index >= first, labels.count < SealLabelSheet.labelsPerPage else { return }
            labels.append(.init(serial: seal.serial, lot: seal.lot, url: seal.url, checkCode: seal.checkCode))
        }
        let svg = SealLabelSheet.page(labels, title: "\(batch.productName) · \(batch.gtin) · \(page)")
        return Response(
            status: .ok,
            headers: [
                .contentType: "image/svg+xml; charset=utf-8",
                .contentDisposition: "inline; filename=\"labels-batch-\(batch.id)-page-\(page).svg\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: svg)))
    }

    /// Stores a packaging line's CSV of serials as a batch: every row valid or nothing stored.
    @Sendable func importSerials(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageSeals)
        var request = request
        guard PortalUpload.isMultipart(request) else { throw PublicError.badRequest }
        let upload = try await PortalUpload.read(&request)
        let fields = upload.fields
        var problems: [String] = []
        let gtin = GTIN(fields["gtin"] ?? "")
        if gtin == nil { problems.append("portal_error_product_unknown") }
        let lot = (fields["lot"] ?? "").trimmingCharacters(in: .whitespaces)
        let status = SealStatus(rawValue: fields["initial_status"] ?? "") ?? .pending
        guard let file = upload.files["file"], file.bytes.readableBytes > 0 else {
            return try await renderIndex(request, context: context, form: fields, problems: problems + ["portal_import_no_file"], status: .unprocessableContent)
        }
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let parsed = SerialImportFile(bytes: Array(file.bytes.readableBytesView))
        var rowProblems = parsed.problems
        if let gtin, problems.isEmpty, rowProblems.isEmpty {
            do {
                let batchID = try await batches.importSerials(
                    brandID: context.manager.brandID, access: context.manager.access, actor: context.manager.auditActor, gtin: gtin,
                    lotCode: lot.isEmpty ? nil : lot, initialStatus: status == .active ? .active : .pending,
                    file: parsed, filename: file.filename)
                return Redirect(location: "/portal/seals/batches/\(batchID)").response
            } catch let problem as SealBatchProblem {
                problems.append(problem.messageKey)
            } catch let rejected as SealImportRejected {
                rowProblems = rejected.problems
                if rowProblems.isEmpty { problems.append("portal_import_conflict") }
            }
        }
        let messages = problems.map { strings[$0] } + rowProblems.map { $0.message(strings) }
        return try await renderIndex(
            request, context: context, form: fields, problems: [], messages: [strings["portal_import_rejected"]] + messages,
            status: .unprocessableContent)
    }

    @Sendable func showSeal(_ request: Request, context: PortalContext) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        guard let id = Int64(try context.parameters.require("seal")),
              let seal = try await seals.seal(brandID: context.manager.brandID, access: context.manager.access, id: id, language: language)
        else { throw PublicError.notFound }
        let consultations = try await seals.consultations(brandID: context.manager.brandID, sealID: seal.id)
        let tag = try await nfcTags.tag(brandID: context.manager.brandID, sealID: seal.id)
        let events = try await trace.events(brandID: context.manager.brandID, sealID: seal.id)
        let state = try await trace.state(brandID: context.manager.brandID, sealID: seal.id)
        return page.render("seal", request: request, session: context.session, active: .seals, context: [
            "seal": sealContext(seal, strings: strings, language: language),
            "traceState": state.map { state -> [String: Any] in
                [
                    "disposition": state.disposition.map {
                        TraceController.vocabularyLabel($0, prefix: "portal_trace_disposition_", strings: strings)
                    } ?? "",
                    "holder": state.holderName ?? state.holderGLN ?? "",
                    "holderURL": state.holderGLN.map { "/portal/trace/partners/\($0)" } ?? "",
                ].withoutEmptyStrings
            } ?? [:],
            // Shown once the supply chain has said something about the seal; its scans alone are listed below.
            "timeline": events.isEmpty ? [] : timeline(events: events, consultations: consultations, strings: strings, language: language),
            "mapSVG": consultations.isEmpty ? false : scanMap(consultations.map(\.country), strings: strings, language: language),
            "tag": tag.map { tag -> [String: Any] in
                [
                    "uid": Hex.encode(tag.uid).uppercased(), "keyVersion": tag.keyVersion,
                    "lastCounter": tag.lastCounter.map(String.init) ?? strings["portal_nfc_none"],
                    "lastTap": tag.lastTapAt ?? strings["portal_nfc_none"], "registeredAt": tag.registeredAt, "taps": tag.taps,
                ]
            } ?? [:],
            "consultations": consultations.map { consultation in
                [
                    "time": consultation.scannedAt,
                    "country": page.renderer.countries.name(of: consultation.country, in: language) ?? strings["country_unknown"],
                    "language": Language(rawValue: consultation.language).map { page.renderer.strings($0)["language_name"] } ?? consultation.language,
                    "verdict": strings["verdict_\(consultation.verdict)_title"],
                    "read": consultation.tapCounter.map { strings.format("portal_read_nfc", ["counter": String($0)]) }
                        ?? strings["portal_read_" + (["nfc": "nfc_refused", "typed": "typed"][consultation.channel] ?? "qr")],
                    "tone": Verdict(rawValue: consultation.verdict)?.tone.rawValue ?? "info",
                ]
            },
        ])
    }

    /// Where the seal was scanned, on the statistics dashboard's world map.
    private func scanMap(_ countries: [String], strings: LocalizedStrings, language: Language) -> String {
        let counts = Dictionary(countries.map { ($0, 1) }, uniquingKeysWith: +)
        let name = { (code: String) in page.renderer.countries.name(of: code, in: language) ?? strings["country_unknown"] }
        return worldMap.svg(
            id: "seal-map", title: strings["portal_seal_map"],
            description: counts.sorted { $0.value > $1.value }.map { "\(name($0.key)): \($0.value)" }.joined(separator: "; "),
            counts: counts, label: { code, count in "\(name(code)): \(count)" },
            legend: { low, high in low == high ? "\(low)" : "\(low)–\(high)" })
    }

    /// Events and consultations in one chronology, newest first.
    private func timeline(
        events: [TraceReportStore.SealEvent], consultations: [SealStore.Consultation], strings: LocalizedStrings, language: Language
    ) -> [[String: Any]] {
        var entries: [(time: String, order: Int, entry: [String: Any])] = []
        for (index, event) in events.enumerated() {
            let step = event.bizStep.map { TraceController.vocabularyLabel($0, prefix: "portal_trace_step_", strings: strings) }
            let disposition = event.disposition.map {
                TraceController.vocabularyLabel($0, prefix: "portal_trace_disposition_", strings: strings)
            }
            entries.append((event.time, index, [
                "time": event.time, "kind": strings["portal_timeline_event"], "isEvent": true,
                "what": [step, disposition].compactMap { $0 }.joined(separator: " → "),
                "place": event.holderName ?? event.holderGLN ?? "",
                "placeURL": event.holderGLN.map { "/portal/trace/partners/\($0)" } ?? "",
                "via": event.viaSSCC.map { strings.format("portal_timeline_via", ["sscc": $0]) } ?? "",
                "declaresError": event.declaresError,
            ].withoutEmptyStrings))
        }
        for (index, consultation) in consultations.enumerated() {
            entries.append((consultation.scannedAt, events.count + index, [
                "time": consultation.scannedAt, "kind": strings["portal_timeline_scan"], "isEvent": false,
                "what": strings["verdict_\(consultation.verdict)_title"],
                "place": page.renderer.countries.name(of: consultation.country, in: language) ?? strings["country_unknown"],
                "placeURL": "", "via": "", "declaresError": false,
                "tone": Verdict(rawValue: consultation.verdict)?.tone.rawValue ?? "info",
            ].withoutEmptyStrings))
        }
        return entries.sorted { ($0.time, $0.order) > ($1.time, $1.order) }.map(\.entry)
    }

    private func renderIndex(
        _ request: Request, context: PortalContext, form: [String: String], problems: [String], messages: [String] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let brandID = context.manager.brandID
        let list = try await batches.batches(brandID: brandID, access: context.manager.access, language: language)
        let products = try await catalogue.products(brandID: brandID, access: context.manager.access)
        let serial = request.uri.queryParameters["serial"].map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        var found: [[String: Any]]?
        if !serial.isEmpty {
            found = try await seals.find(brandID: brandID, access: context.manager.access, serial: serial, language: language).map {
                sealContext($0, strings: strings, language: language)
            }
        }
        let selectedGTIN = form["gtin"].flatMap { GTIN($0)?.digits }
        let selectedStatus = form["initial_status"] ?? "pending"
        return page.render("seals", request: request, session: context.session, active: .seals, context: [
            "canEdit": context.manager.role.allows(.manageSeals),
            "batches": list.map { Self.batchContext($0, strings: strings) },
            "errors": problems.uniqued().map { strings[$0] } + messages,
            "form": form,
            "maximumQuantity": SealBatchStore.maximumQuantity,
            "products": products.map { product in
                [
                    "gtin": product.gtin,
                    "name": product.name(in: language),
                    "selected": product.gtin == selectedGTIN,
                ] as [String: Any]
            },
            "statuses": [SealStatus.pending, .active].map {
                ["code": $0.rawValue, "label": strings["portal_status_\($0.rawValue)"], "selected": $0.rawValue == selectedStatus]
            },
            "search": ["serial": serial, "searched": found != nil, "results": found ?? []] as [String: Any],
        ], status: status)
    }

    private func loadBatch(_ context: PortalContext, language: Language) async throws -> SealBatchStore.BatchSummary {
        guard let id = Int64(try context.parameters.require("batch")),
              let batch = try await batches.batch(brandID: context.manager.brandID, access: context.manager.access, id: id, language: language)
        else { throw PublicError.notFound }
        return batch
    }

    private static func batchContext(_ batch: SealBatchStore.BatchSummary, strings: LocalizedStrings) -> [String: Any] {
        [
            "id": batch.id, "url": "/portal/seals/batches/\(batch.id)", "gtin": batch.gtin, "productName": batch.productName,
            "lot": batch.lotCode ?? "", "quantity": batch.quantity,
            "initialStatus": strings["portal_status_\(batch.initialStatus)"],
            "markets": batch.markets.isEmpty ? strings["portal_markets_any"] : batch.markets.joined(separator: ", "),
            "createdAt": batch.createdAt, "createdBy": batch.createdBy,
        ]
    }

    private func sealContext(_ seal: SealStore.Seal, strings: LocalizedStrings, language: Language) -> [String: Any] {
        [
            "id": seal.id, "url": "/portal/seals/\(seal.id)", "gtin": seal.gtin, "productName": seal.productName,
            "serial": seal.serial, "lot": seal.lotCode ?? "", "status": strings["portal_status_\(seal.status)"],
            "batchURL": seal.batchID.map { "/portal/seals/batches/\($0)" } ?? "", "batchID": seal.batchID.map(String.init) ?? "",
            "scanCount": seal.scanCount, "firstScannedAt": seal.firstScannedAt ?? "", "lastScannedAt": seal.lastScannedAt ?? "",
            "firstCountry": seal.firstCountry.flatMap { page.renderer.countries.name(of: $0, in: language) } ?? "",
        ]
    }
}
