/// A number typed by a person (a CLI argument, a form field, a CSV cell) or sent by a program (a JSON value): the one
/// reader every entry goes through. It takes the decimal comma people type here (`80,5`) as well as a point, refuses
/// what could be digit grouping (`1.234` is a thousand and something in a Bosnian spreadsheet, or one and a bit
/// elsewhere) rather than guessing, reads the grouping where it cannot be a decimal point (`1.200,50`, as obuka writes
/// amounts, and `1.200.000`), refuses NaN, infinities, exponents and values outside the field's range, and names
/// the field and the range in its message.
public struct NumberField: Hashable, Sendable {
    /// The smallest and largest value allowed.
    public let range: ClosedRange<Double>
    /// Whether only whole numbers are allowed.
    public let whole: Bool

    /// A field allowing `range`, whole numbers only or decimals too.
    public init(_ range: ClosedRange<Double>, whole: Bool) {
        self.range = range
        self.whole = whole
    }

    /// Minutes present at one session.
    public static let minutes = NumberField(0...1_440, whole: true)
    /// An assessment score (a curriculum's maximum is at most 1,000).
    public static let score = NumberField(0...1_000, whole: false)
    /// An attempt number.
    public static let attempt = NumberField(1...99, whole: true)
    /// Places in a cohort or seats in a venue.
    public static let capacity = NumberField(1...10_000, whole: true)
    /// A stored record's number (a session, a token).
    public static let recordNumber = NumberField(1...9_007_199_254_740_991, whole: true)
    /// How many rows a list shows at once (`--limit`, `?limit=`).
    public static let listLimit = NumberField(1...500, whole: true)
    /// A calendar year.
    public static let year = NumberField(1900...2100, whole: true)
    /// A program version.
    public static let version = NumberField(1...10_000, whole: true)
    /// How many days personal data of passing interest is kept.
    public static let retentionDays = NumberField(30...3_650, whole: true)
    /// Days after starting in the District by which required training is due.
    public static let dueDays = NumberField(0...3_650, whole: true)
    /// A quarter of the year.
    public static let quarter = NumberField(1...4, whole: true)
    /// Cohorts a plan item foresees.
    public static let plannedCohorts = NumberField(1...1_000, whole: true)
    /// Participant-hours a plan item foresees.
    public static let participantHours = NumberField(0...10_000_000, whole: false)
    /// A cost in KM (decimals are fenings).
    public static let costKM = NumberField(0...1_000_000_000, whole: false)
    /// Places of one department in a plan item.
    public static let plannedPlaces = NumberField(1...100_000, whole: true)
    /// People a department asks a training for without naming them.
    public static let headCount = NumberField(1...10_000, whole: true)
    /// A point on an evaluation questionnaire's scale.
    public static let reactionScale = NumberField(1...5, whole: true)
    /// Years a certificate counts for a required-training rule.
    public static let renewYears = NumberField(1...50, whole: true)
    /// Days ahead (certificates expiring within them).
    public static let daysAhead = NumberField(0...3_650, whole: true)

    /// Reads `text` as typed into the field named `field` (e.g. `--score`, `score_1001`, `row 5, score`).
    public func read(_ text: String, field: String) throws(NumberInputError) -> Double {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else { throw .missing(field: field, range: range) }
        guard let parsed = NumberSyntax(trimmed) else { throw .notANumber(field: field, value: trimmed, range: range) }
        if parsed.separator == UInt8(ascii: "."), parsed.fractionDigits == 3, !parsed.integerIsZero {
            throw .ambiguousGrouping(field: field, value: trimmed)
        }
        // More digits than a Double holds exactly is out of any range a field here allows.
        guard parsed.integerDigits <= 15, let value = Double(parsed.canonical) else {
            throw .outOfRange(field: field, value: trimmed, range: range)
        }
        return try check(value, field: field, as: trimmed)
    }

    /// Reads a whole number (see `read`).
    public func readWhole(_ text: String, field: String) throws(NumberInputError) -> Int {
        Int(try read(text, field: field))
    }

    /// Checks a number that arrived as a number (a JSON value): finite, in range, whole where required.
    /// `written` is how to show it in the message.
    public func check(_ value: Double, field: String, as written: String? = nil) throws(NumberInputError) -> Double {
        let shown = written ?? DecimalText.format(value)
        guard value.isFinite, range.contains(value) else { throw .outOfRange(field: field, value: shown, range: range) }
        guard !whole || value == value.rounded(.towardZero) else { throw .notWhole(field: field, value: shown, range: range) }
        return value == 0 ? 0 : value  // no negative zero
    }
}

