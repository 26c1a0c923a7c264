import CSV
import Foundation
import SignetCore

/// A packaging line's list of serials as CSV: one serial per row, in the
/// `serial` column when the first row is a header naming it, else in the first
/// column. Every row is checked before anything is stored; problems carry the
/// row's line number so the file can be fixed and sent again.
struct SerialImportFile {
    struct Problem: Equatable, Sendable {
        var line: Int
        /// A localization key, formatted with `serial` and `line`.
        var reason: String
        var serial: String
        var otherLine: Int?

        /// The problem as the manager reads it, e.g. "Line 5: “A1” already appears on line 2."
        func message(_ strings: LocalizedStrings) -> String {
            strings.format(reason, ["line": String(line), "serial": serial, "other": otherLine.map(String.init) ?? ""])
        }
    }

    /// The serials in file order with their line numbers.
    var serials: [(serial: String, line: Int)] = []
    var problems: [Problem] = []

    static let maximumRows = 1_000_000
    /// Enough to fix a file; a file with more problems is wrong throughout.
    static let maximumProblems = 100

    init(bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            problems.append(Problem(line: 1, reason: "portal_import_not_utf8", serial: ""))
            return
        }
        // A spreadsheet's byte-order mark would otherwise stick to the first cell.
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        // Spreadsheets set to French or German save with semicolons.
        let firstLine = body.prefix { $0 != "\n" && $0 != "\r" }
        let delimiter: UnicodeScalar = firstLine.contains(";") && !firstLine.contains(",") ? ";" : ","
        let reader: CSVReader
        do {
            reader = try CSVReader(string: body, hasHeaderRow: false, trimFields: true, delimiter: delimiter)
        } catch {
            problems.append(Problem(line: 1, reason: "portal_import_not_csv", serial: ""))
            return
        }
        var column = 0
        var seenOnLine: [String: Int] = [:]
        var line = 0
        while let row = reader.next() {
            line += 1
            if line == 1, let header = row.firstIndex(where: { $0.lowercased() == "serial" }) {
                column = header
                continue
            }
            if row.allSatisfy(\.isEmpty) { continue }
            if serials.count >= Self.maximumRows {
                problems.append(Problem(line: line, reason: "portal_import_too_many", serial: ""))
                break
            }
            let serial = column < row.count ? row[column] : ""
            if !AI82.isValid(serial) {
                problems.append(Problem(line: line, reason: "portal_import_bad_serial", serial: serial))
            } else if let first = seenOnLine[serial] {
                problems.append(Problem(line: line, reason: "portal_import_repeated", serial: serial, otherLine: first))
            } else {
                seenOnLine[serial] = line
                serials.append((serial, line))
            }
            if problems.count >= Self.maximumProblems { break }
        }
        if reader.error != nil {
            problems.append(Problem(line: line + 1, reason: "portal_import_not_csv", serial: ""))
        }
        if serials.isEmpty && problems.isEmpty {
            problems.append(Problem(line: 1, reason: "portal_import_empty", serial: ""))
        }
    }
}
