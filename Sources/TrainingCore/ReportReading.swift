/// Which enrolments a report covers.
public struct ReportScope: Sendable {
    /// One department (by the department at enrolment), or nil for the whole District.
    public var department: DepartmentCode?
    /// First and last day of the period: cohorts running at any time in it are counted.
    public var from: LocalDate
    public var to: LocalDate
    /// One program, or nil for all.
    public var programID: String?

    public init(department: DepartmentCode?, from: LocalDate, to: LocalDate, programID: String?) {
        self.department = department
        self.from = from
        self.to = to
        self.programID = programID
    }

    /// The same period and program for the whole District.
    public var period: ReportScope { ReportScope(department: nil, from: from, to: to, programID: programID) }
}

/// Everything a department or program report reads, from one snapshot of the store: figures read in separate
/// transactions could disagree with the per-person table when attendance is recorded in between. The contents'
/// fields read as the reading's own (`reading.figures`).
@dynamicMemberLookup
public struct ReportReading: Sendable {
    public var contents: ReportContents
    /// For which data and times it holds.
    public var validity: ReadingValidity

    public subscript<Value>(dynamicMember field: KeyPath<ReportContents, Value>) -> Value { contents[keyPath: field] }

    /// Its District side, for the next report of the same period and program.
    public var district: DistrictReading {
        DistrictReading(figures: contents.districtFigures, hoursPerMonth: contents.districtHoursPerMonth, validity: validity)
    }

    /// Creates a value from its fields.
    public init(contents: ReportContents, validity: ReadingValidity) {
        self.contents = contents
        self.validity = validity
    }
}

/// For which data and times a report reading holds: the data generation it was read from
/// (`AppDatabase.dataGeneration`), the time it was read for, and when the first session still to come in its
/// cohorts ends (nil: none). Held minutes and forecasts change only when a session ends.
public struct ReadingValidity: Hashable, Sendable {
    public var dataGeneration: Int64
    public var readAt: LocalDateTime
    public var nextSessionEnd: LocalDateTime?

    /// Whether a reading still describes the data of `generation` at `now`.
    public func holds(generation: Int64, at now: LocalDateTime) -> Bool {
        generation == dataGeneration && now >= readAt && nextSessionEnd.map { now < $0 } ?? true
    }

    /// The validity of what was read from two readings of the same data generation: from the later time read
    /// for, until the first of their sessions to come ends.
    public func joined(_ other: ReadingValidity) -> ReadingValidity {
        ReadingValidity(dataGeneration: dataGeneration, readAt: max(readAt, other.readAt),
                        nextSessionEnd: [nextSessionEnd, other.nextSessionEnd].compactMap { $0 }.min())
    }

    /// Creates a value from its fields.
    public init(dataGeneration: Int64, readAt: LocalDateTime, nextSessionEnd: LocalDateTime? = nil) {
        self.dataGeneration = dataGeneration
        self.readAt = readAt
        self.nextSessionEnd = nextSessionEnd
    }
}

/// The District's side of a report, the same beside every department's report of a period and program.
public struct DistrictReading: Sendable {
    public var figures: ReportFigures
    public var hoursPerMonth: [(month: String, hours: Double)]
    public var validity: ReadingValidity

    /// Creates a value from its fields.
    public init(figures: ReportFigures, hoursPerMonth: [(month: String, hours: Double)], validity: ReadingValidity) {
        self.figures = figures
        self.hoursPerMonth = hoursPerMonth
        self.validity = validity
    }
}
