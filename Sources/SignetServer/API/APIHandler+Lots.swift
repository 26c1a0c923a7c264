import Foundation
import SignetAPI
import SignetCore

extension APIHandler {
    func listLots(_ input: Operations.ListLots.Input) async throws -> Operations.ListLots.Output {
        let client = try APIClientScope.require(.productsRead)
        let product = try await load(client: client, gtin: try Self.gtin(input.path.gtin))
        return .ok(.init(body: .json(.init(items: product.lots.map(Self.renderLot)))))
    }

    func createLot(_ input: Operations.CreateLot.Input) async throws -> Operations.CreateLot.Output {
        let client = try APIClientScope.require(.productsWrite)
        let product = try await load(client: client, gtin: try Self.gtin(input.path.gtin))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        var errors: [APIProblem.FieldError] = []
        if !AI82.isValid(body.code) { errors.append(.init(field: "code", message: "1 to 20 characters of GS1 character set 82")) }
        func date(_ field: String, _ text: String?) -> CalendarDate? {
            guard let text else { return nil }
            guard let date = CalendarDate(text) else {
                errors.append(.init(field: field, message: "a real day as YYYY-MM-DD"))
                return nil
            }
            return date
        }
        let produced = date("produced_on", body.producedOn), expires = date("expires_on", body.expiresOn)
        if let produced, let expires, expires < produced {
            errors.append(.init(field: "expires_on", message: "not before produced_on"))
        }
        guard errors.isEmpty else { throw APIProblem.validation(errors) }
        do {
            try await catalogue.createLot(
                brandID: client.brandID, actor: client.auditActor, gtin: product.gtin, code: body.code,
                producedOn: produced, expiresOn: expires)
        } catch CatalogueError.lotCodeTaken {
            throw APIProblem.conflict("Product \(product.gtin.digits) already has lot \(body.code).")
        }
        return .created(.init(body: .json(try await lot(client: client, gtin: product.gtin, code: body.code))))
    }

    func recallLot(_ input: Operations.RecallLot.Input) async throws -> Operations.RecallLot.Output {
        let client = try APIClientScope.require(.productsWrite)
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        var errors: [APIProblem.FieldError] = []
        for (code, text) in body.notice.additionalProperties {
            if Language(rawValue: code) == nil { errors.append(.init(field: "notice.\(code)", message: "one of en, fr, de, es")) }
            if text.count > ProductForm.maximumTextLength {
                errors.append(.init(field: "notice.\(code)", message: "at most \(ProductForm.maximumTextLength) characters"))
            }
        }
        guard errors.isEmpty else { throw APIProblem.validation(errors) }
        let lot = try await setRecalled(true, notice: body.notice.additionalProperties, client: client, input.path.gtin, input.path.code)
        return .ok(.init(body: .json(lot)))
    }

    func releaseLot(_ input: Operations.ReleaseLot.Input) async throws -> Operations.ReleaseLot.Output {
        let client = try APIClientScope.require(.productsWrite)
        return .ok(.init(body: .json(try await setRecalled(false, notice: [:], client: client, input.path.gtin, input.path.code))))
    }

    private func setRecalled(
        _ recalled: Bool, notice: [String: String], client: APIKeyStore.Client, _ gtinText: String, _ code: String
    ) async throws -> Components.Schemas.Lot {
        let gtin = try Self.gtin(gtinText)
        _ = try await load(client: client, gtin: gtin)
        do {
            try await catalogue.setLotRecalled(
                brandID: client.brandID, actor: client.auditActor, gtin: gtin, code: code, recalled: recalled, notice: notice)
        } catch CatalogueError.lotNotFound {
            throw APIProblem.notFound("Product \(gtin.digits) of this brand has no lot \(code).")
        }
        return try await lot(client: client, gtin: gtin, code: code)
    }

    private func lot(client: APIKeyStore.Client, gtin: GTIN, code: String) async throws -> Components.Schemas.Lot {
        let product = try await load(client: client, gtin: gtin)
        guard let lot = product.lots.first(where: { $0.code == code }) else {
            throw APIProblem.notFound("Product \(gtin.digits) has no lot \(code).")
        }
        return Self.renderLot(lot)
    }
}
