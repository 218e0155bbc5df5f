import Foundation
import Testing

@Suite struct OutputFileTests {
    /// `-o /dev/null` once replaced the device with a regular file: the atomic write renamed its temporary file
    /// over whatever the path named. A FIFO stands in for the device here, so a failure cannot break the machine.
    @Test func aPathThatIsNotARegularFileIsWrittenInPlace() throws {
        let cli = try CLIRunner.seededDemo()
        defer { cli.cleanUp() }
        let fifo = cli.path("report.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Open for reading first, without blocking, so the command's open for writing finds a reader.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let result = try cli.run("report", "program", "--format", "csv", "--lang", "en", "-o", fifo)
        #expect(result.status == 0, "\(result.stderr)")

        var received = [UInt8](), buffer = [UInt8](repeating: 0, count: 65_536)
        while case let count = read(reader, &buffer, buffer.count), count > 0 { received += buffer[..<count] }
        let csv = String(decoding: received, as: UTF8.self)
        #expect(received.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(csv.contains("DIJ") || csv.contains("EIMS"), "\(csv.prefix(300))")
        var status = stat()
        #expect(stat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO, "the FIFO was replaced by a regular file")
    }

    @Test func aRegularFileIsReplacedWhole() throws {
        let cli = try CLIRunner.seededDemo()
        defer { cli.cleanUp() }
        let file = cli.path("report.csv")
        try String(repeating: "stale line\n", count: 10_000).write(toFile: file, atomically: false, encoding: .utf8)
        #expect(try cli.run("report", "program", "--format", "csv", "-o", file).status == 0)
        let written = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(!String(decoding: written, as: UTF8.self).contains("stale line"))
        #expect(Data(try cli.run("report", "program", "--format", "csv").stdout.utf8) == written)
    }

    @Test func aMissingFolderOrAFolderAsTheFileIsSaidInWords() throws {
        let cli = try CLIRunner.seededDemo()
        defer { cli.cleanUp() }
        let missing = cli.path("nema/izvjestaj.csv")
        let result = try cli.run("report", "program", "--format", "csv", "-o", missing)
        #expect(result.status != 0)
        #expect(result.stderr.contains("mapa \(cli.path("nema")) ne postoji"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("Error Domain"))
        let folder = cli.path("mapa")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let onFolder = try cli.run("report", "program", "--format", "csv", "-o", folder)
        #expect(onFolder.status != 0 && onFolder.stderr.contains("Ne mogu zapisati \(folder)"), "\(onFolder.stderr)")
    }

    @Test func datesAreTypedTheDistrictsWayToo() throws {
        let cli = try CLIRunner.seededDemo()
        defer { cli.cleanUp() }
        let created = try cli.run("cohort", "create", "--code", "D-1", "--name", "Datumi", "--program", "dijaspora-2022",
                                  "--starts", "15.03.2027", "--ends", "30. 4. 2027.", "--capacity", "5")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try cli.run("cohort", "show", "D-1").stdout.contains("15. 3. 2027."))
        let wrong = try cli.run("cohort", "create", "--code", "D-2", "--name", "Datumi", "--program", "dijaspora-2022",
                                "--starts", "31.02.2027", "--ends", "2027-04-30", "--capacity", "5")
        #expect(wrong.status != 0 && wrong.stderr.contains("„31.02.2027“ nije datum"), "\(wrong.stderr)")
    }
}
