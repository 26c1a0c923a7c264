/// The UI strings of one language.
public struct LocalizedStrings: Sendable {
    public let language: Language
    public let table: [String: String]

    public init(language: Language, table: [String: String]) {
        self.language = language
        self.table = table
    }

    /// A missing key shows as itself: visible in review, never a crash.
    public subscript(key: String) -> String {
        table[key] ?? key
    }

    /// Replaces `{name}` placeholders; unknown placeholders stay as written.
    public func format(_ key: String, _ values: [String: String]) -> String {
        // One left-to-right pass: inserted values are never scanned again, so the
        // result does not depend on the dictionary's iteration order.
        let template = self[key]
        var text = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            text += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), let value = values[String(rest[afterOpen..<close])] {
                text += value
                rest = rest[rest.index(after: close)...]
            } else {
                text += "{"
                rest = rest[afterOpen...]
            }
        }
        return text + rest
    }

    /// Formats an ISO `YYYY-MM-DD` date with this language's pattern and month names.
    public func date(iso: String) -> String? {
        guard let date = CivilDate(iso: iso) else { return nil }
        return format("date_pattern", [
            "day": String(date.day),
            "month": self["month_\(date.month)"],
            "year": String(date.year),
        ])
    }
}

/// A calendar date with no time zone, as PostgreSQL's `date` prints it.
public struct CivilDate: Equatable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(iso: some StringProtocol) {
        let parts = iso.prefix(10).split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }
}
