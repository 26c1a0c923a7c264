import Logging
import PostgresNIO
import SignetCore
import SignetServer

/// The URL a seal's registered NFC tag would write at a given read counter,
/// made with the brand's master key: what the demo prints and what a
/// packaging line compares a freshly programmed tag's URL with.
enum NFCTapLink {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// - Parameter counter: nil for one past the tag's last accepted counter.
    static func make(
        brand: String, serial: String, gtin: String?, counter: UInt32?, fileData: [UInt8]?,
        configuration: SignetConfiguration, database: PostgresClient, logger: Logger
    ) async throws -> String {
        let rows = try await database.query("""
            SELECT p.gtin, l.code, t.uid, t.key_version, t.last_counter, array_to_string(b.nfc_parameters, ','), b.nfc_mac_input FROM seals s
            JOIN products p ON p.id = s.product_id JOIN brands b ON b.id = s.brand_id LEFT JOIN lots l ON l.id = s.lot_id
            JOIN nfc_tags t ON t.seal_id = s.id
            WHERE b.slug = \(brand) AND s.serial = \(serial) AND (\(gtin)::text IS NULL OR p.gtin = \(gtin))
            """, logger: logger).collect()
        guard rows.count == 1, let row = rows.first else {
            throw Problem(description: rows.isEmpty ? "brand \(brand) has no seal \(serial) with an NFC tag" : "several seals \(serial): give --gtin")
        }
        let (gtinDigits, lot, uid, version, last, names, macInput)
            = try row.decode((String, String?, ByteBuffer, Int16, Int32, String, String).self)
        guard let master = configuration.nfcKeys.master(brand: brand, version: UInt8(version)) else {
            throw Problem(description: "SIGNET_NFC_KEYS_FILE has no key version \(version) for \(brand)")
        }
        let tagUID = Array(uid.readableBytesView)
        let keys = SecureDynamicMessage.Keys(
            metaRead: try TagKeyDiversification.metaReadKey(master: master, version: UInt8(version)),
            fileRead: try TagKeyDiversification.fileReadKey(master: master, uid: tagUID, version: UInt8(version)))
        guard let gtin = GTIN(gtinDigits) else { throw Problem(description: "bad GTIN \(gtinDigits)") }
        let next = counter ?? UInt32(max(0, Int(last) + 1))
        guard next < 1 << 24 else { throw Problem(description: "the tag's counter is spent (it counts in 24 bits)") }
        let query = try SimulatedTap.query(
            uid: tagUID, counter: next, fileData: fileData, keys: keys,
            names: SUNParameters.Names(list: names, macInputStart: .init(rawValue: macInput) ?? .fileData) ?? SUNParameters.Names())
        return configuration.publicURL + DigitalLink(gtin: gtin, lot: lot, serial: serial).path + "?" + query
    }
}
