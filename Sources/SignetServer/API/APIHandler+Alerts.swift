import Foundation
import SignetAPI
import SignetCore

extension APIHandler {
    func listAlerts(_ input: Operations.ListAlerts.Input) async throws -> Operations.ListAlerts.Output {
        let client = try APIClientScope.require(.alertsRead)
        let query = input.query
        var errors: [APIProblem.FieldError] = []
        let limit = try Self.pageSize(query.limit)
        var types: [String]?
        if let text = query._type {
            let names = text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            let unknown = names.filter { AlertType(rawValue: $0) == nil }
            if unknown.isEmpty && !names.isEmpty { types = names } else {
                errors.append(.init(field: "type", message: "unknown alert type \(unknown.first ?? "")"))
            }
        }
        var gtin: String?
        if let text = query.gtin {
            if let parsed = GTIN(text) { gtin = parsed.digits } else { errors.append(.init(field: "gtin", message: "not a GTIN")) }
        }
        if let country = query.country, !Self.isCountry(country) {
            errors.append(.init(field: "country", message: "two capital letters, or unknown"))
        }
        var before: Int64?
        if let cursor = query.cursor {
            if let parts = PageCursor.decode(cursor, parts: 1), let id = Int64(parts[0]) { before = id } else {
                errors.append(.init(field: "cursor", message: "not a cursor of this list"))
            }
        }
        guard errors.isEmpty else { throw APIProblem.validation(errors) }
        let rows = try await alerts.list(brandID: client.brandID, .init(
            types: types, statuses: query.status.map { [$0.rawValue] }, gtin: gtin, country: query.country,
            from: query.from, to: query.to, productIDs: client.access.productIDs, before: before, limit: limit + 1))
        let page = rows.prefix(limit)
        return .ok(.init(body: .json(.init(
            items: page.map(Self.render),
            nextCursor: rows.count > limit ? page.last.map { PageCursor.encode([String($0.id)]) } : nil))))
    }

    func acknowledgeAlert(_ input: Operations.AcknowledgeAlert.Input) async throws -> Operations.AcknowledgeAlert.Output {
        .ok(.init(body: .json(try await changeAlert(input.path.id, to: .acknowledged, note: nil))))
    }

    func resolveAlert(_ input: Operations.ResolveAlert.Input) async throws -> Operations.ResolveAlert.Output {
        var note: String?
        if case .json(let body) = input.body { note = body.note?.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let note, note.count > 2000 { throw APIProblem.validation([.init(field: "note", message: "at most 2000 characters")]) }
        return .ok(.init(body: .json(try await changeAlert(input.path.id, to: .resolved, note: note?.isEmpty == true ? nil : note))))
    }

    func reopenAlert(_ input: Operations.ReopenAlert.Input) async throws -> Operations.ReopenAlert.Output {
        .ok(.init(body: .json(try await changeAlert(input.path.id, to: .open, note: nil))))
    }

    private func changeAlert(_ id: Int64, to status: AlertStatus, note: String?) async throws -> Components.Schemas.Alert {
        let client = try APIClientScope.require(.alertsWrite)
        guard let alert = try await alerts.change(
            brandID: client.brandID, id: id, to: status, note: note, productIDs: client.access.productIDs, actor: client.auditActor,
            userID: nil)
        else { throw APIProblem.notFound("No alert \(id).") }
        return Self.render(alert)
    }

    static func render(_ alert: AlertStore.Alert) -> Components.Schemas.Alert {
        .init(
            id: alert.id, _type: .init(rawValue: alert.type.rawValue) ?? .counterfeit,
            status: .init(rawValue: alert.status.rawValue) ?? .open,
            seal: .init(gtin: alert.gtin, serial: alert.serial), lot: alert.lot, country: alert.country,
            language: alert.language.flatMap { .init(rawValue: $0.rawValue) },
            verdict: .init(rawValue: alert.verdict) ?? .counterfeit, scannedAt: alert.scannedAt, createdAt: alert.createdAt,
            consultationId: alert.consultationID, detail: .init(additionalProperties: alert.detail), note: alert.note,
            statusChangedAt: alert.statusChangedAt, informational: alert.informational,
            report: alert.report.map { report in
                .init(
                    id: report.id, message: report.message,
                    purchasePlace: .init(rawValue: report.purchasePlace) ?? .other, seller: report.seller, hasPhoto: report.hasPhoto)
            })
    }

    static func isCountry(_ text: String) -> Bool {
        text == "unknown" || (text.count == 2 && text.allSatisfy { $0.isUppercase && $0.isASCII })
    }
}
