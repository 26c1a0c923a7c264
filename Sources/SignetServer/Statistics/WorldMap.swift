import Foundation

/// Country shapes for the dashboard's map: `Maps/world-countries.json`,
/// simplified from Natural Earth's admin-0 countries (public domain) by
/// `scripts/world-map`. Loaded once at start-up.
struct WorldMap: Sendable {
    let viewBox: String
    /// SVG path data by ISO 3166-1 alpha-2 code.
    let countries: [String: String]
    let source: String

    private struct Document: Decodable {
        var source: String
        var viewBox: String
        var countries: [String: String]
    }

    static func load(resourcesDirectory: String) throws -> WorldMap {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(resourcesDirectory)/Maps/world-countries.json"))
        let document = try JSONDecoder().decode(Document.self, from: data)
        return WorldMap(viewBox: document.viewBox, countries: document.countries, source: document.source)
    }

    /// Five shades of one blue, light to dark: ordered by lightness, so they
    /// read the same with any colour-vision deficiency and in grey.
    static let shades = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
    static let noData = "#eeeeee"

    /// The map with each country shaded by its share of the largest count,
    /// a `<title>` per shaded country and a legend of the five classes.
    func svg(id: String, title: String, description: String, counts: [String: Int], label: (String, Int) -> String,
             legend: (Int, Int) -> String) -> String
    {
        let top = max(1, counts.values.max() ?? 1)
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--map" role="img" viewBox="0 0 360 160" aria-labelledby="\#(id)-title \#(id)-desc" font-family="system-ui, sans-serif">"#
        svg += #"<title id="\#(id)-title">\#(HTML.escape(title))</title><desc id="\#(id)-desc">\#(HTML.escape(description))</desc>"#
        for (code, path) in countries.sorted(by: { $0.key < $1.key }) {
            let count = counts[code] ?? 0
            let fill = count > 0 ? Self.shades[Self.shadeIndex(count, top: top)] : Self.noData
            svg += ##"<path d="\##(path)" fill="\##(fill)" stroke="#ffffff" stroke-width="0.2""##
            if count > 0 {
                svg += #" data-country="\#(code)"><title>\#(HTML.escape(label(code, count)))</title></path>"#
            } else {
                svg += "/>"
            }
        }
        for (index, shade) in Self.shades.enumerated() {
            let low = index == 0 ? 1 : top * index / Self.shades.count + 1
            let high = top * (index + 1) / Self.shades.count
            guard high >= low else { continue }
            let x = 4.0 + Double(index) * 70
            svg += ##"<rect x="\##(Int(x))" y="146" width="10" height="10" fill="\##(shade)" stroke="#98a2b3" stroke-width="0.3"/>"##
            svg += ##"<text x="\##(Int(x) + 13)" y="154.5" font-size="10" fill="#101828">\##(HTML.escape(legend(low, high)))</text>"##
        }
        return svg + "</svg>"
    }

    static func shadeIndex(_ count: Int, top: Int) -> Int {
        min(shades.count - 1, max(0, (count * shades.count - 1) / top))
    }
}
