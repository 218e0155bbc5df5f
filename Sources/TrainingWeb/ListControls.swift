import Foundation
import Hummingbird
import Localization
import TrainingCore

/// The state of a long list as its URL keeps it (search, filters, order, page) and the links that change one part of it:
/// column headers that sort, previous and next pages that keep everything else.
struct ListControls {
    /// A column header: sorts by its column, the other way round when it is the current order.
    struct SortHeader {
        let label, href: String
        /// `ascending` or `descending` for the current order's column (its `aria-sort`), else nil.
        let aria_sort: String?
    }

    /// Links to the neighbouring pages, and what the page shows.
    struct Pager {
        let previous, next: String?
        let summary: String
    }

    let path: String
    /// The filters and search as the URL holds them, in a fixed order.
    let filters: [(String, String)]
    let sort: String
    let descending: Bool
    let position: ListPosition

    /// Reads the order and position from a request; a bad page position is a bad request.
    init(_ request: Request, path: String, filters: [String], sorts: [String], defaultSort: String, defaultDescending: Bool,
         _ t: Localizer) throws {
        self.path = path
        self.filters = filters.compactMap { name in request.query(name).map { (name, $0) } }
        sort = request.query("sort").flatMap { sorts.contains($0) ? $0 : nil } ?? defaultSort
        descending = request.query("dir").map { $0 == "desc" } ?? (sort == defaultSort && defaultDescending)
        func id(_ name: String) throws -> Int64? { try Self.number(request, name, .recordNumber, t).map(Int64.init) }
        position = try id("after").map(ListPosition.after) ?? id("before").map(ListPosition.before) ?? .first
    }

    /// A whole number in the query (a filter's year), read as every number is; a bad one is a bad request.
    static func number(_ request: Request, _ name: String, _ field: NumberField, _ t: Localizer) throws -> Int? {
        guard let text = request.query(name) else { return nil }
        do throws(NumberInputError) {
            return try field.readWhole(text, field: name)
        } catch {
            throw WebError.badRequest(t.message(for: error))
        }
    }

    /// The list's URL with this order (and no page position).
    func href(sort: String, descending: Bool) -> String {
        link(filters + [("sort", sort), ("dir", descending ? "desc" : "asc")])
    }

    /// A header per column: clicking the current order's column reverses it.
    func headers(_ columns: [(sort: String, label: String)]) -> [SortHeader] {
        columns.map { column in
            let current = column.sort == sort
            return SortHeader(label: column.label, href: href(sort: column.sort, descending: current ? !descending : false),
                              aria_sort: current ? (descending ? "descending" : "ascending") : nil)
        }
    }

    /// Links to the pages before and after this slice (by its first and last row), and "100 od 5.001".
    func pager<Item>(_ slice: ListSlice<Item>, id: (Item) -> Int64, _ t: Localizer) -> Pager {
        let order = [("sort", sort), ("dir", descending ? "desc" : "asc")]
        return Pager(
            previous: slice.hasPrevious ? slice.items.first.map { link(filters + order + [("before", String(id($0)))]) } : nil,
            next: slice.hasNext ? slice.items.last.map { link(filters + order + [("after", String(id($0)))]) } : nil,
            summary: t("web.list.summary", ["shown": DecimalText.count(slice.items.count), "total": DecimalText.count(slice.total)]))
    }

    /// A local URL with its query percent-encoded.
    private func link(_ parameters: [(String, String)]) -> String {
        guard !parameters.isEmpty else { return path }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return path + "?" + parameters.map {
            "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }
}
