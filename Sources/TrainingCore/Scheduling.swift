/// Identifies a scheduled session.
public struct SessionID: TypedID {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// A session someone wants to schedule (or move to).
public struct SessionPlan: Hashable, Sendable {
    /// The cohort.
    public var cohort: CohortID
    /// The module taught.
    public var moduleID: String
    /// Start, District time.
    public var starts: LocalDateTime
    /// End, District time.
    public var ends: LocalDateTime
    /// The venue's name, if any.
    public var venue: String?
    /// The trainer's name, if any.
    public var trainer: String?

    /// Creates a plan.
    public init(cohort: CohortID, moduleID: String, starts: LocalDateTime, ends: LocalDateTime,
                venue: String?, trainer: String?) {
        self.cohort = cohort
        self.moduleID = moduleID
        self.starts = starts
        self.ends = ends
        self.venue = venue
        self.trainer = trainer
    }

    /// Scheduled length in minutes.
    public var minutes: Int { ends.minutesSinceEpoch - starts.minutesSinceEpoch }
}

/// What the scheduler knows around a plan: sessions at overlapping times, people, holidays, rooms.
public struct ScheduleContext: Sendable {
    /// A session already scheduled at an overlapping time.
    public struct OtherSession: Hashable, Sendable {
        public var id: SessionID
        public var cohortCode: String
        public var starts: LocalDateTime
        public var ends: LocalDateTime
        public var venue: String?
        public var trainer: String?
        /// Personal numbers of this plan's participants who also take part in that session.
        public var sharedParticipants: [String]

        public init(id: SessionID, cohortCode: String, starts: LocalDateTime, ends: LocalDateTime, venue: String?,
                    trainer: String?, sharedParticipants: [String]) {
            self.id = id
            self.cohortCode = cohortCode
            self.starts = starts
            self.ends = ends
            self.venue = venue
            self.trainer = trainer
            self.sharedParticipants = sharedParticipants
        }
    }

    /// An entry of the editable holiday table.
    public struct HolidayEntry: Hashable, Sendable {
        /// A religious holiday (a warning: a day off for those who observe it) or a one-off day
        /// the Government declared (a closure).
        public enum Kind: String, Hashable, Sendable, CaseIterable { case religious, oneOff = "one_off" }
        public var date: LocalDate
        public var name: String
        public var kind: Kind

        public init(date: LocalDate, name: String, kind: Kind) {
            self.date = date
            self.name = name
            self.kind = kind
        }
    }

    /// Sessions of other cohorts or of this one overlapping the plan's time (cancelled ones left out).
    public var overlapping: [OtherSession]
    /// Holiday-table entries on the plan's date.
    public var holidays: [HolidayEntry]
    /// The venue's seats, if a venue is chosen.
    public var venueCapacity: Int?
    /// People holding a place in the cohort.
    public var participantCount: Int

    public init(overlapping: [OtherSession], holidays: [HolidayEntry], venueCapacity: Int?, participantCount: Int) {
        self.overlapping = overlapping
        self.holidays = holidays
        self.venueCapacity = venueCapacity
        self.participantCount = participantCount
    }
}

/// A reason not to schedule a session at the planned time and place.
public enum ScheduleConflict: Hashable, Sendable {
    /// The session does not end after it starts, or spans several days.
    case invalidTimes
    /// The venue is taken.
    case venueBusy(venue: String, sessionID: SessionID, cohortCode: String, starts: LocalDateTime, ends: LocalDateTime)
    /// The trainer is teaching elsewhere.
    case trainerBusy(trainer: String, sessionID: SessionID, cohortCode: String, starts: LocalDateTime, ends: LocalDateTime)
    /// Participants would be in two sessions at once.
    case participantsDoubleBooked(personalNumbers: [String], sessionID: SessionID, cohortCode: String)
    /// A District holiday (fixed dates and Article 5 carry-over).
    case districtHoliday(date: LocalDate, nameKey: String, carryOver: Bool)
    /// A one-off non-working day declared by the Government.
    case oneOffHoliday(date: LocalDate, name: String)
    /// Saturday or Sunday.
    case weekend(date: LocalDate)
    /// The venue has fewer seats than the cohort has participants.
    case venueTooSmall(venue: String, capacity: Int, participants: Int)
    /// A religious holiday: some participants may be off (a warning only).
    case religiousHoliday(date: LocalDate, name: String)

