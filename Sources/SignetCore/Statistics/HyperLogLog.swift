import Foundation

/// A HyperLogLog sketch of distinct values, laid out so that the union of two
/// sketches is their bitwise OR (PostgreSQL merges them with `bit_or`).
///
/// 1,024 registers of 16 bits (2,048 bytes, the bytes of a PostgreSQL
/// `bit(16384)`). A 64-bit hash picks register `hash & 1023`; its rank is
/// the number of trailing zeros of `hash >> 10` plus one, capped at 16.
/// Rather than the highest rank, a register keeps one bit per rank seen
/// (rank r sets its bit r - 1, counted from the most significant bit, as
/// PostgreSQL numbers the bits of a bit string), so the highest rank is the
/// highest bit set and OR merges two registers as max would.
///
/// Standard error 1.04 / √1024 ≈ 3.25 %; small sets are counted by linear
/// counting, close to exact. Saturates near 1024 × 2^16 ≈ 67 million values.
/// Must match `signet_hll_of` in migration 0021.
public struct HyperLogLog: Sendable, Equatable {
    public static let registerCount = 1024
    public static let bitsPerRegister = 16
    public static let byteCount = registerCount * bitsPerRegister / 8
    public static let standardError = 1.04 / Double(registerCount).squareRoot()

    /// The sketch as stored: 2,048 bytes.
    public private(set) var bytes: [UInt8]

    public init() {
        bytes = Array(repeating: 0, count: Self.byteCount)
    }

    /// A stored sketch; nil unless it holds exactly 2,048 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    public mutating func insert(hash: UInt64) {
        let register = Int(hash & UInt64(Self.registerCount - 1))
        let rest = hash >> 10
        let bit = min(rest.trailingZeroBitCount, Self.bitsPerRegister - 1)
        let position = register * Self.bitsPerRegister + bit
        bytes[position / 8] |= 0x80 >> UInt8(position % 8)
    }

    /// Adds every value `other` has seen.
    public mutating func formUnion(_ other: HyperLogLog) {
        for index in bytes.indices { bytes[index] |= other.bytes[index] }
    }

    public func union(_ other: HyperLogLog) -> HyperLogLog {
        var merged = self
        merged.formUnion(other)
        return merged
    }

    /// The estimated number of distinct values, rounded.
    public var estimate: Int {
        bytes.withUnsafeBytes { Self.estimate(ofStored: $0) ?? 0 }
    }

    /// The estimate of a stored sketch read in place, as a database row holds
    /// it (answers of thousands of groups estimate thousands of sketches);
    /// nil unless it is 2,048 bytes.
    public static func estimate(ofStored bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count == byteCount else { return nil }
        let m = Double(registerCount)
        // Four registers per 64-bit load, each adding 2^-rank built from its
        // exponent bits (no division, no table), into four sums so that the
        // additions do not wait on each other: answers estimate thousands of sketches.
        var sums = (0.0, 0.0, 0.0, 0.0)
        var empty = 0
        for word in 0..<(byteCount / 8) {
            let four = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: word &* 8, as: UInt64.self))
            sums.0 += inversePower(UInt16(truncatingIfNeeded: four >> 48), empty: &empty)
            sums.1 += inversePower(UInt16(truncatingIfNeeded: four >> 32), empty: &empty)
            sums.2 += inversePower(UInt16(truncatingIfNeeded: four >> 16), empty: &empty)
            sums.3 += inversePower(UInt16(truncatingIfNeeded: four), empty: &empty)
        }
        let sum = (sums.0 + sums.1) + (sums.2 + sums.3)
        let alpha = 0.7213 / (1 + 1.079 / m)
        let raw = alpha * m * m / sum
        // Small sets: linear counting on the empty registers is far more precise.
        if raw <= 2.5 * m, empty > 0 {
            return Int((m * log(m / Double(empty))).rounded())
        }
        return Int(raw.rounded())
    }

    /// 2^-rank of a register (rank 0, an empty register, counts 1), as a double's exponent.
    @inline(__always)
    private static func inversePower(_ register: UInt16, empty: inout Int) -> Double {
        // A register's highest rank is its lowest set bit: 16 minus its trailing zeros (16 when empty, so 0).
        let rank = UInt64(bitsPerRegister - register.trailingZeroBitCount)
        empty &+= register == 0 ? 1 : 0
        return Double(bitPattern: (1_023 - rank) << 52)
    }
}
