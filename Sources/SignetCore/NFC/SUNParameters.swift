/// The secure-message parameters of a tap URL, read from its query as the
/// tag wrote it, and the MAC input: by default the URL text from the first
/// character of the file data's value up to and including the `=` of the MAC
/// parameter, or nothing when there is no file data (NXP AN12196).
public struct SUNParameters: Sendable, Equatable {
    /// Where the MAC input starts: at the file data's value (the application
    /// note's choice; empty without file data), or at PICCData's value, so
    /// the MAC covers the UID and counter as written too.
    public enum MACInputStart: String, Sendable, CaseIterable {
        case fileData = "file_data"
        case piccData = "picc_data"
    }

    /// The parameter names a brand's tags write (`e`, `m`, `c` unless set
    /// otherwise) and where their MAC input starts.
    public struct Names: Sendable, Equatable {
        public var piccData: String
        public var fileData: String
        public var mac: String
        public var macInputStart: MACInputStart

        public init(piccData: String = "e", fileData: String = "m", mac: String = "c", macInputStart: MACInputStart = .fileData) {
            self.piccData = piccData
            self.fileData = fileData
            self.mac = mac
            self.macInputStart = macInputStart
        }

        /// The names of NXP's application note.
        public static let applicationNote = Names(piccData: "picc_data", fileData: "enc", mac: "cmac")

        /// Three names as a brand types them (`e,m,c`): each 1 to 32 URL-safe
        /// characters, all different, and none a name Signet's own links use.
        public init?(list: some StringProtocol, macInputStart: MACInputStart = .fileData) {
            let names = list.split(separator: ",").map { $0.trimmingWhitespace() }
            guard names.count == 3, Set(names).count == 3,
                  names.allSatisfy({ name in
                      (1...32).contains(name.utf8.count) && !["t", "lang"].contains(name)
                          && name.utf8.allSatisfy { byte in
                              (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                                  || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                          }
                  })
            else { return nil }
            self.init(piccData: names[0], fileData: names[1], mac: names[2], macInputStart: macInputStart)
        }

        /// As the brand's settings show them.
        public var list: String { "\(piccData),\(fileData),\(mac)" }
    }

    public var piccData: String
    public var encryptedFileData: String?
    public var mac: String
    public var macInput: [UInt8]

    /// The parameters in `query` (the URL's text after `?`, not decoded: the
    /// MAC covers the bytes as written); nil when PICCData or the MAC is missing.
    public init?(query: Substring, names: Names = Names()) {
        var picc: (value: String, start: String.Index)?
        var file: (value: String, start: String.Index)?
        var mac: (value: String, equalsEnd: String.Index)?
        var position = query.startIndex
        while position < query.endIndex {
            let end = query[position...].firstIndex(of: "&") ?? query.endIndex
            let pair = query[position..<end]
            if let equals = pair.firstIndex(of: "=") {
                let name = pair[..<equals]
                let valueStart = query.index(after: equals)
                let value = String(query[valueStart..<end])
                if name == names.piccData, picc == nil { picc = (value, valueStart) }
                if name == names.fileData, file == nil { file = (value, valueStart) }
                if name == names.mac, mac == nil { mac = (value, valueStart) }
            }
            position = end < query.endIndex ? query.index(after: end) : end
        }
        guard let picc, let mac else { return nil }
        piccData = picc.value
        self.mac = mac.value
        let start = names.macInputStart == .piccData ? picc.start : file?.start
        if let start, start <= mac.equalsEnd {
            macInput = Array(query[start..<mac.equalsEnd].utf8)
        } else {
            macInput = []
        }
        // File data counts only inside the MAC input: a value added after the
        // MAC (to a tag that mirrors none) would otherwise be decrypted unproven.
        if let file, let start, start <= file.start, file.start < mac.equalsEnd {
            encryptedFileData = file.value
        } else {
            encryptedFileData = nil
        }
    }
}
