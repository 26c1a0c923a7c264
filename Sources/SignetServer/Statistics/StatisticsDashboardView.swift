import Foundation
import SignetCore

/// Turns the dashboard's numbers into the page's context: numbers, dates,
/// country and language names in the reader's language, and the SVG charts.
struct StatisticsDashboardView {
    let data: StatisticsDashboardData
    let question: StatisticsQuery
    let language: Language
    let strings: LocalizedStrings
    let countries: CountryNames
    let worldMap: WorldMap
    let productNames: [String: String]
    let typeNames: [String: String]

    var locale: Locale { Locale(identifier: language.rawValue) }

    func number(_ value: Int) -> String {
        value.formatted(.number.locale(locale))
    }

    func percent(_ share: Double, signed: Bool = false) -> String {
        var style = FloatingPointFormatStyle<Double>.Percent(locale: locale).precision(.fractionLength(0))
        if signed { style = style.sign(strategy: .always()) }
        return share.formatted(style)
    }

    /// The zone the buckets start in.
    var timeZone: TimeZone { TimeZone(identifier: question.timeZone) ?? TimeZone(identifier: "UTC")! }

    /// A bucket's label: "14 Jan", "14 janv.", "14. Jan."…, in the buckets' zone.
    func bucketLabel(_ date: Date) -> String {
        var style = Date.FormatStyle(date: .omitted, time: .omitted, locale: locale, timeZone: timeZone)
        style = style.day().month(.abbreviated)
        return date.formatted(style)
    }

