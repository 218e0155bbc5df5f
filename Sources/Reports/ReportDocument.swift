import TrainingCore

/// A report laid out once and written to HTML, CSV or PDF: headings, tables and charts.
public struct ReportDocument: Sendable {
    /// A table with a header row; long tables continue on the next PDF page with the header repeated.
    public struct Table: Sendable {
        public var title: String
        public var header: [String]
        public var rows: [[String]]
        /// Columns holding numbers (right-aligned).
        public var numericColumns: Set<Int>
        /// Least height of a row in points (a sign-in sheet leaves room for a signature).
        public var minimumRowHeight: Double
        /// Relative widths of the columns, when the content should not decide them.
        public var columnWeights: [Double]?

        public init(title: String, header: [String], rows: [[String]], numericColumns: Set<Int>,
                    minimumRowHeight: Double = 0, columnWeights: [Double]? = nil) {
            self.title = title
            self.header = header
            self.rows = rows
            self.numericColumns = numericColumns
            self.minimumRowHeight = minimumRowHeight
            self.columnWeights = columnWeights
        }
    }

    public var title: String
    /// Lines under the title: department, period, program, date of the report.
    public var subtitle: [String]
    public var tables: [Table]
    public var charts: [Chart]
    /// Language the report is written in (the PDF uses Serbian glyph forms for Cyrillic).
    public var language: Language

    public init(title: String, subtitle: [String], tables: [Table], charts: [Chart], language: Language) {
        self.title = title
        self.subtitle = subtitle
        self.tables = tables
        self.charts = charts
        self.language = language
    }
}

/// One chart model, drawn both to SVG (HTML) and with cairo (PDF).
public struct Chart: Sendable {
    public enum Kind: Sendable { case bars, line }

    public var kind: Kind
    public var title: String
    /// Label under each point or bar.
    public var labels: [String]
    /// The department's values and, when given, the District's for comparison.
    public var series: [(name: String, values: [Double])]
    /// Largest value of the axis (100 for percentages).
    public var maximum: Double
    public var unit: String

    /// Geometry shared by the SVG and cairo renderers, in a 600 × 260 box.
    public struct Geometry: Sendable {
        public static let width = 600.0, height = 260.0
        public static let left = 48.0, right = 12.0, top = 28.0, bottom = 44.0
        public static var plotWidth: Double { width - left - right }
        public static var plotHeight: Double { height - top - bottom }
    }

    /// Y coordinate of a value.
    public func y(_ value: Double) -> Double {
        let top = Geometry.top, height = Geometry.plotHeight
        return top + height - (maximum > 0 ? min(value, maximum) / maximum * height : 0)
    }

    /// X centre of the i-th label.
    public func x(_ index: Int) -> Double {
        let step = Geometry.plotWidth / Double(max(labels.count, 1))
        return Geometry.left + step * (Double(index) + 0.5)
    }

    /// Width of one bar (series side by side within a label's slot).
    public var barWidth: Double {
        let step = Geometry.plotWidth / Double(max(labels.count, 1))
        return min(40, step * 0.7 / Double(max(series.count, 1)))
    }

    /// Axis ticks: five steps from 0 to the maximum.
    public var ticks: [Double] { (0...4).map { maximum * Double($0) / 4 } }
}
