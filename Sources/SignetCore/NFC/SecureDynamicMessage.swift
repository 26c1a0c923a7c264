/// A tap of an NTAG 424 DNA seal: the tag writes, on every read, its UID and
/// a read counter (encrypted as PICCData), optionally some file data
/// (encrypted), and a MAC over part of the URL, all under keys only the brand
/// holds (NXP AN12196, "secure unique NFC", AES mode). Checking the MAC proves
/// the URL came from the tag; the counter, compared with the last one seen,
/// proves it is a new tap and not a copy.
public enum SecureDynamicMessage {
    /// The two application keys a seal's tag uses for its message.
    public struct Keys: Sendable {
        /// Decrypts PICCData (`SDMMetaReadKey`).
        public var metaRead: [UInt8]
        /// Derives the session keys for the MAC and the file data (`SDMFileReadKey`).
        public var fileRead: [UInt8]

        public init(metaRead: [UInt8], fileRead: [UInt8]) {
            self.metaRead = metaRead
            self.fileRead = fileRead
        }
    }

    /// What a verified tap says.
    public struct Reading: Sendable, Equatable {
        /// The tag's 7-byte UID.
        public var uid: [UInt8]
        /// `SDMReadCtr`: 24 bits, one more on every read.
        public var counter: UInt32
        /// The decrypted file data, when the URL carries some.
        public var fileData: [UInt8]?

        public init(uid: [UInt8], counter: UInt32, fileData: [UInt8]? = nil) {
            self.uid = uid
            self.counter = counter
            self.fileData = fileData
        }
    }

    /// Which check failed, so an operator knows what to fix.
    public enum Failure: String, Error, Sendable {
        /// PICCData is not 32 hexadecimal digits.
        case malformedPICCData = "malformed_picc_data"
        /// PICCData decrypts to something that does not announce a 7-byte UID and a counter: the wrong meta read key, or not PICCData.
        case unreadablePICCData = "unreadable_picc_data"
        /// The file data is not whole AES blocks in hexadecimal.
        case malformedFileData = "malformed_file_data"
        /// The MAC is not 16 hexadecimal digits.
        case malformedMAC = "malformed_mac"
        /// The MAC does not match: a forged or altered URL, the wrong file read key, or a wrong MAC input (offsets).
        case badMAC = "bad_mac"
        /// A key is not 16 bytes.
        case badKey = "bad_key"
    }

    /// PICCDataTag: bit 7 says the UID is mirrored, bit 6 the counter, the low nibble the UID's length.
    static let piccDataTag: UInt8 = 0xC7

    /// Verifies a tap whose UID and counter are encrypted (`e=`), with its
    /// optional encrypted file data (`m=`) and its MAC (`c=`) over `macInput`.
    public static func verify(
        piccData: String, encryptedFileData: String?, mac: String, macInput: [UInt8], keys: Keys
    ) -> Result<Reading, Failure> {
        guard keys.fileRead.count == 16 else { return .failure(.badKey) }
        let uid: [UInt8]
        let counterBytes: [UInt8]
        switch readPICCData(piccData, metaReadKey: keys.metaRead) {
        case .failure(let failure): return .failure(failure)
        case .success(let read): (uid, counterBytes) = (read.uid, read.counter)
        }
        var fileCiphertext: [UInt8]?
        if let encryptedFileData {
            guard let bytes = Hex.decode(encryptedFileData), !bytes.isEmpty, bytes.count % AES128.blockSize == 0 else {
                return .failure(.malformedFileData)
            }
            fileCiphertext = bytes
        }
        guard mac.utf8.count == 16, let received = Hex.decode(mac) else { return .failure(.malformedMAC) }
        guard let expected = try? Self.mac(macInput, uid: uid, counter: counterBytes, fileReadKey: keys.fileRead) else {
            return .failure(.badKey)
        }
        guard SecretToken.constantTimeEquals(expected, received) else { return .failure(.badMAC) }
        let fileData = fileCiphertext.flatMap { try? decryptFileData($0, uid: uid, counter: counterBytes, fileReadKey: keys.fileRead) }
        return .success(Reading(uid: uid, counter: counter(littleEndian: counterBytes), fileData: fileData))
    }

    /// The UID and the counter (its three bytes as the tag sends them, least
    /// significant first) hidden in PICCData; it proves nothing until the MAC
    /// is checked, but tells which tag's file read key to derive.
    public static func readPICCData(_ piccData: String, metaReadKey: [UInt8]) -> Result<(uid: [UInt8], counter: [UInt8]), Failure> {
        guard metaReadKey.count == 16 else { return .failure(.badKey) }
        guard piccData.utf8.count == 32, let encrypted = Hex.decode(piccData),
              let plain = AES128.decryptCBC(key: metaReadKey, encrypted)
        else { return .failure(.malformedPICCData) }
        guard plain[0] == piccDataTag else { return .failure(.unreadablePICCData) }
        return .success((Array(plain[1...7]), Array(plain[8...10])))
    }

    /// Verifies a tap whose UID and counter are mirrored in clear (`uid=`,
    /// `ctr=` as the tag writes it: six hexadecimal digits, most significant first).
    public static func verifyPlain(uid uidHex: String, counter counterHex: String, mac: String, macInput: [UInt8], fileReadKey: [UInt8])
        -> Result<Reading, Failure>
    {
        guard fileReadKey.count == 16 else { return .failure(.badKey) }
        guard uidHex.utf8.count == 14, let uid = Hex.decode(uidHex), counterHex.utf8.count == 6, let counter = Hex.decode(counterHex) else {
            return .failure(.unreadablePICCData)
        }
        guard mac.utf8.count == 16, let received = Hex.decode(mac) else { return .failure(.malformedMAC) }
        let counterBytes = Array(counter.reversed())
        guard let expected = try? Self.mac(macInput, uid: uid, counter: counterBytes, fileReadKey: fileReadKey) else {
            return .failure(.badKey)
        }
        guard SecretToken.constantTimeEquals(expected, received) else { return .failure(.badMAC) }
        return .success(Reading(uid: uid, counter: Self.counter(littleEndian: counterBytes)))
    }

    /// SDMMAC: the CMAC of the MAC input under the session MAC key, keeping the odd-indexed bytes.
    static func mac(_ input: [UInt8], uid: [UInt8], counter: [UInt8], fileReadKey: [UInt8]) throws -> [UInt8] {
        let sessionKey = try AES128.cmac(key: fileReadKey, [0x3C, 0xC3, 0x00, 0x01, 0x00, 0x80] + uid + counter)
        let full = try AES128.cmac(key: sessionKey, input)
        return stride(from: 1, to: full.count, by: 2).map { full[$0] }
    }

    /// SDMENCFileData, decrypted with the session ENC key and the IV the counter gives.
    static func decryptFileData(_ ciphertext: [UInt8], uid: [UInt8], counter: [UInt8], fileReadKey: [UInt8]) throws -> [UInt8]? {
        let sessionKey = try AES128.cmac(key: fileReadKey, [0xC3, 0x3C, 0x00, 0x01, 0x00, 0x80] + uid + counter)
        let iv = try AES128.encryptBlock(key: sessionKey, counter + [UInt8](repeating: 0, count: 13))
        return AES128.decryptCBC(key: sessionKey, iv: iv, ciphertext)
    }

    static func counter(littleEndian bytes: [UInt8]) -> UInt32 {
        UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16
    }
}
