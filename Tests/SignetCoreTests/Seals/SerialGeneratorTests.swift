import SignetCore
import Testing

@Suite("Generated serials")
struct SerialGeneratorTests {
    @Test("serials have the asked length, only unambiguous set-82 characters, and are distinct")
    func serials() throws {
        var random = SystemRandomNumberGenerator()
        let generator = try #require(SerialGenerator(length: 10))
        let serials = generator.distinct(20_000, using: &random)
        #expect(Set(serials).count == 20_000)
        for serial in serials.prefix(500) {
            #expect(serial.utf8.count == 10)
            #expect(AI82.isValid(serial))
            #expect(!serial.contains("O") && !serial.contains("I") && !serial.contains("0") && !serial.contains("1"))
        }
    }

    @Test("every symbol of the alphabet appears, roughly evenly")
    func uniform() throws {
        var random = SystemRandomNumberGenerator()
        let generator = try #require(SerialGenerator(length: 20))
        var counts: [Character: Int] = [:]
        for _ in 0..<1_000 { for character in generator.next(using: &random) { counts[character, default: 0] += 1 } }
        #expect(counts.count == 32)
        // 20,000 draws over 32 symbols: 625 expected each; 450-800 is far outside chance.
        #expect(counts.values.allSatisfy { (450...800).contains($0) })
    }

    @Test("lengths outside 8-20 are refused", arguments: [0, 7, 21, 100])
    func lengths(length: Int) {
        #expect(SerialGenerator(length: length) == nil)
    }

    @Test("country lists are upper-cased, deduplicated, and name the first bad entry")
    func countries() throws {
        #expect(try CountryCode.parseList("fr, de;ES fr").get() == ["FR", "DE", "ES"])
        #expect(try CountryCode.parseList("").get() == [])
        guard case .failure(let error) = CountryCode.parseList("fr, FRA") else { Issue.record("FRA accepted"); return }
        #expect(error.text == "FRA")
    }
}
