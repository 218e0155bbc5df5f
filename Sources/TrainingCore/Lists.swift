/// A page of a long list, found by keyset: the rows after (or before) a row of the same order, never by counting rows
/// from the start, so the hundredth page costs what the first does.
public struct ListSlice<Item: Sendable>: Sendable {
    /// The rows of the page, in the list's order.
    public var items: [Item]
    /// How many rows match the filters in all.
    public var total: Int
    /// Whether rows follow the page, and precede it.
    public var hasNext: Bool
    public var hasPrevious: Bool

    /// Creates a page.
    public init(items: [Item], total: Int, hasNext: Bool, hasPrevious: Bool) {
        self.items = items
        self.total = total
        self.hasNext = hasNext
        self.hasPrevious = hasPrevious
    }
}

extension ListSlice {
    /// A page of a list computed whole (a department's gaps), in its order, whose rows come in groups (one person's)
    /// that stay on one page: groups are taken while the page holds at most `limit` rows, and always at least one. A
    /// position names a group by its id; an id not in the list starts at the top.
    public static func page(of items: [Item], group: (Item) -> Int64, at position: ListPosition, limit: Int) -> ListSlice {
        var groups: [(id: Int64, range: Range<Int>)] = []
        for (index, item) in items.enumerated() {
            let id = group(item)
            if let last = groups.last, last.id == id { groups[groups.count - 1].range = last.range.lowerBound..<(index + 1) }
            else { groups.append((id, index..<(index + 1))) }
        }
        var lower = 0, upper = 0
        func rows(_ from: Int, _ to: Int) -> Int { from < to ? groups[to - 1].range.upperBound - groups[from].range.lowerBound : 0 }
        switch position {
        case .before(let id):
            upper = groups.firstIndex { $0.id == id } ?? 0
            lower = upper
            while lower > 0, lower == upper || rows(lower - 1, upper) <= limit { lower -= 1 }
        case .first, .after:
            if case .after(let id) = position, let index = groups.firstIndex(where: { $0.id == id }) { lower = index + 1 }
            upper = lower
            while upper < groups.count, upper == lower || rows(lower, upper + 1) <= limit { upper += 1 }
        }
        let range = lower < upper ? groups[lower].range.lowerBound..<groups[upper - 1].range.upperBound : 0..<0
        return ListSlice(items: Array(items[range]), total: items.count, hasNext: upper < groups.count, hasPrevious: lower > 0)
    }
}

/// Where a page starts: after a row, before a row, or at the top.
public enum ListPosition: Hashable, Sendable {
    case first
    /// The rows after the row with this id, in the list's order.
    case after(Int64)
    /// The rows before it.
    case before(Int64)
}

/// What the people list shows: a search, a department, an order and a page.
public struct PeopleListQuery: Hashable, Sendable {
    /// Orders of the people list.
    public enum Sort: String, CaseIterable, Sendable {
        /// Family then given name, in the Bosnian alphabet.
        case name
        /// Personal number.
        case number
        /// Department, then name.
        case department
    }

    /// Words to look for in name, personal number or e-mail (any case, diacritics or script).
    public var search: String?
    public var department: DepartmentCode?
    public var sort: Sort
    public var descending: Bool
    public var position: ListPosition
    /// Rows a page holds, 1…100.
    public var limit: Int

    /// A query; the limit is kept within 1…100.
    public init(search: String? = nil, department: DepartmentCode? = nil, sort: Sort = .name, descending: Bool = false,
                position: ListPosition = .first, limit: Int = 100) {
        self.search = search
        self.department = department
        self.sort = sort
        self.descending = descending
        self.position = position
        self.limit = min(max(limit, 1), 100)
    }
}

/// Where a cohort stands on a day.
public enum CohortState: String, CaseIterable, Sendable {
    case upcoming, running, finished

    /// The state of a cohort running from `starts` to `ends` on `today`.
    public init(starts: LocalDate, ends: LocalDate, today: LocalDate) {
        self = today < starts ? .upcoming : today > ends ? .finished : .running
    }
}

/// What the cohorts list shows.
public struct CohortListQuery: Hashable, Sendable {
    /// Orders of the cohorts list.
    public enum Sort: String, CaseIterable, Sendable {
        /// First day (the newest first unless ascending is asked for).
        case starts
        /// Name, in the Bosnian alphabet.
        case name
    }

    public var search: String?
    public var programID: String?
    public var year: Int?
    public var state: CohortState?
    public var sort: Sort
    public var descending: Bool
    public var position: ListPosition
    public var limit: Int

    /// A query; the limit is kept within 1…100.
    public init(search: String? = nil, programID: String? = nil, year: Int? = nil, state: CohortState? = nil,
                sort: Sort = .starts, descending: Bool = true, position: ListPosition = .first, limit: Int = 100) {
        self.search = search
        self.programID = programID
        self.year = year
        self.state = state
        self.sort = sort
        self.descending = descending
        self.position = position
        self.limit = min(max(limit, 1), 100)
    }
}

