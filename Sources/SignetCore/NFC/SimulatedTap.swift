/// What an NTAG 424 DNA writes into its URL on a tap, made in software with
/// the same keys: for tests, for the demo's tap links, and for a packaging
/// line comparing a programmed tag's URL with what Signet expects.
public enum SimulatedTap {
    /// The query a tag would write: `e=PICCData`, optionally `m=file data`
    /// (padded with zeros to whole AES blocks), then `c=MAC`, in upper-case
    /// hexadecimal as tags write it.
    public static func query(
        uid: [UInt8], counter: UInt32, fileData: [UInt8]? = nil, keys: SecureDynamicMessage.Keys,
        names: SUNParameters.Names = SUNParameters.Names()
    ) throws -> String {
        precondition(uid.count == 7 && counter < 1 << 24, "a 7-byte UID and a 24-bit counter")
        let counterBytes: [UInt8] = [UInt8(counter & 0xFF), UInt8(counter >> 8 & 0xFF), UInt8(counter >> 16 & 0xFF)]
        // The tag fills the block's last five bytes with random data; any bytes do.
        let picc = try AES128.encryptCBC(
            key: keys.metaRead, [SecureDynamicMessage.piccDataTag] + uid + counterBytes + [UInt8](repeating: 0x5A, count: 5))
        var query = "\(names.piccData)=\(hex(picc))&"
        if var plain = fileData {
            plain += [UInt8](repeating: 0, count: (AES128.blockSize - plain.count % AES128.blockSize) % AES128.blockSize)
            let sessionKey = try AES128.cmac(key: keys.fileRead, [0xC3, 0x3C, 0x00, 0x01, 0x00, 0x80] + uid + counterBytes)
            let iv = try AES128.encryptBlock(key: sessionKey, counterBytes + [UInt8](repeating: 0, count: 13))
            let encrypted = hex(try AES128.encryptCBC(key: sessionKey, iv: iv, plain))
            query += "\(names.fileData)=\(encrypted)&"
        }
        query += "\(names.mac)="
        // The MAC input as the server reads it back: from where the brand's tags start it to the MAC's `=`.
        let start: String.Index? = switch names.macInputStart {
        case .piccData: query.index(query.startIndex, offsetBy: names.piccData.count + 1)
        case .fileData: query.range(of: "&\(names.fileData)=").map(\.upperBound)
        }
        let macInput = start.map { Array(query[$0...].utf8) } ?? []
        let mac = try SecureDynamicMessage.mac(macInput, uid: uid, counter: counterBytes, fileReadKey: keys.fileRead)
        return query + hex(mac)
    }

    private static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes).uppercased() }
}
