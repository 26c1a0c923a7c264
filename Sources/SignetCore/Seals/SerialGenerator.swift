/// Random seal serials for generated batches.
///
/// The alphabet is the part of GS1 character set 82 that people cannot misread
/// on a label or type wrongly: digits 2-9 and capital letters without I and O,
/// 32 symbols, so each character carries 5 bits. Serials are not secret (the
/// URL's token is), but random serials reveal nothing about volumes.
public struct SerialGenerator: Sendable {
    public static let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ".utf8)
    public static let lengths = 8...20

    public let length: Int

    public init?(length: Int) {
        guard Self.lengths.contains(length) else { return nil }
        self.length = length
    }

    public func next<G: RandomNumberGenerator>(using generator: inout G) -> String {
        var bytes = [UInt8](repeating: 0, count: length)
        for index in 0..<length {
            // 32 symbols: the low 5 bits of a random byte are uniform.
            bytes[index] = Self.alphabet[Int(UInt8.random(in: 0...255, using: &generator) & 31)]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `count` distinct serials.
    public func distinct<G: RandomNumberGenerator>(_ count: Int, using generator: inout G) -> [String] {
        var seen = Set<String>(minimumCapacity: count)
        return distinct(count, notIn: &seen, using: &generator)
    }

    /// `count` serials distinct from each other and from `seen`, which gains them:
    /// a large batch is drawn chunk by chunk with one `seen` set.
    public func distinct<G: RandomNumberGenerator>(_ count: Int, notIn seen: inout Set<String>, using generator: inout G) -> [String] {
        var serials: [String] = []
        serials.reserveCapacity(count)
        while serials.count < count {
            let serial = next(using: &generator)
            if seen.insert(serial).inserted { serials.append(serial) }
        }
        return serials
    }
}
