import CSV
import SignetCore

/// A packaging line's list of the NFC tags it put on a batch's seals, as CSV:
/// `serial,uid` per row (a header naming the columns is allowed, in any
/// order), the UID in 14 hexadecimal digits as the line read it. Every row is
/// checked before anything is stored, with its line number.
struct NFCTagFile {
    var tags: [(serial: String, uid: [UInt8], line: Int)] = []
    var problems: [SerialImportFile.Problem] = []

    static let maximumRows = 1_000_000

    init(bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            problems.append(.init(line: 1, reason: "portal_import_not_utf8", serial: ""))
            return
        }
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let firstLine = body.prefix { $0 != "\n" && $0 != "\r" }
        let delimiter: UnicodeScalar = firstLine.contains(";") && !firstLine.contains(",") ? ";" : ","
        guard let reader = try? CSVReader(string: body, hasHeaderRow: false, trimFields: true, delimiter: delimiter) else {
            problems.append(.init(line: 1, reason: "portal_import_not_csv", serial: ""))
            return
        }
        var (serialColumn, uidColumn) = (0, 1)
        var serialLines: [String: Int] = [:]
        var uidLines: [[UInt8]: Int] = [:]
        var line = 0
        while let row = reader.next() {
            line += 1
            let lowered = row.map { $0.lowercased() }
            if line == 1, let serial = lowered.firstIndex(of: "serial"), let uid = lowered.firstIndex(of: "uid") {
                (serialColumn, uidColumn) = (serial, uid)
                continue
            }
            if row.allSatisfy(\.isEmpty) { continue }
            if tags.count >= Self.maximumRows {
                problems.append(.init(line: line, reason: "portal_import_too_many", serial: ""))
                break
            }
            let serial = serialColumn < row.count ? row[serialColumn] : ""
            let uidText = uidColumn < row.count ? row[uidColumn] : ""
            if !AI82.isValid(serial) {
                problems.append(.init(line: line, reason: "portal_import_bad_serial", serial: serial))
            } else if let first = serialLines[serial] {
                problems.append(.init(line: line, reason: "portal_import_repeated", serial: serial, otherLine: first))
            } else if uidText.utf8.count != 14 || Hex.decode(uidText) == nil {
                problems.append(.init(line: line, reason: "portal_nfc_bad_uid", serial: uidText))
            } else if let uid = Hex.decode(uidText), let first = uidLines[uid] {
                problems.append(.init(line: line, reason: "portal_nfc_repeated_uid", serial: uidText, otherLine: first))
            } else if let uid = Hex.decode(uidText) {
                serialLines[serial] = line
                uidLines[uid] = line
                tags.append((serial, uid, line))
            }
            if problems.count >= SerialImportFile.maximumProblems { break }
        }
        if reader.error != nil {
            problems.append(.init(line: line + 1, reason: "portal_import_not_csv", serial: ""))
        }
        if tags.isEmpty && problems.isEmpty {
            problems.append(.init(line: 1, reason: "portal_import_empty", serial: ""))
        }
    }
}
