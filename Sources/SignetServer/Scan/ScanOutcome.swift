import Foundation
import SignetCore

/// What one scan produced, as the scan statement returns it.
struct ScanOutcome: Sendable {
    /// The verdict stored with the consultation.
    var verdict: Verdict
    /// The brand's support address when the GTIN is known, for "report a problem".
    var supportEmail: String?
    var language: Language
    var consultationID: Int64
    var facts: ScanFacts
    /// `YYYY-MM-DD`, UTC.
    var firstScannedOn: String?
    var firstCountry: String?
    /// Where the seal was verified, first first (at most eight).
    var countries: [String] = []
    /// The seal's lot's expiry date, `YYYY-MM-DD`, for the `expired` page.
    var lotExpiresOn: String?
    /// The "Report a problem" form of this scan (`ReportLink`), on verdicts
    /// that are not genuine; nil otherwise, and for GTINs no brand owns.
    var reportFormURL: String?
    /// The points a genuine first scan offers to claim, when the brand runs a
    /// loyalty programme; the same for every scan of one skeleton.
    var claimPoints: Int?
    /// The signed claim of this scan (`ClaimToken`), with `claimPoints`.
    var claimToken: String?
    /// Nil for counterfeits: their page shows no product.
    var product: ProductText?
    var lot: LotFacts?
    /// On `recalled` pages: the lot's recall notice, else that of the recall of the seal's container or serial.
    var recallNotice: String?
}

/// A product's texts in one language, each field already falling back to the
/// product's default language.
struct ProductText: Sendable {
    var brandName: String
    var imageURL: String?
    var languages: [Language]
    var name: String
    var description: String
    var origin: String
    var composition: String
    var warnings: String
    /// One hazard statement per line.
    var hazards: String
    var allergens: String
    var instructions: String
    var characteristics: [Characteristic]

    /// Reads the `characteristics` column's JSON; nothing when absent or unreadable.
    static func decodeCharacteristics(_ json: String?) -> [Characteristic] {
        guard let json else { return [] }
        return (try? JSONDecoder().decode([Characteristic].self, from: Data(json.utf8))) ?? []
    }
}

struct LotFacts: Sendable {
    var code: String
    /// `YYYY-MM-DD`.
    var producedOn: String?
    var expiresOn: String?
    /// In the page language when the brand wrote one, else its default, else English.
    var recallNotice: String?
}
