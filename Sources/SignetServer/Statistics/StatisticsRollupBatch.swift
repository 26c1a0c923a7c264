import Foundation
import SignetCore

/// A batch of the consultation stream as the rollups count it, with its
/// sketches built here: one hourly row per brand, UTC hour, product, country,
/// served language and verdict, one daily row per brand, UTC day and value
/// of each dimension, plus the day's total ('all'), and, for consultations
/// of hours whose pair rollups were derived already, one row per pair of
/// dimensions and their values, per dimension and value, and the total
/// (`latePairs`, by UTC hour, named as `stats_pairs.dimensions`; SQL adds
/// them to the day, week and month of each zone that derived the hour, the
/// ones of a single dimension to zones other than UTC only, and to their
/// hour's rows in UTC).
///
/// PostgreSQL used to build them from the consultations: a 2 KiB bit string
/// per consultation and sketch, OR-ed into every row it counts in (a dozen
/// 2 KiB copies per consultation), which cost the database about half as
/// much as the scan statement itself. Here a consultation sets one bit per
/// sketch in place, and PostgreSQL only upserts the rows.
///
/// The same mapping as `stats_source`, `signet_stats_daily_of` and
/// `signet_stats_derive_pairs` (migrations 0021, 0033 and 0038), which
/// rebuilds use: the recording and pair tests check that live rollups and
/// rebuilds agree, sketches included.
struct StatisticsRollupBatch {
    struct HourlyKey: Hashable {
        var brandID: Int64
        var hour: Date
        var productID: Int64
        var country: String
        var language: String
        var verdict: String
    }

    struct DailyKey: Hashable {
        var brandID: Int64
        var dimension: String
        var value: String
        var day: Date
    }

    struct PairKey: Hashable {
        var brandID: Int64
        /// The rows' name, as `stats_pairs.dimensions`: "country,language" and so on, "country", "all".
        var dimensions: String
        var first: String
        var second: String
        var hour: Date
    }

    struct Counts {
        var consultations: Int64 = 0
        var seals = HyperLogLog()
        var visitors = HyperLogLog()

        mutating func add(sealHash: UInt64?, visitorHash: UInt64?) {
            consultations += 1
            if let sealHash { seals.insert(hash: sealHash) }
            if let visitorHash { visitors.insert(hash: visitorHash) }
        }
    }

    private(set) var hourly: [HourlyKey: Counts] = [:]
    private(set) var daily: [DailyKey: Counts] = [:]
    /// Only the seals' sketch is kept for pairs.
    private(set) var latePairs: [PairKey: Counts] = [:]

    /// Consultations without a brand or a product (unknown GTINs) belong to no one's statistics.
    /// - Parameter pairsDerivedUntil: per brand, the first UTC hour whose pair rollups are not derived yet in
    ///   any of its zones.
    init(_ consultations: [StreamedConsultation], pairsDerivedUntil: [Int64: Date] = [:]) {
        for consultation in consultations {
            guard let brandID = consultation.brandID, let productID = consultation.productID else { continue }
            let sealHash = consultation.sealHash.map { UInt64(bitPattern: $0) }
            let visitorHash = consultation.visitor.map(Self.visitorHash)
            let hour = Self.start(of: consultation.scannedAt, length: 3_600)
            let day = Self.start(of: consultation.scannedAt, length: 86_400)
            hourly[HourlyKey(brandID: brandID, hour: hour, productID: productID, country: consultation.country,
                             language: consultation.servedLanguage, verdict: consultation.verdict), default: Counts()]
                .add(sealHash: sealHash, visitorHash: visitorHash)
            for (dimension, value) in [("all", ""), ("country", consultation.country), ("language", consultation.servedLanguage),
                                       ("verdict", consultation.verdict), ("product", String(productID))] {
                daily[DailyKey(brandID: brandID, dimension: dimension, value: value, day: day), default: Counts()]
                    .add(sealHash: sealHash, visitorHash: visitorHash)
            }
            guard let derivedUntil = pairsDerivedUntil[brandID], hour < derivedUntil else { continue }
            let (country, language, product, verdict) = (consultation.country, consultation.servedLanguage, String(productID), consultation.verdict)
            for (dimensions, first, second) in [("country,language", country, language), ("country,product", country, product),
                                                ("country,verdict", country, verdict), ("language,product", language, product),
                                                ("language,verdict", language, verdict), ("product,verdict", product, verdict),
                                                ("all", "", ""), ("country", country, ""), ("language", language, ""),
                                                ("product", product, ""), ("verdict", verdict, "")] {
                latePairs[PairKey(brandID: brandID, dimensions: dimensions, first: first, second: second, hour: hour), default: Counts()]
                    .add(sealHash: sealHash, visitorHash: nil)
            }
        }
    }

    var isEmpty: Bool { hourly.isEmpty }

    /// The visitor fingerprint is already an HMAC: its first 8 bytes, big-endian, are the hash.
    static func visitorHash(_ fingerprint: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0
        for index in 0..<8 {
            hash = hash << 8 | UInt64(index < fingerprint.count ? fingerprint[index] : 0)
        }
        return hash
    }

    /// The start of the UTC hour or day holding `date` (Unix time has no leap seconds).
    static func start(of date: Date, length: Double) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / length).rounded(.down) * length)
    }
}
