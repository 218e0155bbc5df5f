import CSVImport
import CertificateTemplates
import CurriculumXML
import Foundation
import SafeXML
import TrainingCore

/// The untrusted-input readers under fuzzing. Each takes raw bytes and must either return a value or
/// throw one of the readers' typed errors; anything else (a trap, a sanitizer report, a hang) is a bug.
///
/// Built two ways: `make fuzz` builds this target with `-sanitize=fuzzer,address -DOBUKA_FUZZING`, and
/// libFuzzer drives `LLVMFuzzerTestOneInput`, choosing the reader by `OBUKA_FUZZ_TARGET`; the normal
/// build makes a replayer (`obuka-fuzz TARGET FILE…`) that runs saved inputs through the same code.
enum FuzzTarget: String, CaseIterable {
    case curriculum, template, csv

    /// Runs one input; returns a one-word outcome for the replayer.
    func run(_ data: Data) -> String {
        switch self {
        case .curriculum:
            // Validity is decided by streaming the bytes through the validator (identity constraints checked by
            // the loader); that may raise a false alarm, never pass a file the tree's validation refuses.
            if let verdicts = FuzzSetup.curriculumLoader.validityVerdicts(data), verdicts.streamed, !verdicts.tree {
                fatalError("curriculum: the streamed verdict passed a file the schema refuses")
            }
            return outcome { _ = try FuzzSetup.curriculumLoader.document(data, displayName: "fuzz.xml",
                                                                         knownDepartments: FuzzSetup.departments) }
        case .template:
            return outcome { _ = try CertificateTemplate.load(data, name: "fuzz.xml", imageFolder: FuzzSetup.templateFolder,
                                                              parser: FuzzSetup.templateParser) }
        case .csv:
            var table: CSVTable?
            let decoded = outcome { table = try CSVTable.decode(data, file: "fuzz.csv", maximumBytes: 1 << 20) }
            guard let table else { return decoded }
            // Read in pieces, the same text must give the same table (the pieces are cut where the reader
            // ends records, which depends on its quoting rules).
            guard let pieced = try? CSVTable.decode(data, file: "fuzz.csv", maximumBytes: 1 << 20, parallelFrom: 0),
                  pieced.header == table.header,
                  pieced.rows.map(\.number) == table.rows.map(\.number), pieced.rows.map(\.fields) == table.rows.map(\.fields) else {
                fatalError("csv: reading in pieces gives another table than reading at once")
            }
            // Every reader of a table: each must report bad rows, never trap on them.
            return [
                outcome { _ = try PeopleCSV.drafts(from: table, file: "fuzz.csv", knownDepartments: FuzzSetup.departments) },
                outcome { _ = try AttendanceCSV.rows(from: table, file: "fuzz.csv") },
                outcome { _ = try ScoresCSV.rows(from: table, file: "fuzz.csv") },
            ].joined(separator: ",")
        }
    }

    /// "accepted" or "refused" (one of the readers' typed errors); any other error is outside the
    /// readers' contract, as much a bug as a crash.
    private func outcome(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "accepted"
        } catch is XMLDiagnostics {
            return "refused"
        } catch is CSVImportError {
            return "refused"
        } catch is RowProblems {
            return "refused"
        } catch {
            fatalError("\(rawValue): unexpected error \(type(of: error)): \(error)")
        }
    }
}

/// What every input shares, made once: schemas compile in milliseconds, inputs run thousands of times a second.
enum FuzzSetup {
    /// The repository root: the working directory, or `OBUKA_FUZZ_ROOT`.
    static let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["OBUKA_FUZZ_ROOT"]
                          ?? FileManager.default.currentDirectoryPath)
    static let curriculumLoader: CurriculumLoader = {
        do { return try CurriculumLoader(schemaFolder: root.appendingPathComponent("Curriculum/schema")) } catch {
            fatalError("cannot load Curriculum/schema from \(root.path): \(error)")
        }
    }()
    static let templateFolder = root.appendingPathComponent("Certificates")
    static let templateParser: SafeXMLParser = {
        do { return try CertificateTemplate.parser(schemaFolder: templateFolder.appendingPathComponent("schema")) } catch {
            fatalError("cannot load Certificates/schema from \(root.path): \(error)")
        }
    }()
    /// A few real department codes, so inputs can get past the department check.
    static let departments = Set(["KG", "SAP", "DF", "EIMS", "ZOU"].map(DepartmentCode.init))
}

#if OBUKA_FUZZING
private let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["OBUKA_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("set OBUKA_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return target
}()

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    _ = selectedTarget.run(Data(bytes: start, count: count))
    return 0
}
#else
/// Replays saved inputs (crashes found by the fuzzer, corpus files) through the same readers.
@main
struct FuzzReplay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
            print("usage: obuka-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE…")
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot be read")
                exit(2)
            }
            print("\(path): \(target.run(data))")
        }
    }
}
#endif
