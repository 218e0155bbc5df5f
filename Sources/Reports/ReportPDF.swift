import CGraphics
import Foundation
import TrainingCore

/// Writes a report as an A4 PDF with pango/cairo: fonts embedded, Latin or Cyrillic, charts drawn from the
/// same chart model as the SVG, tables continued on the next page with the header repeated.
public final class ReportPDF {
    private static let pageWidth = 595.28, pageHeight = 841.89, margin = 42.5
    private let fontMap: OpaquePointer

    /// A renderer with its own font map (not thread-safe: one per thread).
    public init() { fontMap = pango_cairo_font_map_new() }

    deinit { g_object_unref(UnsafeMutableRawPointer(fontMap)) }

    public func render(_ document: ReportDocument, created: LocalDate) throws -> Data {
        let buffer = Buffer()
        let unmanaged = Unmanaged.passRetained(buffer)
        defer { unmanaged.release() }
        guard let surface = cairo_pdf_surface_create_for_stream({ closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Buffer>.fromOpaque(closure).takeUnretainedValue().data.append(data, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, unmanaged.toOpaque(), Self.pageWidth, Self.pageHeight) else { throw ReportPDFError.surface }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, document.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "obuka")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "\(created.iso)T00:00:00Z")
        let cr = cairo_create(surface)!
        defer {
            cairo_destroy(cr)
            cairo_surface_destroy(surface)
        }
        let context = pango_font_map_create_context(fontMap)!
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        pango_cairo_context_set_resolution(context, 72)
        pango_cairo_update_context(cr, context)
        pango_context_set_language(context, pango_language_from_string(document.language.pangoTag))
        var page = Page(cr: cr, context: context, y: Self.margin)

        page.text(document.title, size: 16, bold: true, width: Self.pageWidth - 2 * Self.margin)
        for line in document.subtitle { page.text(line, size: 9, width: Self.pageWidth - 2 * Self.margin) }
        page.y += 8
        for chart in document.charts where !chart.labels.isEmpty {
            let scale = (Self.pageWidth - 2 * Self.margin) / Chart.Geometry.width
            page.ensure(Chart.Geometry.height * scale + 24)
            page.text(chart.title, size: 10, bold: true, width: Self.pageWidth - 2 * Self.margin)
            draw(chart, at: page.y, scale: scale, page: &page)
            page.y += Chart.Geometry.height * scale + 8
        }
        for table in document.tables { draw(table, page: &page) }
        cairo_show_page(cr)
        cairo_surface_finish(surface)
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { throw ReportPDFError.surface }
        return buffer.data
    }

    private func draw(_ table: ReportDocument.Table, page: inout Page) {
        let width = Self.pageWidth - 2 * Self.margin
        // A column is as wide as its longest cell, or its header's longest word (headers wrap between words, and
        // bold: two characters more), within 4 and 40 characters.
        let weights = table.columnWeights ?? table.header.indices.map { column in
            let longestCell = table.rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
            let longestWord = table.header[column].split(separator: " ").map(\.count).max() ?? 0
            return Double(min(max(longestCell, longestWord + 2, 4), 40))
        }
        let total = weights.reduce(0, +)
        let widths = weights.map { $0 / total * width }
        page.ensure(40)
        page.y += 6
        page.text(table.title, size: 11, bold: true, width: width)
        func row(_ cells: [String], header: Bool) {
            let heights = cells.enumerated().map { column, cell in
                page.measure(cell, size: 8, bold: header, width: widths[column] - 6)
            }
            let height = max((heights.max() ?? 10) + 6, header ? 0 : table.minimumRowHeight)
            if page.y + height > Self.pageHeight - Self.margin {
                page.newPage(top: Self.margin)
                if !header { row(table.header, header: true) }
            }
            var x = Self.margin
            if header {
                cairo_set_source_rgb(page.cr, 0.93, 0.95, 0.97)
                cairo_rectangle(page.cr, x, page.y, width, height)
                cairo_fill(page.cr)
            }
            cairo_set_source_rgb(page.cr, 0.8, 0.8, 0.8)
            cairo_set_line_width(page.cr, 0.5)
            cairo_move_to(page.cr, Self.margin, page.y + height)
            cairo_line_to(page.cr, Self.margin + width, page.y + height)
            cairo_stroke(page.cr)
            for (column, cell) in cells.enumerated() where column < widths.count {
                page.draw(cell, x: x + 3, y: page.y + 3, size: 8, bold: header, width: widths[column] - 6,
                          right: table.numericColumns.contains(column))
                x += widths[column]
            }
            page.y += height
        }
        row(table.header, header: true)
        for cells in table.rows { row(cells, header: false) }
        page.y += 8
    }