/// Why a typed number was refused; the message names the field, what was typed and what is allowed.
public enum NumberInputError: UserFacingError, Equatable {
    case missing(field: String, range: ClosedRange<Double>)
    case notANumber(field: String, value: String, range: ClosedRange<Double>)
    case ambiguousGrouping(field: String, value: String)
    case outOfRange(field: String, value: String, range: ClosedRange<Double>)
    case notWhole(field: String, value: String, range: ClosedRange<Double>)

    public var messageKey: String {
        switch self {
        case .missing: "number.error.missing"
        case .notANumber: "number.error.not_a_number"
        case .ambiguousGrouping: "number.error.grouping"
        case .outOfRange: "number.error.out_of_range"
        case .notWhole: "number.error.not_whole"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .missing(let field, let range):
            ["field": field, "min": DecimalText.format(range.lowerBound), "max": DecimalText.format(range.upperBound)]
        case .notANumber(let field, let value, let range), .outOfRange(let field, let value, let range),
             .notWhole(let field, let value, let range):
            ["field": field, "value": Self.shown(value), "min": DecimalText.format(range.lowerBound),
             "max": DecimalText.format(range.upperBound)]
        case .ambiguousGrouping(let field, let value):
            ["field": field, "value": Self.shown(value), "whole": value.replacingDots(with: ""),
             "decimal": value.replacingDots(with: ",")]
        }
    }

    /// What was typed, shortened so a page of digits cannot fill the screen.
    private static func shown(_ value: String) -> String {
        value.count > 24 ? String(value.prefix(20)) + "…" : value
    }
}

