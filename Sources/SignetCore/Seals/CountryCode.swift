/// An ISO 3166-1 alpha-2 country code as managers type it ("fr", " DE").
public enum CountryCode {
    /// "fr, de,ES" → ["FR", "DE", "ES"]; nil names the first entry that is not two letters.
    public static func parseList(_ text: String) -> Result<[String], InvalidCountry> {
        var codes: [String] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }) {
            let code = part.uppercased()
            guard code.utf8.count == 2, code.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
                return .failure(InvalidCountry(text: String(part)))
            }
            if !codes.contains(code) { codes.append(code) }
        }
        return .success(codes)
    }

    public struct InvalidCountry: Error, Sendable, Equatable {
        public let text: String
    }
}
