import CSVImport
import Foundation
import Hummingbird
import Localization
import MultipartKit
import NIOFoundationCompat
import TrainingCore
import TrainingOffice

/// A posted multipart form with its files (CSV sheets, curriculum XML): read up to the upload limit and parsed on a
/// thread of the pool, not an event loop.
struct UploadedParts {
    let parts: [String: MultipartPart]

    static func read(_ request: Request, _ context: WebContext) async throws -> UploadedParts {
        var request = request
        let body = try await request.collectBody(upTo: BodyLimit.upload)
        guard let boundary = FormFields.boundary(of: request.headers[.contentType] ?? ""),
              let parts = try? await offload({ try FormFields.multipart(body, boundary: boundary) }) else {
            throw WebError.badRequest("file")
        }
        return UploadedParts(parts: parts)
    }

    /// The file sent in a field, with its own name (`fallback` when the browser sent none); nil when it is empty.
    func file(_ field: String, fallback: String) -> (name: String, data: Data)? {
        guard let part = parts[field], part.body.readableBytes > 0 else { return nil }
        return (Self.uploadName(part) ?? fallback, Data(buffer: part.body))
    }

    /// A plain field's text.
    func text(_ field: String) -> String? { parts[field].map { String(buffer: $0.body) } }

    /// The uploaded file's own name, without any folder part a browser or an attacker sent.
    static func uploadName(_ part: MultipartPart) -> String? {
        guard let disposition = part.headers.first(name: "Content-Disposition"),
              let range = disposition.range(of: "filename=\"") else { return nil }
        let rest = disposition[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let name = rest[..<end].split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(name.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\u{7F}" }.prefix(100))
        return clean.isEmpty || clean == "." || clean == ".." ? nil : String(clean)
    }
}

/// What an imported CSV sheet leaves on its page: a notice of how many rows were saved, or every problem (each row's
/// with its file, row and column) and the refusal's status.
enum SheetImportOutcome {
    case saved(notice: String)
    case refused(problems: [String])

    /// Reads the posted file (`file`, named `fallbackName` when the browser sends no name) and runs the import on the
    /// pool; a rule's refusal is an outcome, anything else is thrown.
    static func run(_ request: Request, _ context: WebContext, fallbackName: String,
                    _ importing: @escaping @Sendable (_ file: String, _ data: Data) throws -> Int) async throws -> SheetImportOutcome {
        let parts = try await UploadedParts.read(request, context)
        guard let (fileName, data) = parts.file("file", fallback: fallbackName) else { throw WebError.badRequest("file") }
        let t = context.localizer
        do {
            let count = try await offload { try importing(fileName, data) }
            return .saved(notice: t("web.import.done", ["count": String(count)]))
        } catch let problems as RowProblems {
            return .refused(problems: problems.items.map { RowProblemText.line($0, file: fileName, localizer: t) })
        } catch let error as any UserFacingError {
            return .refused(problems: [t.message(for: error)])
        }
    }
}