extension String {
    fileprivate func replacingDots(with replacement: String) -> String {
        split(separator: ".", omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// `[+-]digits[(,|.)digits]`, or the District's grouped form `[+-]d[dd](.ddd)+[,digits]` (`1.200,50`, `1.200.000`),
/// nothing else: no exponent, no spaces, no other grouping, no words. The grouped form is read only where it cannot be
/// a decimal point: with a decimal comma after it or with more than one group; a lone `1.200` stays ambiguous.
private struct NumberSyntax {
    /// The number with a decimal point, for `Double(_:)`.
    let canonical: String
    let separator: UInt8?
    let integerDigits: Int
    let fractionDigits: Int
    let integerIsZero: Bool

    init?(_ text: String) {
        var bytes = Array(text.utf8)
        var sign = ""
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            if first == UInt8(ascii: "-") { sign = "-" }
            bytes.removeFirst()
        }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if let ungrouped = Self.ungrouped(bytes, isDigit: isDigit) { bytes = ungrouped }
        let separators = bytes.indices.filter { bytes[$0] == UInt8(ascii: ",") || bytes[$0] == UInt8(ascii: ".") }
        guard separators.count <= 1 else { return nil }
        let integer = separators.first.map { bytes[..<$0] } ?? bytes[...]
        let fraction = separators.first.map { bytes[($0 + 1)...] } ?? []
        guard !integer.isEmpty, integer.allSatisfy(isDigit), fraction.allSatisfy(isDigit),
              separators.isEmpty || !fraction.isEmpty else { return nil }
        // Leading zeros say nothing about size.
        let significant = integer.drop { $0 == UInt8(ascii: "0") }
        separator = separators.first.map { bytes[$0] }
        integerDigits = significant.count
        fractionDigits = fraction.count
        integerIsZero = significant.isEmpty
        canonical = sign + String(decoding: integer, as: UTF8.self)
            + (fraction.isEmpty ? "" : "." + String(decoding: fraction, as: UTF8.self))
    }

    /// `bytes` without their grouping dots when they are a grouped number (`1.200,50`, `1.200.000`), else nil.
    private static func ungrouped(_ bytes: [UInt8], isDigit: (UInt8) -> Bool) -> [UInt8]? {
        let comma = bytes.firstIndex(of: UInt8(ascii: ","))
        let whole = bytes[..<(comma ?? bytes.endIndex)]
        let groups = whole.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        // One dot and no comma is `1.200`: a thousand and two hundred here, one point two elsewhere.
        guard groups.count > 2 || (groups.count == 2 && comma != nil),
              let lead = groups.first, (1...3).contains(lead.count), lead.allSatisfy(isDigit),
              lead.first != UInt8(ascii: "0"),
              groups.dropFirst().allSatisfy({ $0.count == 3 && $0.allSatisfy(isDigit) }) else { return nil }
        return Array(groups.joined()) + bytes[(comma ?? bytes.endIndex)...]
    }
}

/// Numbers written the District's way, with a decimal comma: `80,5`, `7,25`, `100`. The one place numbers become
/// text, for messages, pages, reports and certificates alike.
public enum DecimalText {
    /// `value` with at most `decimals` decimals, trailing zeros dropped (`80,5`, `100`). Rounds the exact binary value
    /// half to even and keeps the sign of a negative value that rounds to zero, as C's printf does; large values are
    /// written in all their digits, infinities and NaN as Swift writes them, never a crash.
    public static func format(_ value: Double, decimals: Int = 2, comma: Bool = true) -> String {
        guard value.isFinite, (0...9).contains(decimals) else { return "\(value)" }
        let sign = value.sign == .minus ? "-" : ""
        // From 2^60 on a double is an integer far from any rounding: its digits, without a fraction.
        guard abs(value) < 0x1p60 else { return sign + integerDigits(abs(value)) }
        var scale: UInt128 = 1
        for _ in 0..<decimals { scale *= 10 }
        let magnitude = roundedScaled(abs(value), decimals: decimals)
        var text = sign + String(magnitude / scale)
        var fraction = magnitude % scale
        guard fraction != 0 else { return text }
        var digits = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let fractionText = String(fraction)
        text += (comma ? "," : ".") + String(repeating: "0", count: digits - fractionText.count) + fractionText
        return text
    }

    /// A count with its thousands grouped by a dot, as the District writes them: `9.680`, `10.171`, `256`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `format(value, decimals:)` with the thousands of its whole part grouped by a dot: `182.708,1`.
    public static func grouped(_ value: Double, decimals: Int) -> String {
        let text = format(value, decimals: decimals)
        guard value.isFinite, abs(value) < 0x1p60 else { return text }
        let parts = text.split(separator: ",", maxSplits: 1)
        let whole = parts[0].hasPrefix("-") ? parts[0].dropFirst() : parts[0]
        let grouped = (parts[0].hasPrefix("-") ? "-" : "") + count(Int(whole) ?? 0)
        return parts.count == 2 ? grouped + "," + parts[1] : grouped
    }

    /// An amount of money from its hundredths, thousands grouped and always two decimals: `1.250,50`.
    public static func money(hundredths: Int) -> String {
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = hundredths.magnitude
        let cents = String(magnitude % 100)
        return sign + count(Int(magnitude / 100)) + "," + (cents.count == 1 ? "0" + cents : cents)
    }

    /// A percentage with one decimal and a space before the sign (`87,5 %`), or `–` when there is none.
    public static func percent(_ value: Double?, comma: Bool = true) -> String {
        guard let value else { return "–" }
        return format(value, decimals: 1, comma: comma) + " %"
    }

    /// The decimal digits of a large integral double: its significand doubled `exponent` times, in base-10⁹ limbs.
    private static func integerDigits(_ value: Double) -> String {
        var limbs: [UInt64] = [value.significandBitPattern | 1 << 52]  // least significant first; normal, as value ≥ 2^60
        limbs = [limbs[0] % 1_000_000_000, limbs[0] / 1_000_000_000]
        for _ in 0..<(Int(value.exponent) - 52) {
            var carry: UInt64 = 0
            for index in limbs.indices {
                let doubled = limbs[index] * 2 + carry
                limbs[index] = doubled % 1_000_000_000
                carry = doubled / 1_000_000_000
            }
            if carry > 0 { limbs.append(carry) }
        }
        while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
        var text = String(limbs.last!)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }

    /// `value` × 10^`decimals`, rounded half to even on the exact binary value: value = significand × 2^exponent
    /// exactly, so the product is an integer times a power of two, divided exactly here.
    private static func roundedScaled(_ value: Double, decimals: Int) -> UInt128 {
        guard value != 0 else { return 0 }
        var product = UInt128(value.significandBitPattern | (value.isNormal ? 1 << 52 : 0))
        var exponent = Int(value.exponent) - 52
        if !value.isNormal { exponent = -1074 }
        for _ in 0..<decimals {
            product *= 5
            exponent += 1
        }
        if exponent >= 0 { return product << UInt128(exponent) }
        let shift = -exponent
        guard shift < 128 else { return 0 }
        let quotient = product >> UInt128(shift)
        let remainder = product - (quotient << UInt128(shift))
        let half = UInt128(1) << UInt128(shift - 1)
        if remainder > half || (remainder == half && quotient % 2 == 1) { return quotient + 1 }
        return quotient
    }
}
