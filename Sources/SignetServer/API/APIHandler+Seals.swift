import Foundation
import SignetAPI
import SignetCore

extension APIHandler {
    func createSealBatch(_ input: Operations.CreateSealBatch.Input) async throws -> Operations.CreateSealBatch.Output {
        let client = try APIClientScope.require(.sealsWrite)
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        var errors: [APIProblem.FieldError] = []
        let gtin = GTIN(body.gtin)
        if gtin == nil { errors.append(.init(field: "gtin", message: "8, 12, 13 or 14 digits with a valid check digit")) }
        if let lot = body.lot, !AI82.isValid(lot) { errors.append(.init(field: "lot", message: "1 to 20 characters of GS1 character set 82")) }
        if !(1...SealBatchStore.maximumQuantity).contains(body.quantity) {
            errors.append(.init(field: "quantity", message: "1 to \(SealBatchStore.maximumQuantity)"))
        }
        let length = body.serialLength ?? 10
        if SerialGenerator(length: length) == nil { errors.append(.init(field: "serial_length", message: "8 to 20")) }
        var markets: [String] = []
        switch CountryCode.parseList((body.markets ?? []).joined(separator: ",")) {
        case .success(let codes): markets = codes
        case .failure(let error): errors.append(.init(field: "markets", message: "\"\(error.text)\" is not a two-letter country code"))
        }
        guard let gtin, errors.isEmpty else { throw APIProblem.validation(errors) }
        let status: SealStatus = body.initialStatus == .active ? .active : .pending
        let created: (batchID: Int64, jobID: Int64)
        do {
            created = try await batches.create(
                brandID: client.brandID, access: client.access, actor: client.auditActor,
                .init(gtin: gtin, lotCode: body.lot, quantity: body.quantity, serialLength: length, initialStatus: status, markets: markets))
        } catch let problem as SealBatchProblem {
            throw APIProblem.validation([problem == .unknownLot
                ? .init(field: "lot", message: "the product has no lot with this code")
                : .init(field: "gtin", message: "this brand has no product with this GTIN")])
        }
        return .accepted(.init(
            headers: .init(location: "/api/v1/seal-batches/\(created.batchID)"),
            body: .json(try await render(client: client, batchID: created.batchID))))
    }

    func getSealBatch(_ input: Operations.GetSealBatch.Input) async throws -> Operations.GetSealBatch.Output {
        let client = try APIClientScope.require(.sealsRead)
        return .ok(.init(body: .json(try await render(client: client, batchID: input.path.id))))
    }

    func setSealBatchStatus(_ input: Operations.SetSealBatchStatus.Input) async throws -> Operations.SetSealBatchStatus.Output {
        let client = try APIClientScope.require(.sealsWrite)
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        guard try await batches.batch(brandID: client.brandID, access: client.access, id: input.path.id, language: .en) != nil else {
            throw APIProblem.notFound("This brand has no seal batch \(input.path.id).")
        }
        let selection: SealBatchStore.Selection
        switch (body.serials, body.serialRange) {
        case (nil, nil): selection = .all
        case (let serials?, nil): selection = .serials(serials)
        case (nil, let range?):
            guard AI82.isValid(range.from), AI82.isValid(range.to), range.from.utf8.lexicographicallyPrecedes(range.to.utf8) || range.from == range.to else {
                throw APIProblem.validation([.init(field: "serial_range", message: "two serials, from not after to")])
            }
            selection = .range(from: range.from, to: range.to)
        case (.some, .some):
            throw APIProblem.validation([.init(field: "serial_range", message: "send serials or serial_range, not both")])
        }
        let changed = try await batches.setStatus(
            brandID: client.brandID, actor: client.auditActor, batchID: input.path.id,
            to: body.status == .active ? .active : .deactivated, selection: selection)
        return .ok(.init(body: .json(.init(changed: changed))))
    }

    private func render(client: APIKeyStore.Client, batchID: Int64) async throws -> Components.Schemas.SealBatch {
        guard let batch = try await batches.batch(brandID: client.brandID, access: client.access, id: batchID, language: .en) else {
            throw APIProblem.notFound("This brand has no seal batch \(batchID).")
        }
        var job = Components.Schemas.SealBatch.JobPayload(state: .done, done: Int64(batch.quantity), total: Int64(batch.quantity))
        if let jobID = batch.jobID, let progress = try await jobs.progress(id: jobID, brandID: client.brandID) {
            job = .init(state: .init(rawValue: progress.state) ?? .queued, done: progress.done, total: progress.total, error: progress.error)
        }
        let counts = try await batches.statusCounts(brandID: client.brandID, batchID: batch.id)
        return .init(
            id: batch.id, gtin: batch.gtin, lot: batch.lotCode, quantity: batch.quantity, initialStatus: batch.initialStatus,
            markets: batch.markets, job: job, sealsByStatus: .init(additionalProperties: counts))
    }
}
