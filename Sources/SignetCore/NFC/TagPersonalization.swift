/// What a packaging line writes to an NTAG 424 DNA seal so that its taps
/// reach Signet: the NDEF file (one URI record of the seal's Digital Link with
/// placeholders where the tag mirrors its secure message) and the SDM offsets
/// into that file. Wrong offsets are the first cause of MACs that never
/// verify, so they are computed here, from the same URL, never by hand.
public struct TagPersonalization: Sendable, Equatable {
    /// The URL with zeros where the tag writes its values.
    public var urlTemplate: String
    /// The NDEF file's bytes: NLEN, then the short URI record.
    public var ndefFile: [UInt8]
    /// Offsets into the NDEF file, as `ChangeFileSettings` takes them.
    public var piccDataOffset: Int
    public var macInputOffset: Int
    public var macOffset: Int
    /// Where the encrypted file data goes and its length in characters, when the tag mirrors some.
    public var encryptedFileOffset: Int?
    public var encryptedFileLength: Int?

    /// The PICCData's length in the URL: 16 bytes in hexadecimal.
    public static let piccDataLength = 32
    /// The MAC's length in the URL: 8 bytes in hexadecimal.
    public static let macLength = 16

    public enum Problem: Error, Sendable, Equatable {
        /// The record would not fit a short NDEF record (255 bytes of payload).
        case urlTooLong
        /// File data is mirrored in whole AES blocks: 16, 32, 48… bytes.
        case fileDataLength
    }

    /// The personalization of a tag whose taps open `link` (scheme, host and
    /// path, without a query), with `fileDataBytes` bytes of encrypted file
    /// data (0: none) and the brand's parameter names.
    public static func make(link: String, fileDataBytes: Int = 0, names: SUNParameters.Names = .init())
        -> Result<TagPersonalization, Problem>
    {
        guard fileDataBytes >= 0, fileDataBytes % 16 == 0 else { return .failure(.fileDataLength) }
        // Positions in the URL's UTF-8 bytes, taken as each value is appended.
        var url = link + "?" + names.piccData + "="
        let piccAt = url.utf8.count
        url += String(repeating: "0", count: piccDataLength)
        var fileAt: Int?
        if fileDataBytes > 0 {
            url += "&" + names.fileData + "="
            fileAt = url.utf8.count
            url += String(repeating: "0", count: fileDataBytes * 2)
        }
        url += "&" + names.mac + "="
        let macAt = url.utf8.count
        url += String(repeating: "0", count: macLength)

        // URI identifier codes (NFC Forum URI RTD): a known prefix is written as one byte.
        let prefixes: [(code: UInt8, text: String)] = [(0x04, "https://"), (0x03, "http://")]
        let prefix = prefixes.first { url.hasPrefix($0.text) } ?? (0x00, "")
        let payload = [prefix.code] + Array(url.utf8.dropFirst(prefix.text.utf8.count))
        guard payload.count <= 255 else { return .failure(.urlTooLong) }
        let record: [UInt8] = [0xD1, 0x01, UInt8(payload.count), 0x55] + payload
        let ndef: [UInt8] = [UInt8(record.count >> 8), UInt8(record.count & 0xFF)] + record
        // A URL position in the file: after NLEN (2), the record header (4) and the
        // identifier code (1), less the prefix that code stands for.
        let shift = 7 - prefix.text.utf8.count
        return .success(TagPersonalization(
            urlTemplate: url, ndefFile: ndef, piccDataOffset: piccAt + shift,
            macInputOffset: (names.macInputStart == .piccData ? piccAt : fileAt ?? macAt) + shift,
            macOffset: macAt + shift, encryptedFileOffset: fileAt.map { $0 + shift },
            encryptedFileLength: fileAt == nil ? nil : fileDataBytes * 2))
    }
}
