import Foundation
import Testing
@testable import SignetCore

@Suite("EPCIS timestamps")
struct EPCISTimestampTests {
    @Test("the standard's spellings of one instant", arguments: [
        "2005-04-03T20:33:31.116-06:00", "2005-04-03T20:33:31.116000-06:00", "2005-04-04T02:33:31.116Z",
        "2005-04-04T02:33:31.116+00:00", "2005-04-04T04:03:31.116+01:30", "2005-04-04t02:33:31.116z",
    ])
    func sameInstant(_ text: String) throws {
        let date = try #require(EPCISTimestamp.date(from: text))
        #expect(abs(date.timeIntervalSince1970 - 1_112_582_011.116) < 0.000_5)
    }

    @Test("fractions are optional and of any length")
    func fractions() {
        #expect(EPCISTimestamp.date(from: "2013-06-08T14:58:56Z") == Date(timeIntervalSince1970: 1_370_703_536))
        #expect(EPCISTimestamp.date(from: "2005-07-11T11:30:47.0Z") == Date(timeIntervalSince1970: 1_121_081_447))
        #expect(EPCISTimestamp.date(from: "1970-01-01T00:00:00.5Z") == Date(timeIntervalSince1970: 0.5))
    }

    @Test("leap days and the far ends of the calendar")
    func calendar() {
        #expect(EPCISTimestamp.date(from: "2024-02-29T00:00:00Z") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(EPCISTimestamp.date(from: "2000-02-29T00:00:00Z") != nil)
        #expect(EPCISTimestamp.date(from: "1900-02-29T00:00:00Z") == nil)
        #expect(EPCISTimestamp.date(from: "2023-02-29T00:00:00Z") == nil)
        #expect(EPCISTimestamp.date(from: "0001-01-01T00:00:00Z") == Date(timeIntervalSince1970: -62_135_596_800))
        #expect(EPCISTimestamp.date(from: "9999-12-31T23:59:59Z") == Date(timeIntervalSince1970: 253_402_300_799))
    }

    @Test("refused", arguments: [
        "", "2005-04-03", "2005-04-03T20:33:31", "2005-04-03 20:33:31Z", "2005-04-03T20:33:31.-06:00",
        "2005-04-03T20:33:31.116", "2005-04-03T20:33:31.116-0600", "2005-04-03T20:33:31.116-06", "2005-13-03T20:33:31Z",
        "2005-04-31T20:33:31Z", "2005-04-03T24:00:00Z", "2005-04-03T20:60:31Z", "2005-04-03T20:33:60Z", "0000-01-01T00:00:00Z",
        "2005-04-03T20:33:31+14:01", "2005-04-03T20:33:31-15:00", "2005-04-03T20:33:31ZZ", "+2005-04-03T20:33:31Z",
        "2005-04-03T20:33:31." + String(repeating: "1", count: 60) + "Z", "２００５-04-03T20:33:31Z",
    ])
    func refused(_ text: String) {
        #expect(EPCISTimestamp.date(from: text) == nil, "\(text)")
    }

    @Test("time zone offsets", arguments: [
        ("+01:00", true), ("-06:00", true), ("+00:00", true), ("-00:00", true), ("+14:00", true), ("-14:00", true),
        ("+05:45", true), ("+14:30", false), ("+15:00", false), ("+1:00", false), ("01:00", false), ("+01:60", false),
        ("+0100", false), ("Z", false), ("+01:00 ", false), ("", false),
    ])
    func offsets(_ text: String, _ valid: Bool) {
        #expect(EPCISTimestamp.isTimeZoneOffset(text) == valid)
    }
}
