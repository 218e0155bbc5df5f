import Testing
import TrainingCore

/// Numbers as the District writes them.
@Suite struct DecimalTextTests {
    @Test func groupedNumbersKeepTheirDecimalsAndSign() {
        #expect(DecimalText.grouped(182_708.125, decimals: 1) == "182.708,1")
        #expect(DecimalText.grouped(63_880, decimals: 1) == "63.880")
        #expect(DecimalText.grouped(999.95, decimals: 1) == "1.000")
        #expect(DecimalText.grouped(-1_234_567.5, decimals: 2) == "-1.234.567,5")
        #expect(DecimalText.grouped(0.25, decimals: 1) == "0,2")
        #expect(DecimalText.grouped(.infinity, decimals: 1) == DecimalText.format(.infinity, decimals: 1))
    }
}

/// Pages of a list computed whole: groups stay together, pages hold at most the limit, and walking forward then back
/// meets every row once.
@Suite struct InMemoryPagingTests {
    /// Rows (group, index): groups of 1 to 3 rows.
    let rows: [(group: Int64, index: Int)] = (1...40).flatMap { group in (0..<(Int(group) % 3 + 1)).map { (Int64(group), $0) } }

    @Test func forwardAndBackKeepGroupsWholeAndMeetEveryRowOnce() {
        var seen: [Int64] = [], position = ListPosition.first, pages: [ListSlice<(group: Int64, index: Int)>] = []
        while true {
            let page = ListSlice.page(of: rows, group: \.group, at: position, limit: 10)
            #expect(page.items.count <= 10 && !page.items.isEmpty && page.total == rows.count)
            #expect(page.hasPrevious == !pages.isEmpty)
            // A group is never split: the page's first row is a group's first, its last a group's last.
            #expect(page.items.first!.index == 0)
            #expect(page.items.last!.index == Int(page.items.last!.group) % 3)
            seen += page.items.map(\.group)
            pages.append(page)
            guard page.hasNext else { break }
            position = .after(page.items.last!.group)
        }
        #expect(seen == rows.map(\.group))
        // Back from the last page: the page before it ends where the last one starts.
        let back = ListSlice.page(of: rows, group: \.group, at: .before(pages.last!.items.first!.group), limit: 10)
        #expect(back.items.last!.group + 1 == pages.last!.items.first!.group)
        #expect(back.items.count <= 10 && back.hasNext)
        // An unknown id starts at the top; a group longer than the limit still makes a page.
        #expect(ListSlice.page(of: rows, group: \.group, at: .after(999), limit: 10).items.first!.group == 1)
        #expect(ListSlice.page(of: rows, group: \.group, at: .first, limit: 1).items.count == 2)
    }
}
