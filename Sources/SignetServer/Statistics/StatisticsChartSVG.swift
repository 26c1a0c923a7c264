import Foundation

/// The dashboard's charts as SVG drawn on the server: no script, no build
/// step. Each chart has a `<title>` and a `<desc>` (its text alternative,
/// read by screen readers) and a `<title>` on every bar for pointers. The
/// drawing is 360 units wide, about a phone's width, so its text stays
/// readable there; CSS lets it grow on wider screens. Colours are the
/// Okabe–Ito palette, told apart with the common colour-vision deficiencies,
/// and every series is also named in a legend.
enum StatisticsChartSVG {
    static let width = 360.0

    /// Okabe–Ito colours by verdict.
    static func colour(verdict: String) -> String {
        switch verdict {
        case "genuine_first": "#009E73"
        case "genuine_seen": "#56B4E9"
        case "suspicious": "#E69F00"
        case "counterfeit": "#D55E00"
        case "recalled": "#CC79A7"
        case "inactive": "#999999"
        case "replayed": "#000000"
        case "tampered": "#F0E442"
        case "stolen": "#882255"
        case "destroyed": "#661100"
        default: "#0072B2"
        }
    }

    static let barColour = "#0072B2"

    struct Series {
        var key: String
        var label: String
        var colour: String
        /// One value per bucket.
        var values: [Int]
    }

    struct Bar {
        var label: String
        var value: Int
        var valueText: String
    }

    /// Columns per bucket, the series stacked in order, a scale on the left and a legend below.
    static func stackedColumns(
        id: String, title: String, description: String, bucketLabels: [String], series: [Series], format: (Int) -> String
    ) -> String {
        let plotLeft = 44.0, plotTop = 10.0, plotHeight = 150.0
        let plotWidth = width - plotLeft - 6
        let totals = bucketLabels.indices.map { index in series.reduce(0) { $0 + ($1.values[safe: index] ?? 0) } }
        let top = niceCeiling(totals.max() ?? 0)
        // One legend entry a line: verdict names run long in French and German.
        let height = plotTop + plotHeight + 24 + Double(series.count) * 16 + 4
        var svg = header(id: id, title: title, description: description, height: height)
        // Scale: four lines with their values.
        for step in 0...4 {
            let value = top * step / 4
            let y = plotTop + plotHeight - plotHeight * Double(step) / 4
            svg += ##"<line x1="\##(plotLeft)" x2="\##(width - 6)" y1="\##(f(y))" y2="\##(f(y))" stroke="#d0d5dd" stroke-width="0.5"/>"##
            svg += ##"<text x="\##(plotLeft - 4)" y="\##(f(y + 3.5))" text-anchor="end" font-size="10" fill="#475467">\##(HTML.escape(format(value)))</text>"##
        }
        let slot = bucketLabels.isEmpty ? plotWidth : plotWidth / Double(bucketLabels.count)
        let barWidth = max(1, slot * 0.8)
        // At most about six labels under the axis, evenly spread.
        let labelEvery = max(1, Int((Double(bucketLabels.count) / 6).rounded(.up)))
        for (index, label) in bucketLabels.enumerated() {
            let x = plotLeft + slot * Double(index) + (slot - barWidth) / 2
            var base = plotTop + plotHeight
            for item in series {
                let value = item.values[safe: index] ?? 0
                guard value > 0, top > 0 else { continue }
                let h = plotHeight * Double(value) / Double(top)
                base -= h
                svg += ##"<rect class="chart-bar" data-series="\##(HTML.escape(item.key))" x="\##(f(x))" y="\##(f(base))" width="\##(f(barWidth))" height="\##(f(h))" fill="\##(item.colour)">"##
                svg += "<title>\(HTML.escape("\(label) · \(item.label): \(format(value))"))</title></rect>"
            }
            if index % labelEvery == 0 {
                svg += ##"<text x="\##(f(x + barWidth / 2))" y="\##(f(plotTop + plotHeight + 13))" text-anchor="middle" font-size="10" fill="#475467">\##(HTML.escape(label))</text>"##
            }
        }
        for (index, item) in series.enumerated() {
            let x = plotLeft
            let y = plotTop + plotHeight + 24 + Double(index) * 16
            svg += ##"<rect x="\##(f(x))" y="\##(f(y))" width="10" height="10" fill="\##(item.colour)"/>"##
            svg += ##"<text x="\##(f(x + 14))" y="\##(f(y + 9))" font-size="11" fill="#101828">\##(HTML.escape(item.label))</text>"##
        }
        return svg + "</svg>"
    }

    /// One horizontal bar per item, its label above it and its value at its end.
    static func bars(id: String, title: String, description: String, bars: [Bar], colour: String = barColour) -> String {
        let rowHeight = 30.0
        let height = max(1, Double(bars.count)) * rowHeight + 4
        let top = max(1, bars.map(\.value).max() ?? 1)
        let barSpace = width - 70
        var svg = header(id: id, title: title, description: description, height: height)
        for (index, bar) in bars.enumerated() {
            let y = Double(index) * rowHeight
            let length = max(bar.value > 0 ? 2 : 0, barSpace * Double(bar.value) / Double(top))
            svg += ##"<text x="0" y="\##(f(y + 11))" font-size="11" fill="#101828">\##(HTML.escape(bar.label))</text>"##
            svg += ##"<rect class="chart-bar" x="0" y="\##(f(y + 14))" width="\##(f(length))" height="12" fill="\##(colour)">"##
            svg += "<title>\(HTML.escape("\(bar.label): \(bar.valueText)"))</title></rect>"
            svg += ##"<text x="\##(f(length + 4))" y="\##(f(y + 24))" font-size="11" fill="#101828">\##(HTML.escape(bar.valueText))</text>"##
        }
        return svg + "</svg>"
    }

    static func header(id: String, title: String, description: String, height: Double) -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 \#(f(width)) \#(f(height))" aria-labelledby="\#(id)-title \#(id)-desc" font-family="system-ui, sans-serif">"#
            + #"<title id="\#(id)-title">\#(HTML.escape(title))</title><desc id="\#(id)-desc">\#(HTML.escape(description))</desc>"#
    }

    /// 1, 2 or 5 times a power of ten, at least `value` (and at least 4, so the scale's quarters are whole).
    static func niceCeiling(_ value: Int) -> Int {
        guard value > 4 else { return 4 }
        var magnitude = 1
        while magnitude * 10 <= value { magnitude *= 10 }
        for step in [1, 2, 5, 10] where step * magnitude >= value {
            let nice = step * magnitude
            return nice % 4 == 0 ? nice : (nice / 4 + 1) * 4
        }
        return value
    }

    /// Coordinates with at most one decimal, so the markup stays short.
    static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
