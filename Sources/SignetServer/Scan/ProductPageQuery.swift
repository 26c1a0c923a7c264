import PostgresNIO
import SignetCore

/// A product's texts in every language plus, when asked, one of its lots:
/// the page behind `/01/{gtin}` and `/01/{gtin}/10/{lot}`, which verifies nothing
/// and records nothing.
struct ProductPageQuery: PostgresPreparedStatement {
    static let sql = """
        SELECT p.default_language::text, b.name, b.support_email, p.image_url,
               t.language::text, t.name, t.description, t.origin, t.composition, t.warnings,
               l.code, to_char(l.produced_on, 'YYYY-MM-DD'), to_char(l.expires_on, 'YYYY-MM-DD'),
               l.status = 'recalled', l.recall_notice::text,
               t.hazards, t.allergens, t.instructions, t.characteristics::text
        FROM products p
        JOIN brands b ON b.id = p.brand_id
        JOIN product_translations t ON t.product_id = p.id
        LEFT JOIN lots l ON l.product_id = p.id AND l.code = $2
        WHERE p.gtin = $1
        """

    var gtin: String
    var lot: String?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(gtin)
        bindings.append(lot)
        return bindings
    }

    struct Row: Sendable {
        var defaultLanguage: String
        var brandName: String
        var supportEmail: String?
        var imageURL: String?
        var language: String
        var name: String
        var description: String
        var origin: String
        var composition: String
        var warnings: String
        var hazards: String
        var allergens: String
        var instructions: String
        var characteristics: [Characteristic]
        var lotCode: String?
        var producedOn: String?
        var expiresOn: String?
        var lotRecalled: Bool?
        var recallNotice: String?
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let cells = row.makeRandomAccess()
        return Row(
            defaultLanguage: try cells[0].decode(String.self), brandName: try cells[1].decode(String.self),
            supportEmail: try cells[2].decode(String?.self), imageURL: try cells[3].decode(String?.self),
            language: try cells[4].decode(String.self), name: try cells[5].decode(String.self),
            description: try cells[6].decode(String.self), origin: try cells[7].decode(String.self),
            composition: try cells[8].decode(String.self), warnings: try cells[9].decode(String.self),
            hazards: try cells[15].decode(String.self), allergens: try cells[16].decode(String.self),
            instructions: try cells[17].decode(String.self),
            characteristics: ProductText.decodeCharacteristics(try cells[18].decode(String.self)),
            lotCode: try cells[10].decode(String?.self), producedOn: try cells[11].decode(String?.self),
            expiresOn: try cells[12].decode(String?.self), lotRecalled: try cells[13].decode(Bool?.self),
            recallNotice: try cells[14].decode(String?.self))
    }
}
