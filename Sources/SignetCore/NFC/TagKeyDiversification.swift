/// The AES keys of a brand's tags, derived from the brand's master key (NXP
/// AN10922, AES-128 diversification), so no tag key is ever stored.
///
/// The meta read key, which only hides the UID and counter, is one per brand
/// and key version: the server must decrypt PICCData before it knows which
/// tag it is reading. The file read key, from which the MAC's session key
/// comes, is the tag's own, derived from its UID: whoever reads one tag's key
/// out of its chip can forge no other tag's taps.
public enum TagKeyDiversification {
    /// The key numbers a tag's SDM file settings name.
    public static let metaReadKeyNumber: UInt8 = 3
    public static let fileReadKeyNumber: UInt8 = 4

    /// Names Signet's keys in the diversification input, so the same master key used elsewhere gives other keys.
    static let systemIdentifier = Array("SignetSDM".utf8)

    /// The brand's meta read key at `version` (a rotated master key is a new version).
    public static func metaReadKey(master: [UInt8], version: UInt8) throws -> [UInt8] {
        precondition(master.count == 16, "an AES-128 master key")
        return try diversify(master: master, input: systemIdentifier + Array("MetaRead".utf8) + [metaReadKeyNumber, version])
    }

    /// The file read key of the tag with `uid`, at `version`.
    public static func fileReadKey(master: [UInt8], uid: [UInt8], version: UInt8) throws -> [UInt8] {
        precondition(master.count == 16 && uid.count == 7, "an AES-128 master key and a 7-byte UID")
        return try diversify(master: master, input: uid + [fileReadKeyNumber, version] + systemIdentifier)
    }

    /// AN10922's AES-128 diversification: the CMAC of `0x01 ‖ input`, where the
    /// note pads that to 32 bytes and uses CMAC's second subkey. For inputs of
    /// 16 to 31 bytes this is exactly the standard CMAC of `0x01 ‖ input`
    /// (which pads to the same 32 bytes with the same subkey, or takes 32 bytes
    /// as they are), so the library's CMAC is used and shorter inputs are refused.
    static func diversify(master: [UInt8], input: [UInt8]) throws -> [UInt8] {
        precondition((16...31).contains(input.count), "AN10922 input of 16 to 31 bytes")
        return try AES128.cmac(key: master, [0x01] + input)
    }
}
