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
