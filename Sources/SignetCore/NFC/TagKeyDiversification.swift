/// Each tag's AES keys, derived from the brand's master key and the tag's
/// UID (NXP AN10922, AES-128 diversification), so no per-tag key is ever
/// stored: whoever reads one tag's keys out of it learns nothing about the
/// others', and the server computes a tag's keys from its UID when it is tapped.
public enum TagKeyDiversification {
    /// Which of the tag's keys: the numbers the tag's file settings name.
    public enum Purpose: UInt8, Sendable {
        case metaRead = 3
        case fileRead = 4
    }

    /// Names Signet's keys in the diversification input, so the same master key used elsewhere gives other keys.
    static let systemIdentifier = Array("SignetSDM".utf8)

    /// The tag's key for `purpose` at `version` (a rotated master key is a new version).
    public static func key(master: [UInt8], uid: [UInt8], purpose: Purpose, version: UInt8) -> [UInt8] {
        precondition(master.count == 16 && uid.count == 7, "an AES-128 master key and a 7-byte UID")
        return diversify(master: master, input: uid + [purpose.rawValue, version] + systemIdentifier)
    }

    /// AN10922's AES-128 diversification: the CMAC of `0x01 ‖ input`, where the
    /// note pads that to 32 bytes and uses CMAC's second subkey. For inputs of
    /// 16 to 31 bytes this is exactly the standard CMAC of `0x01 ‖ input`
    /// (which pads to the same 32 bytes with the same subkey, or takes 32 bytes
    /// as they are), so the library's CMAC is used and shorter inputs are refused.
    static func diversify(master: [UInt8], input: [UInt8]) -> [UInt8] {
        precondition((16...31).contains(input.count), "AN10922 input of 16 to 31 bytes")
        return AES128.cmac(key: master, [0x01] + input)
    }
}
