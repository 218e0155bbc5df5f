import TrainingCore

/// The numbers people and programs get wrong, fed to every numeric field of every entry (CLI, forms, JSON, CSV): too big
/// for any field, not numbers at all, negative zero, a value below a double's smallest, the decimal comma, what could be
/// digit grouping, nothing, and hundreds of digits.
public enum MistypedNumbers {
    public static let samples: [String] = [
        "1e20", "-1e20", "inf", "nan", "-0", "1e-400", "80,5", "1.234", "1.200,50", "1.200.000", "", String(repeating: "9", count: 400),
        "80.5", " 7 ", "0x10", "١٢",
    ]

    /// What the one reader makes of `text` in `field`: the value, or the refusal the entry must show.
    public static func expected(_ text: String, _ field: NumberField, name: String) -> Result<Double, NumberInputError> {
        Result { () throws(NumberInputError) -> Double in try field.read(text, field: name) }
    }
}
