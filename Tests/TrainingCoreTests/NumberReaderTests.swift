import Testing
import TrainingCore

/// The one number reader: the decimal comma and point, the District's digit grouping where it cannot be a decimal
/// point, and refusals that name the field.
@Suite struct NumberReaderTests {
    let cost = NumberField.costKM
    let signed = NumberField(-10_000_000...10_000_000, whole: false)

    @Test func theDistrictsGroupedFormIsReadWhereItCannotBeADecimalPoint() throws {
        #expect(try cost.read("1.200,50", field: "cost") == 1_200.5)
        #expect(try cost.read(" 1.200,50 ", field: "cost") == 1_200.5)
        #expect(try signed.read("-1.200,50", field: "n") == -1_200.5)
        #expect(try cost.read("1.200.000", field: "cost") == 1_200_000)
        #expect(try cost.read("12.345.678,9", field: "cost") == 12_345_678.9)
        // What was read before is read the same.
        #expect(try cost.read("1200,50", field: "cost") == 1_200.5)
        #expect(try cost.read("80.5", field: "cost") == 80.5)
        #expect(try cost.read("0.200", field: "cost") == 0.2)
        #expect(try cost.read("1.2", field: "cost") == 1.2)
    }

    @Test func aLoneDotGroupStaysAmbiguous() {
        #expect(throws: NumberInputError.ambiguousGrouping(field: "cost", value: "1.200")) { try cost.read("1.200", field: "cost") }
    }

    @Test func misgroupedTextIsNotANumber() {
        for text in ["12.00,5", "1.2000,5", ".200,5", "1.200,", "0.200,5", "01.200,5", "1..200", "1.200,5,0", "1,200.50",
                     "1.20.000", "1234.567,8", "1.200.00", "1.200.000.", "+-1.200,5"] {
            #expect(throws: NumberInputError.notANumber(field: "cost", value: text, range: cost.range), "\(text)") {
                try cost.read(text, field: "cost")
            }
        }
    }
}
