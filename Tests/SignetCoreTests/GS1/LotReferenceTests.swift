import Testing
@testable import SignetCore

@Suite("Lot reference")
struct LotReferenceTests {
    @Test("a form line is a GTIN and a lot code; the GTIN is normalized to 14 digits")
    func readsLines() throws {
        let lot = try #require(LotReference(line: "  3760123450003\tL24-001 "))
        #expect(lot.gtin.digits == "03760123450003")
        #expect(lot.code == "L24-001")
        #expect(lot.line == "03760123450003 L24-001")
        #expect(LotReference(line: "03760123450003 L24/001")?.code == "L24/001")
    }

    @Test("a bad check digit, a missing or extra part, or a lot code outside GS1 set 82 is refused", arguments: [
        "03760123450004 L1", "03760123450003", "03760123450003 L1 L2", "03760123450003 LOT#1", "",
        "03760123450003 " + String(repeating: "A", count: 21), "L1 03760123450003",
    ])
    func refusesBadLines(_ line: String) {
        #expect(LotReference(line: line) == nil)
    }
}