/// A row of a list with the id its pages are found by.
public struct Listed<Value: Sendable>: Sendable {
    public var id: Int64
    public var value: Value

    public init(id: Int64, value: Value) {
        self.id = id
        self.value = value
    }
}

/// What the certificates register shows.
public struct CertificateListQuery: Hashable, Sendable {
    /// Where a certificate stands on a day; `expiring` is valid and ends within `expiringWithin` days.
    public enum State: String, CaseIterable, Sendable { case valid, expiring, expired, revoked }
    /// Orders of the register.
    public enum Sort: String, CaseIterable, Sendable {
        /// Day of issue (the newest first unless ascending is asked for).
        case issued
        /// Holder's name, in the Bosnian alphabet.
        case holder
        /// Last day of validity (those without one last).
        case expires
    }

    /// A holder's name or personal number, or a serial.
    public var search: String?
    public var cohort: String?
    public var programID: String?
    /// Year of issue.
    public var year: Int?
    public var state: State?
    /// Days ahead that count as expiring (90 by default).
    public var expiringWithin: Int
    public var sort: Sort
    public var descending: Bool
    public var position: ListPosition
    public var limit: Int

    /// A query; the limit is kept within 1…100.
    public init(search: String? = nil, cohort: String? = nil, programID: String? = nil, year: Int? = nil, state: State? = nil,
                expiringWithin: Int = 90, sort: Sort = .issued, descending: Bool = true, position: ListPosition = .first,
                limit: Int = 100) {
        self.search = search
        self.cohort = cohort
        self.programID = programID
        self.year = year
        self.state = state
        self.expiringWithin = expiringWithin
        self.sort = sort
        self.descending = descending
        self.position = position
        self.limit = min(max(limit, 1), 100)
    }
}

/// What a page of the audit log shows.
public struct AuditListQuery: Hashable, Sendable {
    public var entityType: String?
    public var entityID: String?
    public var actor: String?
    /// An action or its start (`enrolment.` for every enrolment action).
    public var actionPrefix: String?
    public var descending: Bool
    public var position: ListPosition
    public var limit: Int

    /// A query; the limit is kept within 1…500.
    public init(entityType: String? = nil, entityID: String? = nil, actor: String? = nil, actionPrefix: String? = nil,
                descending: Bool = true, position: ListPosition = .first, limit: Int = 100) {
        self.entityType = entityType
        self.entityID = entityID
        self.actor = actor
        self.actionPrefix = actionPrefix
        self.descending = descending
        self.position = position
        self.limit = min(max(limit, 1), 500)
    }
}

/// What the District-wide sessions list shows: every cohort's sessions, a page at a time.
public struct SessionListQuery: Hashable, Sendable {
    /// Which sessions by time: those not yet ended (the default), those ended, or all.
    public enum When: String, CaseIterable, Sendable { case upcoming, past, all }
    /// Orders of the sessions list.
    public enum Sort: String, CaseIterable, Sendable {
        /// Start (the soonest first unless descending is asked for).
        case starts
        /// Cohort name in the Bosnian alphabet, then start.
        case cohort
    }

    /// Words of a cohort's code or name (any case, diacritics or script).
    public var search: String?
    public var cohort: String?
    public var programID: String?
    public var venue: String?
    public var trainer: String?
    /// First and last day of the start, inclusive.
    public var from: LocalDate?
    public var to: LocalDate?
    public var when: When
    /// Only cancelled sessions (true), only those that take place (false), or both.
    public var cancelled: Bool?
    public var sort: Sort
    public var descending: Bool
    public var position: ListPosition
    public var limit: Int

    /// A query; the limit is kept within 1…100.
    public init(search: String? = nil, cohort: String? = nil, programID: String? = nil, venue: String? = nil, trainer: String? = nil,
                from: LocalDate? = nil, to: LocalDate? = nil, when: When = .upcoming, cancelled: Bool? = nil, sort: Sort = .starts,
                descending: Bool = false, position: ListPosition = .first, limit: Int = 100) {
        self.search = search
        self.cohort = cohort
        self.programID = programID
        self.venue = venue
        self.trainer = trainer
        self.from = from
        self.to = to
        self.when = when
        self.cancelled = cancelled
        self.sort = sort
        self.descending = descending
        self.position = position
        self.limit = min(max(limit, 1), 100)
    }
}

/// A row of the sessions list: the session, its cohort's name and its module's title.
public struct SessionListing: Sendable {
    public var session: ScheduledSession
    public var cohortName: String
    public var programVersion: Int
    /// The module's title in the program's languages (nil until the office adds it).
    public var moduleTitle: LocalizedText?

    /// Creates a row.
    public init(session: ScheduledSession, cohortName: String, programVersion: Int, moduleTitle: LocalizedText? = nil) {
        self.session = session
        self.cohortName = cohortName
        self.programVersion = programVersion
        self.moduleTitle = moduleTitle
    }
}
