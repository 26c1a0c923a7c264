/// A tap URL checked against a brand's master keys: which key version opens
/// its PICCData, the tag's own keys derived from the UID found there, and the
/// MAC and file data under them. What is left for the database is whether
/// this UID is the seal's tag and whether the counter is new.
public enum TapVerification {
    public struct Tap: Sendable, Equatable {
        public var uid: [UInt8]
        public var counter: UInt32
        public var keyVersion: UInt8
        /// Nil when the tag mirrors no tamper status.
        public var tamper: TamperStatus?
    }

    /// - Parameter masters: the brand's master keys by version (any order).
    /// - Returns: the verified tap, or why it failed (for the newest version
    ///   that could read the PICCData, else the newest version's reason).
    public static func verify(
        _ parameters: SUNParameters, masters: [(version: UInt8, key: [UInt8])]
    ) -> Result<Tap, SecureDynamicMessage.Failure> {
        var failure = SecureDynamicMessage.Failure.badKey
        var readableFailure: SecureDynamicMessage.Failure?
        for (version, master) in masters.sorted(by: { $0.version > $1.version }) {
            guard let metaRead = try? TagKeyDiversification.metaReadKey(master: master, version: version) else { continue }
            let uid: [UInt8]
            switch SecureDynamicMessage.readPICCData(parameters.piccData, metaReadKey: metaRead) {
            case .failure(let reason):
                // Malformed hex fails for every version alike; unreadable data may be another version's.
                if failure == .badKey { failure = reason }
                if reason == .malformedPICCData { return .failure(reason) }
                continue
            case .success(let read):
                uid = read.uid
            }
            guard let fileRead = try? TagKeyDiversification.fileReadKey(master: master, uid: uid, version: version) else { continue }
            let result = SecureDynamicMessage.verify(
                piccData: parameters.piccData, encryptedFileData: parameters.encryptedFileData, mac: parameters.mac,
                macInput: parameters.macInput, keys: .init(metaRead: metaRead, fileRead: fileRead))
            switch result {
            case .success(let reading):
                return .success(Tap(
                    uid: reading.uid, counter: reading.counter, keyVersion: version,
                    tamper: reading.fileData.flatMap(TamperStatus.init(fileData:))))
            case .failure(let reason):
                if readableFailure == nil { readableFailure = reason }
            }
        }
        return .failure(readableFailure ?? failure)
    }
}
