import Foundation
import SignetAPI
import SignetCore

extension APIHandler {
    func listPartners(_ input: Operations.ListPartners.Input) async throws -> Operations.ListPartners.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.eventsRead))
        return .ok(.init(body: .json(.init(items: try await partners.list(brandID: client.brandID).map(Self.render)))))
    }

    func createPartner(_ input: Operations.CreatePartner.Input) async throws -> Operations.CreatePartner.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.eventsWrite))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        var errors: [APIProblem.FieldError] = []
        let gln = GLN(body.gln)
        if gln == nil { errors.append(.init(field: "gln", message: "13 digits ending in a valid check digit")) }
        let partnerInput = Self.partnerInput(name: body.name, kind: body.kind, countries: body.countries, errors: &errors)
        guard let gln, let partnerInput, errors.isEmpty else { throw APIProblem.validation(errors) }
        do {
            try await partners.create(brandID: client.brandID, gln: gln, partnerInput, actor: client.auditActor)
        } catch PartnerStore.Problem.glnTaken {
            throw APIProblem.conflict("This brand already has a partner with GLN \(gln.digits).")
        }
        return .created(.init(body: .json(try await partner(client: client, gln: gln))))
    }

    func getPartner(_ input: Operations.GetPartner.Input) async throws -> Operations.GetPartner.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.eventsRead))
        return .ok(.init(body: .json(try await partner(client: client, gln: try Self.partnerGLN(input.path.gln)))))
    }

    func updatePartner(_ input: Operations.UpdatePartner.Input) async throws -> Operations.UpdatePartner.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.eventsWrite))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        let gln = try Self.partnerGLN(input.path.gln)
        var errors: [APIProblem.FieldError] = []
        guard let partnerInput = Self.partnerInput(name: body.name, kind: body.kind, countries: body.countries, errors: &errors),
              errors.isEmpty
        else { throw APIProblem.validation(errors) }
        guard try await partners.update(brandID: client.brandID, gln: gln, partnerInput, actor: client.auditActor) else {
            throw APIProblem.notFound("This brand has no partner with GLN \(gln.digits).")
        }
        return .ok(.init(body: .json(try await partner(client: client, gln: gln))))
    }

    func deletePartner(_ input: Operations.DeletePartner.Input) async throws -> Operations.DeletePartner.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.eventsWrite))
        let gln = try Self.partnerGLN(input.path.gln)
        guard try await partners.delete(brandID: client.brandID, gln: gln, actor: client.auditActor) else {
            throw APIProblem.notFound("This brand has no partner with GLN \(gln.digits).")
        }
        return .noContent(.init())
    }

    private func partner(client: APIKeyStore.Client, gln: GLN) async throws -> Components.Schemas.Partner {
        guard let partner = try await partners.find(brandID: client.brandID, gln: gln) else {
            throw APIProblem.notFound("This brand has no partner with GLN \(gln.digits).")
        }
        return Self.render(partner)
    }

    private static func partnerGLN(_ text: String) throws -> GLN {
        guard let gln = GLN(text) else { throw APIProblem.notFound("This brand has no partner with GLN \(text).") }
        return gln
    }

    /// Name 1 to 200 characters, a known kind, ISO country codes.
    static func partnerInput(name: String, kind: String, countries: [String]?, errors: inout [APIProblem.FieldError]) -> PartnerStore.Input? {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 200 { errors.append(.init(field: "name", message: "1 to 200 characters")) }
        let kindValue = PartnerStore.Kind(rawValue: kind)
        if kindValue == nil { errors.append(.init(field: "kind", message: "distributor, retailer, warehouse or other")) }
        var codes: [String] = []
        switch CountryCode.parseList((countries ?? []).joined(separator: ",")) {
        case .success(let list): codes = list
        case .failure(let error): errors.append(.init(field: "countries", message: "\(error.text) is not an ISO 3166-1 alpha-2 code"))
        }
        guard let kindValue else { return nil }
        return PartnerStore.Input(name: name, kind: kindValue, countries: codes)
    }

    private static func render(_ partner: PartnerStore.Partner) -> Components.Schemas.Partner {
        .init(gln: partner.gln.digits, name: partner.name, kind: partner.kind.rawValue, countries: partner.countries,
              unitsHeld: partner.unitsHeld, createdAt: partner.createdAt)
    }
}
