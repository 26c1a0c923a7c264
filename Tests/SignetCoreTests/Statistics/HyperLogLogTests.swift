import Foundation
import SignetCore
import Testing

@Suite("HyperLogLog sketches")
struct HyperLogLogTests {
    /// SplitMix64: the same "random" hashes on every run, so the bounds below never flake.
    struct Hashes: Sequence, IteratorProtocol {
        var state: UInt64
        mutating func next() -> UInt64? {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func sketch(_ count: Int, seed: UInt64) -> HyperLogLog {
        var sketch = HyperLogLog()
        for hash in Hashes(state: seed).prefix(count) { sketch.insert(hash: hash) }
        return sketch
    }

    @Test("an empty sketch counts 0 and is 2,048 zero bytes")
    func empty() {
        #expect(HyperLogLog().estimate == 0)
        #expect(HyperLogLog().bytes == Array(repeating: 0, count: 2048))
        #expect(HyperLogLog(bytes: [1, 2, 3]) == nil)
    }

    @Test("small sets are counted exactly or within one", arguments: [1, 2, 5, 10, 30])
    func smallSets(count: Int) {
        #expect(abs(Self.sketch(count, seed: 7).estimate - count) <= 1)
    }

    @Test("larger sets stay within three standard errors (3 × 3.25 %)",
          arguments: [100, 1_000, 10_000, 100_000, 1_000_000])
    func errorBound(count: Int) {
        for seed: UInt64 in [1, 2, 3] {
            let estimate = Double(Self.sketch(count, seed: seed * 1_000_003).estimate)
            let error = abs(estimate - Double(count)) / Double(count)
            #expect(error < 3 * HyperLogLog.standardError, "n=\(count) seed=\(seed) estimate=\(estimate)")
        }
    }

    @Test("the mean error over many sketches is about the documented standard error")
    func standardError() {
        var squares = 0.0
        let runs = 40
        for seed in 0..<runs {
            let estimate = Double(Self.sketch(20_000, seed: UInt64(seed) &* 77_777 &+ 5).estimate)
            squares += pow((estimate - 20_000) / 20_000, 2)
        }
        let rms = (squares / Double(runs)).squareRoot()
        #expect(rms < 1.5 * HyperLogLog.standardError && rms > 0.3 * HyperLogLog.standardError, "rms \(rms)")
    }

    @Test("the union of two sketches is the sketch of the union, whatever the order; repeats change nothing")
    func merge() {
        let all = Array(Hashes(state: 42).prefix(5_000))
        var left = HyperLogLog(), right = HyperLogLog(), whole = HyperLogLog()
        for hash in all[..<3_000] { left.insert(hash: hash) }
        for hash in all[2_000...] { right.insert(hash: hash) }   // 1,000 values in both
        for hash in all.reversed() { whole.insert(hash: hash) }
        #expect(left.union(right) == whole)
        #expect(right.union(left) == whole)
        #expect(whole.union(left) == whole)
        let estimate = Double(whole.estimate)
        #expect(abs(estimate - 5_000) / 5_000 < 3 * HyperLogLog.standardError)
    }

    @Test("a register keeps one bit per rank, most significant bit first, as PostgreSQL numbers bits")
    func layout() {
        var sketch = HyperLogLog()
        sketch.insert(hash: 3)                    // register 3, hash >> 10 == 0: rank capped at 16, bit 15
        sketch.insert(hash: (1 << 10) | 5)        // register 5, no trailing zero: rank 1, bit 0
        sketch.insert(hash: (4 << 10) | 5)        // register 5, two trailing zeros: rank 3, bit 2
        #expect(sketch.bytes[7] == 0x01)
        #expect(sketch.bytes[10] == 0x80 | 0x20)
        #expect(sketch.bytes.enumerated().filter { $0.element != 0 }.map(\.offset) == [7, 10])
    }
}