    func dayText(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .long, time: .omitted, locale: locale, timeZone: timeZone))
    }

    func countryName(_ code: String) -> String {
        code == "unknown" ? strings["portal_stats_unknown_country"] : countries.name(of: code, in: language) ?? code
    }

    /// "+12 %" against the previous period, or a sentence when it had nothing.
    func change(_ now: Int, _ before: Int) -> String {
        guard before > 0 else { return now > 0 ? strings["portal_stats_change_new"] : "" }
        return strings.format("portal_stats_change", ["change": percent(Double(now - before) / Double(before), signed: true)])
    }

    func context() -> [String: Any] {
        let consultations = data.total?.consultations ?? 0
        let seals = data.total?.uniqueSeals ?? 0
        let before = data.previousTotal
        let genuine = data.byVerdict.filter { ["genuine_first", "genuine_seen"].contains($0.groups.first) }.reduce(0) { $0 + $1.consultations }
        let lastDay = question.to.addingTimeInterval(-1)
        var context: [String: Any] = [
            "hasData": consultations > 0,
            "periodText": strings.format("portal_stats_period_text", ["from": dayText(question.from), "to": dayText(lastDay)]),
            "totals": [
                ["label": strings["portal_stats_consultations"], "value": number(consultations),
                 "change": change(consultations, before?.consultations ?? 0)],
                ["label": strings["portal_stats_unique_seals"], "value": number(seals), "change": change(seals, before?.uniqueSeals ?? 0)],
                ["label": strings["portal_stats_genuine_share"],
                 "value": consultations > 0 ? percent(Double(genuine) / Double(consultations)) : "–", "change": ""],
            ] as [[String: Any]],
        ]
        guard consultations > 0 else { return context }
        context["timelineSVG"] = timelineSVG()
        context["countrySVG"] = barsSVG(id: "chart-country", titleKey: "portal_stats_by_country", rows: data.byCountry, name: countryName)
        context["mapSVG"] = mapSVG()
        context["languageSVG"] = barsSVG(id: "chart-language", titleKey: "portal_stats_by_language", rows: data.byLanguage) {
            StatisticsController.languageName($0, in: language)
        }
        context["typeSVG"] = barsSVG(id: "chart-type", titleKey: "portal_stats_by_type", rows: data.byType) { code in
            code.isEmpty ? strings["portal_stats_no_type"] : typeNames[code] ?? code
        }
        context["topProducts"] = Self.largestFirst(data.byProduct)
            .prefix(StatisticsController.topCount).map { row in
                let gtin = row.groups.first ?? ""
                return ["name": productNames[gtin] ?? gtin, "gtin": gtin, "consultations": number(row.consultations),
                        "seals": number(row.uniqueSeals)] as [String: Any]
            }
        context["suspiciousSeals"] = data.suspiciousSeals.map { seal in
            ["serial": seal.serial, "product": productNames[seal.gtin] ?? seal.gtin, "scans": number(seal.scans),
             "url": "/portal/seals/\(seal.sealID)"] as [String: Any]
        }
        return context
    }

    func mapSVG() -> String {
        let counts = Dictionary(data.byCountry.map { ($0.groups.first ?? "", $0.consultations) }, uniquingKeysWith: +)
        let shown = Self.largestFirst(data.byCountry.filter { worldMap.countries[$0.groups.first ?? ""] != nil })
        return worldMap.svg(
            id: "chart-map", title: strings["portal_stats_map"],
            description: shown.map { "\(countryName($0.groups.first ?? "")): \(number($0.consultations))" }.joined(separator: "; "),
            counts: counts, label: { code, count in "\(countryName(code)): \(number(count))" },
            legend: { low, high in low == high ? number(low) : "\(number(low))–\(number(high))" })
    }

    /// Every bucket of the period (empty ones too), stacked by verdict.
    func timelineSVG() -> String {
        let buckets = bucketStarts()
        let index = Dictionary(buckets.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let series = Verdict.allCases.map(\.rawValue).compactMap { verdict -> StatisticsChartSVG.Series? in
            var values = Array(repeating: 0, count: buckets.count)
            for row in data.timeline where row.groups.first == verdict {
                if let at = index[row.bucket] { values[at] += row.consultations }
            }
            guard values.contains(where: { $0 > 0 }) else { return nil }
            return .init(key: verdict, label: strings["verdict_\(verdict)_title"], colour: StatisticsChartSVG.colour(verdict: verdict),
                         values: values)
        }
        let parts = series.map { "\($0.label): \(number($0.values.reduce(0, +)))" }.joined(separator: "; ")
        return StatisticsChartSVG.stackedColumns(
            id: "chart-time", title: strings["portal_stats_over_time"],
            description: strings.format("portal_stats_over_time_desc", [
                "from": dayText(question.from), "to": dayText(question.to.addingTimeInterval(-1)), "parts": parts,
            ]),
            bucketLabels: buckets.map(bucketLabel), series: series, format: number)
    }

    func barsSVG(id: String, titleKey: String, rows: [StatisticsStore.Row], name: (String) -> String) -> String {
        let sorted = Self.largestFirst(rows).prefix(StatisticsController.topCount)
        let bars = sorted.map { row in
            StatisticsChartSVG.Bar(label: name(row.groups.first ?? ""), value: row.consultations, valueText: number(row.consultations))
        }
        return StatisticsChartSVG.bars(
            id: id, title: strings[titleKey],
            description: bars.map { "\($0.label): \($0.valueText)" }.joined(separator: "; "), bars: bars)
    }

    /// Most consultations first; ties by their first group's value, so the order never changes between reloads.
    static func largestFirst(_ rows: [StatisticsStore.Row]) -> [StatisticsStore.Row] {
        rows.sorted { ($0.consultations, $1.groups.first ?? "") > ($1.consultations, $0.groups.first ?? "") }
    }

    /// The starts of the period's buckets (days or ISO weeks of the question's zone), as the database cuts them.
    func bucketStarts() -> [Date] {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        var starts: [Date] = []
        var start: Date
        switch question.interval {
        case .week: start = calendar.dateInterval(of: .weekOfYear, for: question.from)!.start
        default: start = calendar.startOfDay(for: question.from)
        }
        let step: Calendar.Component = question.interval == .week ? .weekOfYear : .day
        while start < question.to {
            starts.append(start)
            start = calendar.date(byAdding: step, value: 1, to: start)!
        }
        return starts
    }
}
