import Foundation

extension DigitalLinkCompression {
    /// Digit strings as binary numbers, of any length (values reach 127 digits, far beyond 64 bits).
    enum DecimalBinary {
        /// Bits for an n-digit number, computed exactly as the reference does (the +0.01 makes 0 digits
        /// take 1 bit and 59 digits 197), so that both sides agree on every length.
        static func valueBitCount(digits: Int) -> Int {
            Int((Double(digits) * log(10) / log(2) + 0.01).rounded(.up))
        }

        /// Bits of the length field for a value of at most `maximumLength` units, as the reference computes it.
        static func lengthBitCount(maximumLength: Int) -> Int {
            Int((log(Double(maximumLength)) / log(2) + 0.01).rounded(.up))
        }

        /// `digits` (ASCII decimal digits) as an unsigned binary number `width` bits wide, most
        /// significant first; `nil` if it needs more bits.
        static func bits(ofDigits digits: some Collection<UInt8>, width: Int) -> [Bool]? {
            guard digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            // Long division by two on the decimal digits, collecting remainders least significant first.
            var dividend = digits.map { Int($0) - 0x30 }
            var reversedBits: [Bool] = []
            while let first = dividend.firstIndex(where: { $0 != 0 }) {
                dividend.removeFirst(first)
                var remainder = 0
                for index in dividend.indices {
                    let current = remainder * 10 + dividend[index]
                    dividend[index] = current / 2
                    remainder = current % 2
                }
                reversedBits.append(remainder == 1)
                guard reversedBits.count <= width else { return nil }
            }
            return [Bool](repeating: false, count: width - reversedBits.count) + reversedBits.reversed()
        }

        /// `bits` as an unsigned number written with exactly `digitCount` decimal digits (leading zeros
        /// kept, unlike the reference, which drops them); `nil` if the number has more digits.
        static func digits(of bits: some Collection<Bool>, digitCount: Int) -> String? {
            // The reference writes one bit for an empty number and ignores it when reading.
            if digitCount == 0 { return "" }
            // Doubling in base 10, least significant digit first.
            var reversedDigits: [Int] = [0]
            for bit in bits {
                var carry = bit ? 1 : 0
                for index in reversedDigits.indices {
                    let current = reversedDigits[index] * 2 + carry
                    reversedDigits[index] = current % 10
                    carry = current / 10
                }
                if carry > 0 { reversedDigits.append(carry) }
            }
            while reversedDigits.count > 1, reversedDigits.last == 0 { reversedDigits.removeLast() }
            guard reversedDigits.count <= digitCount else { return nil }
            let padded = reversedDigits + [Int](repeating: 0, count: digitCount - reversedDigits.count)
            return String(decoding: padded.reversed().map { UInt8($0 + 0x30) }, as: UTF8.self)
        }
    }
}
