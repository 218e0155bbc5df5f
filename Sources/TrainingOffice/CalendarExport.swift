import Foundation
import TrainingCore
import TrainingStore

/// Sessions as calendar events, titled with the program's module names.
public enum CalendarExport {
    public static func render(_ sessions: [ScheduledSession], name: String, database: AppDatabase, language: Language) throws -> String {
        var programs: [String: Program] = [:]
        var events: [CalendarEvent] = []
        for session in sessions {
            let cohort = try database.cohort(code: session.cohortCode)
            let key = "\(cohort.programID)@\(cohort.programVersion)"
            if programs[key] == nil { programs[key] = try database.program(id: cohort.programID, version: cohort.programVersion).program }
            let module = programs[key]?.modules.first { $0.id == session.moduleID }
            events.append(CalendarEvent(
                uid: session.uid, sequence: session.sequence, starts: session.starts, ends: session.ends,
                summary: "\(module?.title.text(in: language) ?? session.moduleID) (\(cohort.name))",
                location: session.venue, description: session.trainer, cancelled: session.cancelled))
        }
        let stamp = Date().formatted(.iso8601.year().month().day().dateSeparator(.omitted).time(includingFractionalSeconds: false)
            .timeSeparator(.omitted))
        return ICalendar.render(events, calendarName: name, stamp: stamp)
    }
}
