/// The signed URL printed in a seal's QR code or written to its NFC chip.
public enum SealURL {
    /// `{origin}/01/{gtin}[/10/{lot}]/21/{serial}?t={token}`
    public static func make(origin: String, gtin: GTIN, lot: String?, serial: String, key: [UInt8]) -> String {
        let link = DigitalLink(gtin: gtin, lot: lot, serial: serial)
        return origin + link.path + "?t=" + SealToken.make(gtin: gtin, serial: serial, key: key)
    }
}