    private func draw(_ chart: Chart, at top: Double, scale: Double, page: inout Page) {
        let cr = page.cr
        cairo_save(cr)
        cairo_translate(cr, Self.margin, top)
        cairo_scale(cr, scale, scale)
        let colours: [(Double, Double, Double)] = [(0.12, 0.23, 0.37), (0.78, 0.64, 0.29)]
        cairo_set_line_width(cr, 0.5)
        for tick in chart.ticks {
            cairo_set_source_rgb(cr, 0.89, 0.89, 0.89)
            cairo_move_to(cr, Chart.Geometry.left, chart.y(tick))
            cairo_line_to(cr, Chart.Geometry.width - Chart.Geometry.right, chart.y(tick))
            cairo_stroke(cr)
            page.draw(NumberFormat(language: .bosnian).number(tick, decimals: 0), x: 0, y: chart.y(tick) - 6, size: 9, bold: false,
                      width: Chart.Geometry.left - 4, right: true)
        }
        for (seriesIndex, series) in chart.series.enumerated() {
            let colour = colours[seriesIndex % colours.count]
            cairo_set_source_rgb(cr, colour.0, colour.1, colour.2)
            switch chart.kind {
            case .bars:
                for (index, value) in series.values.enumerated() {
                    let offset = (Double(seriesIndex) - Double(chart.series.count - 1) / 2) * chart.barWidth
                    cairo_rectangle(cr, chart.x(index) + offset - chart.barWidth / 2, chart.y(value), chart.barWidth, chart.y(0) - chart.y(value))
                }
                cairo_fill(cr)
            case .line:
                cairo_set_line_width(cr, 2)
                for (index, value) in series.values.enumerated() {
                    if index == 0 { cairo_move_to(cr, chart.x(index), chart.y(value)) } else { cairo_line_to(cr, chart.x(index), chart.y(value)) }
                }
                cairo_stroke(cr)
            }
            cairo_rectangle(cr, Chart.Geometry.left + Double(seriesIndex) * 160, 4, 10, 10)
            cairo_fill(cr)
            page.draw(series.name, x: Chart.Geometry.left + Double(seriesIndex) * 160 + 14, y: 2, size: 10, bold: false, width: 140, right: false)
        }
        for (index, label) in chart.labels.enumerated() {
            page.draw(label, x: chart.x(index) - 40, y: Chart.Geometry.height - 32, size: 9, bold: false, width: 80, right: false,
                      center: true)
        }
        cairo_restore(cr)
    }

    /// Drawing state: where the next line goes, and new pages.
    struct Page {
        let cr: OpaquePointer
        let context: OpaquePointer
        var y: Double

        mutating func newPage(top: Double) {
            cairo_show_page(cr)
            y = top
        }

        mutating func ensure(_ height: Double) {
            if y + height > ReportPDF.pageHeight - ReportPDF.margin { newPage(top: ReportPDF.margin) }
        }

        mutating func text(_ text: String, size: Double, bold: Bool = false, width: Double) {
            let height = measure(text, size: size, bold: bold, width: width)
            ensure(height)
            draw(text, x: ReportPDF.margin, y: y, size: size, bold: bold, width: width, right: false)
            y += height + 2
        }

        func layout(_ text: String, size: Double, bold: Bool, width: Double) -> OpaquePointer {
            let layout = pango_layout_new(context)!
            let description = pango_font_description_new()!
            pango_font_description_set_family(description, "DejaVu Sans")
            pango_font_description_set_weight(description, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
            pango_font_description_set_size(description, Int32(size * Double(PANGO_SCALE)))
            pango_layout_set_font_description(layout, description)
            pango_font_description_free(description)
            pango_layout_set_width(layout, Int32(max(width, 1) * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
            pango_layout_set_text(layout, text, -1)
            return layout
        }

        func measure(_ text: String, size: Double, bold: Bool, width: Double) -> Double {
            let layout = layout(text, size: size, bold: bold, width: width)
            defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
            var logical = PangoRectangle()
            pango_layout_get_extents(layout, nil, &logical)
            return Double(logical.height) / Double(PANGO_SCALE)
        }

        func draw(_ text: String, x: Double, y: Double, size: Double, bold: Bool, width: Double, right: Bool, center: Bool = false) {
            let layout = layout(text, size: size, bold: bold, width: width)
            defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
            pango_layout_set_alignment(layout, center ? PANGO_ALIGN_CENTER : right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT)
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1)
            cairo_move_to(cr, x, y)
            pango_cairo_show_layout(cr, layout)
        }
    }

    private final class Buffer { var data = Data() }
}

/// Why a report PDF could not be written.
public enum ReportPDFError: Error { case surface }