    /// Warnings are shown but do not stop scheduling; everything else needs an explicit override.
    public var isWarning: Bool {
        if case .religiousHoliday = self { return true }
        return false
    }
}

/// Finds every conflict of a plan: the single home of the scheduling rules.
public enum ConflictCheck {
    /// Every conflict and warning for `plan` in `context`, refusals first.
    public static func conflicts(of plan: SessionPlan, in context: ScheduleContext) -> [ScheduleConflict] {
        guard plan.ends > plan.starts, plan.ends.date == plan.starts.date else { return [.invalidTimes] }
        var found: [ScheduleConflict] = []
        let date = plan.starts.date
        for other in context.overlapping where other.starts < plan.ends && plan.starts < other.ends {
            if let venue = plan.venue, venue == other.venue {
                found.append(.venueBusy(venue: venue, sessionID: other.id, cohortCode: other.cohortCode,
                                        starts: other.starts, ends: other.ends))
            }
            if let trainer = plan.trainer, trainer == other.trainer {
                found.append(.trainerBusy(trainer: trainer, sessionID: other.id, cohortCode: other.cohortCode,
                                          starts: other.starts, ends: other.ends))
            }
            if !other.sharedParticipants.isEmpty {
                found.append(.participantsDoubleBooked(personalNumbers: other.sharedParticipants.sorted(),
                                                       sessionID: other.id, cohortCode: other.cohortCode))
            }
        }
        if let holiday = DistrictHolidays.holiday(on: date) {
            found.append(.districtHoliday(date: date, nameKey: holiday.nameKey, carryOver: holiday.isCarryOver))
        }
        for entry in context.holidays where entry.date == date && entry.kind == .oneOff {
            found.append(.oneOffHoliday(date: date, name: entry.name))
        }
        if date.isWeekend { found.append(.weekend(date: date)) }
        if let venue = plan.venue, let capacity = context.venueCapacity, capacity < context.participantCount {
            found.append(.venueTooSmall(venue: venue, capacity: capacity, participants: context.participantCount))
        }
        for entry in context.holidays where entry.date == date && entry.kind == .religious {
            found.append(.religiousHoliday(date: date, name: entry.name))
        }
        return found
    }
}

/// Why a scheduling change was refused.
public enum ScheduleError: UserFacingError, Equatable {
    /// The plan has conflicts that need an explicit override (`--force`).
    case conflicts([ScheduleConflict])
    case unknownModule(moduleID: String, cohort: String)
    case unknownVenue(name: String)
    case unknownSession(id: Int64)
    case sessionCancelled(id: Int64)
    case duplicateVenue(name: String)

    public var messageKey: String {
        switch self {
        case .conflicts: "schedule.error.conflicts"
        case .unknownModule: "schedule.error.unknown_module"
        case .unknownVenue: "schedule.error.unknown_venue"
        case .unknownSession: "schedule.error.unknown_session"
        case .sessionCancelled: "schedule.error.cancelled"
        case .duplicateVenue: "schedule.error.duplicate_venue"
        }
    }

    public var messageArguments: [String: String] {
        switch self {
        case .conflicts(let conflicts): ["count": String(conflicts.count)]
        case .unknownModule(let module, let cohort): ["module": module, "cohort": cohort]
        case .unknownVenue(let name), .duplicateVenue(let name): ["venue": name]
        case .unknownSession(let id), .sessionCancelled(let id): ["session": String(id)]
        }
    }
}

/// A session as stored.
public struct ScheduledSession: Hashable, Sendable {
    public var id: SessionID
    public var cohortCode: String
    public var programID: String
    public var moduleID: String
    public var starts: LocalDateTime
    public var ends: LocalDateTime
    public var venue: String?
    public var trainer: String?
    public var cancelled: Bool
    /// iCalendar SEQUENCE: raised on every change.
    public var sequence: Int
    /// Stable iCalendar UID.
    public var uid: String

    /// Creates a value from its fields.
    public init(id: SessionID, cohortCode: String, programID: String, moduleID: String, starts: LocalDateTime,
                ends: LocalDateTime, venue: String? = nil, trainer: String? = nil, cancelled: Bool, sequence: Int,
                uid: String) {
        self.id = id
        self.cohortCode = cohortCode
        self.programID = programID
        self.moduleID = moduleID
        self.starts = starts
        self.ends = ends
        self.venue = venue
        self.trainer = trainer
        self.cancelled = cancelled
        self.sequence = sequence
        self.uid = uid
    }
}

extension ScheduledSession {
    /// Its scheduled length in minutes.
    public var minutes: Int { ends.minutesSinceEpoch - starts.minutesSinceEpoch }
}

/// One version of a session in its history.
public struct SessionHistoryEntry: Hashable, Sendable {
    public var sequence: Int
    public var kind: String
    public var starts: LocalDateTime
    public var ends: LocalDateTime
    public var venue: String?
    public var trainer: String?
    public var reason: String?
    /// Conflicts overridden with `--force`, as stored (JSON), if any.
    public var overridden: String?
    public var actor: String
    public var changedAt: String

    /// Creates a value from its fields.
    public init(sequence: Int, kind: String, starts: LocalDateTime, ends: LocalDateTime, venue: String? = nil,
                trainer: String? = nil, reason: String? = nil, overridden: String? = nil, actor: String,
                changedAt: String) {
        self.sequence = sequence
        self.kind = kind
        self.starts = starts
        self.ends = ends
        self.venue = venue
        self.trainer = trainer
        self.reason = reason
        self.overridden = overridden
        self.actor = actor
        self.changedAt = changedAt
    }
}

/// A venue.
public struct Venue: Hashable, Sendable {
    public var name: String
    public var capacity: Int

    /// Creates a value from its fields.
    public init(name: String, capacity: Int) {
        self.name = name
        self.capacity = capacity
    }
}
