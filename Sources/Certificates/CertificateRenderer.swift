import CertificateTemplates
import CGraphics
import Foundation
import TrainingCore

/// Document information written into a certificate PDF.
public struct PDFMetadata: Sendable {
    public var title: String
    public var author: String
    public var subject: String
    /// Holds the signed token (`obuka-certificate:<token>`), which `pdfinfo` and the verifier read back.
    public var keywords: String
    /// The creation date written into the PDF: the issue date, so a reprint is byte-identical.
    public var created: LocalDate

    public init(title: String, author: String, subject: String, keywords: String, created: LocalDate) {
        self.title = title
        self.author = author
        self.subject = subject
        self.keywords = keywords
        self.created = created
    }
}

/// Why a PDF could not be produced.
public struct RenderingError: Error, CustomStringConvertible {
    public var description: String
}

/// Renders certificates to PDF with pango (text shaping, fonts subset and embedded) and cairo.
///
/// Not thread-safe: a PangoFontMap must not be shared between threads, so each rendering thread
/// creates its own renderer and reuses it for all its documents.
public final class CertificateRenderer {
    private let fontMap: OpaquePointer

    /// Creates a renderer with its own font map.
    public init() {
        fontMap = pango_cairo_font_map_new()
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(fontMap)) }

    private static let pointsPerMillimetre = 72.0 / 25.4

    /// Renders one page: the template's blocks filled with `fields`, and a QR code of `qrText`.
    public func render(_ template: CertificateTemplate, fields: [String: String], qrText: String,
                       metadata: PDFMetadata) throws -> Data {
        let buffer = PDFBuffer()
        let unmanaged = Unmanaged.passRetained(buffer)
        defer { unmanaged.release() }
        let mm = Self.pointsPerMillimetre
        guard let surface = cairo_pdf_surface_create_for_stream(
            { closure, data, length in
                guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
                Unmanaged<PDFBuffer>.fromOpaque(closure).takeUnretainedValue().data.append(data, count: Int(length))
                return CAIRO_STATUS_SUCCESS
            }, unmanaged.toOpaque(), template.width * mm, template.height * mm) else {
            throw RenderingError(description: "cannot create a PDF surface")
        }
        cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5)
        for (key, value) in [(CAIRO_PDF_METADATA_TITLE, metadata.title), (CAIRO_PDF_METADATA_AUTHOR, metadata.author),
                             (CAIRO_PDF_METADATA_SUBJECT, metadata.subject), (CAIRO_PDF_METADATA_KEYWORDS, metadata.keywords),
                             (CAIRO_PDF_METADATA_CREATOR, "obuka"),
                             (CAIRO_PDF_METADATA_CREATE_DATE, "\(metadata.created.iso)T00:00:00Z"),
                             (CAIRO_PDF_METADATA_MOD_DATE, "\(metadata.created.iso)T00:00:00Z")] {
            cairo_pdf_surface_set_metadata(surface, key, value)
        }
        let cr = cairo_create(surface)!
        defer {
            cairo_destroy(cr)
            cairo_surface_destroy(surface)
        }
        let context = pango_font_map_create_context(fontMap)!
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        // Sizes in the template are points and cairo's PDF unit is the point: 72 "dots" per inch.
        pango_cairo_context_set_resolution(context, 72)
        pango_cairo_update_context(cr, context)
        // Serbian glyph forms for Cyrillic (б, г, д, п, т differ from Russian ones in italic).
        pango_context_set_language(context, pango_language_from_string(template.language.pangoTag))

        for block in template.blocks {
            let text = CertificateTemplate.fill(block.text, fields)
            guard !text.isEmpty else { continue }
            let layout = pango_layout_new(context)!
            defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
            pango_layout_set_text(layout, text, -1)
            pango_layout_set_width(layout, Int32(block.width * mm * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
            pango_layout_set_alignment(layout, block.alignment == .center ? PANGO_ALIGN_CENTER
                                       : block.alignment == .right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT)
            fit(layout, block: block)
            cairo_set_source_rgb(cr, block.color.red, block.color.green, block.color.blue)
            cairo_move_to(cr, block.x * mm, block.y * mm)
            pango_cairo_show_layout(cr, layout)
        }
        for image in template.images { try draw(image, cr) }
        try drawQRCode(qrText, x: template.qr.x * mm, y: template.qr.y * mm, size: template.qr.size * mm, cr)

        cairo_show_page(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderingError(description: String(cString: cairo_status_to_string(status)))
        }
        return buffer.data
    }

    /// Sets the block's font, shrinking it in half-point steps until the text fits the block's height;
    /// below `minSize` the text is left larger than the box rather than cut off.
    private func fit(_ layout: OpaquePointer, block: CertificateTemplate.Block) {
        var size = block.size
        let floor = block.minSize ?? block.size
        while true {
            let description = pango_font_description_new()!
            pango_font_description_set_family(description, block.font)
            pango_font_description_set_weight(description, block.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
            pango_font_description_set_style(description, block.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
            pango_font_description_set_size(description, Int32(size * Double(PANGO_SCALE)))
            pango_layout_set_font_description(layout, description)
            pango_font_description_free(description)
            guard let height = block.height, size - 0.5 >= floor else { return }
            var logical = PangoRectangle()
            pango_layout_get_extents(layout, nil, &logical)
            if Double(logical.height) / Double(PANGO_SCALE) <= height * Self.pointsPerMillimetre { return }
            size -= 0.5
        }
    }

    /// Draws the QR code as one small 1-bit image scaled without smoothing: a few hundred bytes in the PDF,
    /// where a rectangle per module would cost kilobytes.
    private func drawQRCode(_ text: String, x: Double, y: Double, size: Double, _ cr: OpaquePointer) throws {
        guard let code = QRCode(text) else { throw RenderingError(description: "cannot encode the QR code") }
        // Four light modules of quiet zone on every side, inside the square the template gives. Each module is
        // a block of pixels so that viewers that smooth scaled images still show sharp edges.
        let modules = code.size + 8, scale = 8, side = modules * scale
        guard let image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(side), Int32(side)) else {
            throw RenderingError(description: "cannot create the QR image")
        }
        defer { cairo_surface_destroy(image) }
        cairo_surface_flush(image)
        let stride = Int(cairo_image_surface_get_stride(image))
        let pixels = cairo_image_surface_get_data(image)!
        // One line of pixels per row of modules, copied to the `scale` lines it covers (a pixel at a time, this was a
        // tenth of a certificate's drawing).
        var line = [UInt32](repeating: 0xFFFFFF, count: side)
        for moduleRow in -4..<(code.size + 4) {
            for index in line.indices { line[index] = 0xFFFFFF }
            if (0..<code.size).contains(moduleRow) {
                for moduleColumn in 0..<code.size where code.isDark(row: moduleRow, column: moduleColumn) {
                    let first = (moduleColumn + 4) * scale
                    for index in first..<(first + scale) { line[index] = 0x000000 }
                }
            }
            line.withUnsafeBytes { bytes in
                for row in ((moduleRow + 4) * scale)..<((moduleRow + 5) * scale) {
                    UnsafeMutableRawPointer(pixels + row * stride).copyMemory(from: bytes.baseAddress!, byteCount: side * 4)
                }
            }
        }
        cairo_surface_mark_dirty(image)
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, size / Double(side), size / Double(side))
        cairo_set_source_surface(cr, image, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    private func draw(_ image: CertificateTemplate.Image, _ cr: OpaquePointer) throws {
        let mm = Self.pointsPerMillimetre
        guard let surface = cairo_image_surface_create_from_png(image.file.path),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw RenderingError(description: "cannot read \(image.file.lastPathComponent)")
        }
        defer { cairo_surface_destroy(surface) }
        let width = Double(cairo_image_surface_get_width(surface)), height = Double(cairo_image_surface_get_height(surface))
        cairo_save(cr)
        cairo_translate(cr, image.x * mm, image.y * mm)
        cairo_scale(cr, image.width * mm / width, image.height * mm / height)
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_paint(cr)
        cairo_restore(cr)
    }
}

/// Collects the bytes cairo writes.
private final class PDFBuffer {
    var data = Data()
}
