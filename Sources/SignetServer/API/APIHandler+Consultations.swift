import Foundation
import SignetAPI
import SignetCore

extension APIHandler {
    func listConsultations(_ input: Operations.ListConsultations.Input) async throws -> Operations.ListConsultations.Output {
        let client = try APIClientScope.require(.consultationsRead)
        let query = input.query
        var errors: [APIProblem.FieldError] = []
        let limit = try Self.pageSize(query.limit)
        var gtin: String?
        if let text = query.gtin {
            if let parsed = GTIN(text) { gtin = parsed.digits } else { errors.append(.init(field: "gtin", message: "not a GTIN")) }
        }
        var country: String?
        if let text = query.country {
            if text == "unknown" || (text.count == 2 && text.allSatisfy { $0.isUppercase && $0.isASCII }) {
                country = text
            } else {
                errors.append(.init(field: "country", message: "two capital letters, or unknown"))
            }
        }
        var before: (Int64, Int64)?
        if let cursor = query.cursor {
            if let parts = PageCursor.decode(cursor, parts: 2), let micros = Int64(parts[0]), let id = Int64(parts[1]) {
                before = (micros, id)
            } else {
                errors.append(.init(field: "cursor", message: "not a cursor of this list"))
            }
        }
        guard errors.isEmpty else { throw APIProblem.validation(errors) }
        let rows = try await consultations.list(brandID: client.brandID, .init(
            from: query.from, to: query.to, gtin: gtin, country: country, verdict: query.verdict?.rawValue,
            productIDs: client.access.productIDs, before: before, limit: limit + 1))
        let page = rows.prefix(limit)
        return .ok(.init(body: .json(.init(
            items: page.map { row in
                .init(id: row.id, scannedAt: row.scannedAt, gtin: row.gtin, serial: row.serial, lot: row.lot, country: row.country,
                      servedLanguage: .init(rawValue: row.servedLanguage) ?? .en, requestedLanguage: row.requestedLanguage,
                      verdict: .init(rawValue: row.verdict) ?? .counterfeit, scanNumber: row.scanNumber, channel: row.channel)
            },
            nextCursor: rows.count > limit ? page.last.map { PageCursor.encode([String($0.scannedAtMicros), String($0.id)]) } : nil))))
    }
}
