/// One CSV line per RFC 4180: a field with a comma, quote or line break is quoted.
public enum CSVRecord {
    /// With `neutralizingFormulas`, a field a spreadsheet would run as a
    /// formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a
    /// leading `'`: consultations carry serials that anyone scanning can choose.
    /// Files for label printers keep their fields exact.
    public static func line(_ fields: [String], neutralizingFormulas: Bool = false) -> String {
        fields.map { field in
            var field = field
            if neutralizingFormulas, let first = field.first, "=+-@\t\r".contains(first) { field = "'" + field }
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacing("\"", with: "\"\"") + "\""
        }.joined(separator: ",")
    }
}
