import CSV
import Foundation
import Mustache

/// Writes a report as CSV: UTF-8 with BOM, `;` by default (Excel in a Bosnian locale), each table under its
/// title row; cells that a spreadsheet would run as a formula are neutralised.
public enum ReportCSV {
    public static func render(_ document: ReportDocument, delimiter: Character = ";") throws -> Data {
        let stream = OutputStream(toMemory: ())
        stream.open()
        let writer = try CSVWriter(stream: stream, delimiter: String(delimiter), newline: .crlf)
        try writer.write(row: [neutralise(document.title)])
        for line in document.subtitle {
            writer.beginNewRow()
            try writer.write(row: [neutralise(line)], quotedAtIndex: { _ in true })
        }
        for table in document.tables {
            writer.beginNewRow()
            writer.beginNewRow()
            try writer.write(row: [neutralise(table.title)], quotedAtIndex: { _ in true })
            writer.beginNewRow()
            try writer.write(row: table.header.map(neutralise), quotedAtIndex: { _ in true })
            for row in table.rows {
                writer.beginNewRow()
                try writer.write(row: row.map(neutralise), quotedAtIndex: { _ in true })
            }
        }
        stream.close()
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append((stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data) ?? Data())
        data.append(contentsOf: [0x0D, 0x0A])  // the writer ends rows only before the next one; a text file ends its last line
        return data
    }

    /// A cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with an apostrophe so a spreadsheet shows it
    /// as text instead of running it.
    public static func neutralise(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return cell }
        return "'" + cell
    }
}

/// Writes a report as one HTML page with inline SVG charts, through an auto-escaping Mustache template.
public enum ReportHTML {
    static let template: MustacheTemplate = {
        // The template is bundled; a missing one is a build defect caught by the tests.
        let url = Bundle.module.url(forResource: "report", withExtension: "mustache")!
        _ = HTMLEscaping.registered
        return try! MustacheTemplate(string: String(contentsOf: url, encoding: .utf8))
    }()

    /// A link shown above a report page (back to the reports, the same report as CSV or PDF).
    public struct Link: Sendable {
        public var href, label: String
        public init(href: String, label: String) {
            self.href = href
            self.label = label
        }
    }

    /// The report as a standalone page; `links` go in a navigation bar above it (none in a saved copy).
    public static func render(_ document: ReportDocument, links: [Link] = []) -> String {
        var values = context(document)
        if !links.isEmpty {
            values["has_links"] = true
            values["links"] = links.map { TemplateFields([("href", TemplateText($0.href)), ("label", TemplateText($0.label))]) }
        }
        return template.render(values)
    }

    static func context(_ document: ReportDocument) -> [String: Any] {
        [
            "lang": TemplateText(document.language.rawValue),
            "title": TemplateText(document.title),
            "subtitle": document.subtitle.map(TemplateText.init),
            // A table's numbers are right-aligned by its columns (CSS nth-child, from 1), not a class on every cell:
            // the cells are plain texts, the cheapest thing to render (a large department has thousands).
            "tables": document.tables.enumerated().map { index, table in
                TemplateFields([
                    ("id", TemplateText("t\(index + 1)")),
                    ("title", TemplateText(table.title)),
                    ("numeric", table.numericColumns.sorted().map { TemplateText(String($0 + 1)) }),
                    ("header", table.header.enumerated().map { column, text in
                        TemplateFields([("text", TemplateText(text)), ("numeric", table.numericColumns.contains(column))])
                    }),
                    ("rows", table.rows.map { $0.map(TemplateText.init) }),
                ])
            },
            "charts": document.charts.map(ChartSVG.context),
        ]
    }
}

/// Named values for a template, each already a `TemplateText`, a section's list or a flag. Mustache looks a name up
/// here directly; a `[String: Any]` reached it through a conditional conformance, and a number was tried as a
/// template, a lambda and an optional before it was written. A report page has a few thousand of them.
struct TemplateFields: MustacheParent {
    private let fields: [(name: String, value: Any)]

    init(_ fields: [(name: String, value: Any)]) { self.fields = fields }

    func child(named name: String) -> Any? { fields.first { $0.name == name }?.value }
}

/// The SVG drawing of a chart: coordinates computed from the shared chart geometry, markup from the template.
enum ChartSVG {
    static let colours = ["#1f3a5f", "#c8a24a"]

    static func context(_ chart: Chart) -> TemplateFields {
        let geometry = Chart.Geometry.self
        let format = NumberFormat(language: .bosnian)
        // Coordinates are written as Swift writes a Double (`120.0`), as the template always showed them.
        func number(_ value: Double) -> TemplateText { TemplateText("\(value)") }
        var fields: [(name: String, value: Any)] = [
            ("title", TemplateText(chart.title)), ("width", number(geometry.width)), ("height", number(geometry.height)),
            ("left", number(geometry.left)), ("right", number(geometry.width - geometry.right)),
            ("bottom", number(geometry.top + geometry.plotHeight)),
            ("ticks", chart.ticks.map {
                TemplateFields([("y", number(chart.y($0))), ("label", TemplateText(format.number($0, decimals: 0) + " " + chart.unit))])
            }),
            ("labels", chart.labels.enumerated().map {
                TemplateFields([("x", number(chart.x($0))), ("y", number(geometry.height - 24)), ("text", TemplateText($1))])
            }),
            ("legend", chart.series.enumerated().map { index, series in
                TemplateFields([("x", number(geometry.left + Double(index) * 160)),
                                ("colour", TemplateText(colours[index % colours.count])), ("name", TemplateText(series.name))])
            }),
        ]
        switch chart.kind {
        case .bars:
            let width = chart.barWidth
            fields.append(("bars", chart.series.enumerated().flatMap { seriesIndex, series in
                series.values.enumerated().map { index, value in
                    let offset = (Double(seriesIndex) - Double(chart.series.count - 1) / 2) * width
                    return TemplateFields([
                        ("x", number(chart.x(index) + offset - width / 2)), ("y", number(chart.y(value))), ("width", number(width)),
                        ("height", number(chart.y(0) - chart.y(value))), ("colour", TemplateText(colours[seriesIndex % colours.count])),
                        ("value", TemplateText(format.number(value, decimals: 1))),
                    ])
                }
            }))
        case .line:
            fields.append(("lines", chart.series.enumerated().map { seriesIndex, series in
                TemplateFields([
                    ("points", TemplateText(series.values.enumerated().map { "\(chart.x($0)),\(chart.y($1))" }.joined(separator: " "))),
                    ("colour", TemplateText(colours[seriesIndex % colours.count])),
                    ("dots", series.values.enumerated().map { TemplateFields([("x", number(chart.x($0))), ("y", number(chart.y($1)))]) }),
                ])
            }))
        }
        return TemplateFields(fields)
    }
}
