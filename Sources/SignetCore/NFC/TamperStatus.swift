/// What a TagTamper seal says of its tamper loop, mirrored as two ASCII
/// characters at the start of its file data: `CC` while the loop is closed
/// (the seal is intact), a leading `O` once it has been opened.
public enum TamperStatus: String, Sendable, Equatable {
    case intact
    case opened

    /// Nil when the file data carries no tamper status (a seal without a tamper loop).
    public init?(fileData: [UInt8]) {
        guard fileData.count >= 2 else { return nil }
        switch (fileData[0], fileData[1]) {
        case (UInt8(ascii: "C"), UInt8(ascii: "C")): self = .intact
        case (UInt8(ascii: "O"), _): self = .opened
        default: return nil
        }
    }
}
