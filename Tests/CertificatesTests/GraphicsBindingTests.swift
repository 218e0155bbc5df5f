import CGraphics
import Foundation
import Testing

/// CGraphics declares the part of cairo, pango and libqrencode that obuka uses, so that they are opened when first
/// drawn with instead of at every start. These tests hold the declarations to the system headers.
@Suite struct GraphicsBindingTests {
    static let header = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/CGraphics/include")

    /// Our constants and layouts, as Swift sees them.
    static let ours: [String: Int] = [
        "CAIRO_STATUS_SUCCESS": Int(CAIRO_STATUS_SUCCESS.rawValue),
        "CAIRO_STATUS_WRITE_ERROR": Int(CAIRO_STATUS_WRITE_ERROR.rawValue),
        "CAIRO_FORMAT_RGB24": Int(CAIRO_FORMAT_RGB24.rawValue),
        "CAIRO_FILTER_NEAREST": Int(CAIRO_FILTER_NEAREST.rawValue),
        "CAIRO_PDF_VERSION_1_5": Int(CAIRO_PDF_VERSION_1_5.rawValue),
        "CAIRO_PDF_METADATA_TITLE": Int(CAIRO_PDF_METADATA_TITLE.rawValue),
        "CAIRO_PDF_METADATA_AUTHOR": Int(CAIRO_PDF_METADATA_AUTHOR.rawValue),
        "CAIRO_PDF_METADATA_SUBJECT": Int(CAIRO_PDF_METADATA_SUBJECT.rawValue),
        "CAIRO_PDF_METADATA_KEYWORDS": Int(CAIRO_PDF_METADATA_KEYWORDS.rawValue),
        "CAIRO_PDF_METADATA_CREATOR": Int(CAIRO_PDF_METADATA_CREATOR.rawValue),
        "CAIRO_PDF_METADATA_CREATE_DATE": Int(CAIRO_PDF_METADATA_CREATE_DATE.rawValue),
        "CAIRO_PDF_METADATA_MOD_DATE": Int(CAIRO_PDF_METADATA_MOD_DATE.rawValue),
        "PANGO_WEIGHT_NORMAL": Int(PANGO_WEIGHT_NORMAL.rawValue),
        "PANGO_WEIGHT_BOLD": Int(PANGO_WEIGHT_BOLD.rawValue),
        "PANGO_STYLE_NORMAL": Int(PANGO_STYLE_NORMAL.rawValue),
        "PANGO_STYLE_ITALIC": Int(PANGO_STYLE_ITALIC.rawValue),
        "PANGO_ALIGN_LEFT": Int(PANGO_ALIGN_LEFT.rawValue),
        "PANGO_ALIGN_CENTER": Int(PANGO_ALIGN_CENTER.rawValue),
        "PANGO_ALIGN_RIGHT": Int(PANGO_ALIGN_RIGHT.rawValue),
        "PANGO_WRAP_WORD_CHAR": Int(PANGO_WRAP_WORD_CHAR.rawValue),
        "PANGO_SCALE": Int(PANGO_SCALE),
        "QR_ECLEVEL_M": Int(QR_ECLEVEL_M.rawValue),
        "QR_MODE_8": Int(QR_MODE_8.rawValue),
        "sizeof(cairo_status_t)": MemoryLayout<cairo_status_t>.size,
        "sizeof(PangoWeight)": MemoryLayout<PangoWeight>.size,
        "sizeof(QRecLevel)": MemoryLayout<QRecLevel>.size,
        "sizeof(PangoRectangle)": MemoryLayout<PangoRectangle>.size,
        "offsetof(PangoRectangle, x)": MemoryLayout<PangoRectangle>.offset(of: \.x)!,
        "offsetof(PangoRectangle, y)": MemoryLayout<PangoRectangle>.offset(of: \.y)!,
        "offsetof(PangoRectangle, width)": MemoryLayout<PangoRectangle>.offset(of: \.width)!,
        "offsetof(PangoRectangle, height)": MemoryLayout<PangoRectangle>.offset(of: \.height)!,
        "sizeof(QRcode)": MemoryLayout<QRcode>.size,
        "offsetof(QRcode, width)": MemoryLayout<QRcode>.offset(of: \.width)!,
        "offsetof(QRcode, data)": MemoryLayout<QRcode>.offset(of: \.data)!,
    ]

    @Test func declarationsMatchTheSystemHeaders() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("obuka-graphics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The system headers first, then ours without its own types: a prototype of ours that differs from the
        // library's is a compile error ("conflicting types").
        let program = """
            #include <pango/pangocairo.h>
            #include <cairo/cairo-pdf.h>
            #include <qrencode.h>
            #include <stddef.h>
            #include <stdio.h>
            #define OBUKA_GRAPHICS_CHECK_AGAINST_SYSTEM_HEADERS 1
            #include "CGraphics.h"
            int main(void) {
            \(Self.ours.keys.sorted().map { #"    printf("%s=%ld\n", "\#($0)", (long)(\#($0)));"# }.joined(separator: "\n"))
                return 0;
            }
            """
        let source = folder.appendingPathComponent("check.c"), binary = folder.appendingPathComponent("check")
        try program.write(to: source, atomically: true, encoding: .utf8)
        let flags = try Self.run("/usr/bin/pkg-config", ["--cflags", "pangocairo", "cairo-pdf", "libqrencode"])
        #expect(flags.status == 0, "\(flags.output)")
        let compiled = try Self.run("/usr/bin/cc", ["-Werror", "-o", binary.path, source.path, "-I", Self.header.path]
            + flags.output.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty })
        try #require(compiled.status == 0, "our declarations differ from the system headers:\n\(compiled.output)")

        let theirs = try Self.run(binary.path, []).output.split(separator: "\n").reduce(into: [String: Int]()) { values, line in
            let parts = line.split(separator: "=", maxSplits: 1)
            values[String(parts[0])] = Int(parts[1])
        }
        #expect(theirs.count == Self.ours.count)
        for (name, value) in Self.ours.sorted(by: { $0.key < $1.key }) {
            #expect(theirs[name] == value, "\(name): ours \(value), the library's \(theirs[name].map(String.init) ?? "missing")")
        }
    }

    @Test func theLibrariesOpenWhenAsked() {
        var message = [CChar](repeating: 0, count: 512)
        let status = obuka_graphics_load(&message, message.count)
        #expect(status == 0, "\(String(cString: message))")
    }

    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
