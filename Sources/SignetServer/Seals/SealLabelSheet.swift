import SignetCore

/// A printable A4 page of seal labels as SVG: a QR code of each seal's signed
/// URL with its serial, check code (and lot) under it, 5 × 8 labels of 42 × 37 mm, sized
/// in millimetres so it prints at scale. For small batches; label printers
/// take the CSV export.
struct SealLabelSheet {
    static let columns = 5
    static let rows = 8
    static let labelsPerPage = columns * rows
    /// Batches up to this size get label sheets.
    static let maximumLabels = 2_000

    struct Label {
        var serial: String
        var lot: String?
        var url: String
        var checkCode: String
    }

    static func pageCount(labels: Int) -> Int {
        max(1, (labels + labelsPerPage - 1) / labelsPerPage)
    }

    /// One page of `labels` (already cut to this page's share).
    static func page(_ labels: [Label], title: String) -> String {
        let pageWidth = 210.0, pageHeight = 297.0
        let labelWidth = 42.0, labelHeight = 37.0
        let marginX = (pageWidth - Double(columns) * labelWidth) / 2
        let marginY = (pageHeight - Double(rows) * labelHeight) / 2
        let codeSize = 27.0
        var body = ""
        for (index, label) in labels.prefix(labelsPerPage).enumerated() {
            let x = marginX + Double(index % columns) * labelWidth
            let y = marginY + Double(index / columns) * labelHeight
            body += "<g transform=\"translate(\(format(x)) \(format(y)))\">"
            body += "<rect width=\"\(format(labelWidth))\" height=\"\(format(labelHeight))\" fill=\"none\" stroke=\"#bbb\" stroke-width=\"0.2\" stroke-dasharray=\"1 1\"/>"
            if let (width, path) = QRCodeSVG.modulePath(label.url, quietZone: 2) {
                let scale = codeSize / Double(width + 4)
                body += "<g transform=\"translate(\(format((labelWidth - codeSize) / 2)) 1.5) scale(\(format(scale)))\">"
                body += "<path d=\"\(path)\" fill=\"#000\"/></g>"
            }
            let caption = label.lot.map { "\(label.serial) · \($0)" } ?? label.serial
            body += "<text x=\"\(format(labelWidth / 2))\" y=\"\(format(codeSize + 4.5))\" text-anchor=\"middle\" "
            body += "font-family=\"DejaVu Sans Mono, monospace\" font-size=\"2.8\">\(escape(caption))</text>"
            body += "<text x=\"\(format(labelWidth / 2))\" y=\"\(format(codeSize + 8))\" text-anchor=\"middle\" "
            body += "font-family=\"DejaVu Sans Mono, monospace\" font-size=\"2.8\">\(escape(label.checkCode))</text></g>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297" shape-rendering="crispEdges">\
            <title>\(escape(title))</title><rect width="210" height="297" fill="#fff"/>\(body)</svg>

            """
    }

    private static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// XML text escaping; serials may hold `&`, `<` and quotes (GS1 set 82).
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
