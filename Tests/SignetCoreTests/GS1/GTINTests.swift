import Testing
@testable import SignetCore

@Suite("GTIN")
struct GTINTests {
    /// Known-good GTINs with their 14-digit form. Check digits were verified
    /// independently (Python, GS1 mod-10) before being written here.
    static let valid: [(text: String, normalised: String)] = [
        ("96385074", "00000096385074"), // GTIN-8
        ("40170725", "00000040170725"), // GTIN-8
        ("73513537", "00000073513537"), // GTIN-8
        ("036000291452", "00036000291452"), // GTIN-12 (UPC-A)
        ("012345678905", "00012345678905"), // GTIN-12
        ("4006381333931", "04006381333931"), // GTIN-13 (EAN-13)
        ("5901234123457", "05901234123457"), // GTIN-13
        ("4000862141404", "04000862141404"), // GTIN-13
        ("0012345678905", "00012345678905"), // GTIN-13 of the UPC above
        ("03760123450003", "03760123450003"), // GTIN-14
        ("10614141000415", "10614141000415"), // GTIN-14, indicator 1
        ("00614141000418", "00614141000418"), // GTIN-14
        ("09506000134352", "09506000134352"), // GTIN-14
    ]

    @Test("known-good GTINs are accepted and padded to 14 digits", arguments: valid)
    func acceptsAndNormalises(_ text: String, _ normalised: String) throws {
        let gtin = try #require(GTIN(text))
        #expect(gtin.digits == normalised)
        #expect(gtin.description == normalised)
        #expect(gtin.digits.count == 14)
        // The normalised form is itself valid and the same GTIN.
        #expect(GTIN(normalised) == gtin)
    }

    @Test("check digit maths", arguments: valid)
    func checkDigit(_ text: String, _ normalised: String) {
        let digits = text.map { $0.wholeNumberValue! }
        #expect(GTIN.checkDigit(of: digits.dropLast()) == digits.last)
        // Leading zeros do not change the check digit.
        #expect(GTIN.checkDigit(of: [0, 0, 0] + digits.dropLast()) == digits.last)
    }

    @Test("check digit worked examples")
    func checkDigitExamples() {
        // GS1's worked example: 6 2 9 1 0 4 1 5 0 0 2 1, weights 3 on the rightmost
        // digit then alternating 1, 3: sum = 57 → check digit 3.
        #expect(GTIN.checkDigit(of: [6, 2, 9, 1, 0, 4, 1, 5, 0, 0, 2, 1]) == 3)
        #expect(GTIN("6291041500213")?.digits == "06291041500213")
        // Sum already a multiple of 10 gives 0, not 10.
        #expect(GTIN.checkDigit(of: [0, 0, 0, 0, 0, 0, 0]) == 0)
        #expect(GTIN.checkDigit(of: [5, 5]) == 0) // 5*3 + 5*1 = 20
        #expect(GTIN.checkDigit(of: [1]) == 7) // 1*3 = 3 → 7
        #expect(GTIN.checkDigit(of: [1, 0]) == 9) // 1*1 = 1 → 9
    }

    @Test("every wrong check digit is rejected", arguments: valid)
    func wrongCheckDigit(_ text: String, _ normalised: String) {
        let body = text.dropLast()
        let right = text.last!
        for digit in "0123456789" where digit != right {
            #expect(GTIN(body + String(digit)) == nil, "\(body)\(digit)")
        }
    }

    /// Mod-10 with weights 1 and 3 catches every single-digit substitution.
    @Test("any single-digit error is detected", arguments: valid)
    func singleDigitErrors(_ text: String, _ normalised: String) {
        var characters = Array(text)
        for position in characters.indices {
            let original = characters[position]
            for digit in "0123456789" where digit != original {
                characters[position] = digit
                #expect(GTIN(String(characters)) == nil, "\(String(characters))")
            }
            characters[position] = original
        }
    }

    @Test("malformed text is rejected", arguments: [
        "", "0", "9638507", "963850740", "0963850740", "00963850740", "004006381333931",
        "4006381333931 ", " 4006381333931", "400638133393l", "4006381333-31",
        "+4006381333931", "40063813339.1", "0x06381333931",
        "４００６３８１３３３９３１", // full-width digits
        "٤٠٠٦٣٨١٣٣٣٩٣١", // Arabic-Indic digits
    ])
    func rejects(_ text: String) {
        #expect(GTIN(text) == nil)
    }

    @Test("works from a Substring")
    func substring() {
        let text = "EAN:4006381333931;"
        #expect(GTIN(text.dropFirst(4).dropLast())?.digits == "04006381333931")
    }

    @Test("equality and hashing use the normalised form")
    func hashing() throws {
        let set: Set<GTIN> = [try #require(GTIN("96385074")), try #require(GTIN("00000096385074")), try #require(GTIN("0000096385074"))]
        #expect(set.count == 1)
        #expect(GTIN("96385074") != GTIN("40170725"))
    }
}
