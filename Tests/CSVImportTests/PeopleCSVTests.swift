import CSVImport
import Foundation
import Testing
import TrainingCore

let knownDepartments: Set<DepartmentCode> = Set(["KG", "SAP", "DF", "EIMS", "JP", "JR", "JS", "OBR", "PSV", "PRSK", "PPIP",
                                                  "RLIS", "ZOU", "KP", "INS", "PRAV", "KUJI"].map(DepartmentCode.init))

func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(name)"))
}

func drafts(_ text: String, delimiter: Character? = nil) throws -> [PersonDraft] {
    let table = try CSVTable.decode(Data(text.utf8), file: "t.csv", delimiter: delimiter)
    return try PeopleCSV.drafts(from: table, file: "t.csv", knownDepartments: knownDepartments).map(\.draft)
}

func rowProblems(_ text: String) throws -> [RowProblem] {
    do {
        _ = try drafts(text)
        return []
    } catch let problems as RowProblems {
        return problems.items
    }
}

@Suite struct ExcelFilesTests {
    @Test func windows1250KeepsBosnianLetters() throws {
        let table = try CSVTable.decode(try fixture("participants-excel-cp1250.csv"), file: "cp1250.csv")
        #expect(table.encoding == .windows1250)
        #expect(table.delimiter == ";")
        let people = try PeopleCSV.drafts(from: table, file: "cp1250.csv", knownDepartments: knownDepartments).map(\.draft)
        #expect(people.count == 20)
        let names = people.map { "\($0.givenName) \($0.familyName)" }
        #expect(names.contains("Ljiljana Đukić"))
        #expect(names.contains("Džana Lukić"))
        #expect(names.contains("Đorđe Popović"))
        #expect(names.contains("Njegoš Babić"))
    }

    @Test func utf8WithBOMAndCRLF() throws {
        let table = try CSVTable.decode(try fixture("participants-excel-utf8.csv"), file: "utf8.csv")
        #expect(table.encoding == .utf8)
        #expect(table.header.first == "personal_number")
        let people = try PeopleCSV.drafts(from: table, file: "utf8.csv", knownDepartments: knownDepartments).map(\.draft)
        #expect(people.count == 20)
        #expect(people.contains { $0.givenName == "Čedomir" && $0.familyName == "Stanić" })
        #expect(people.allSatisfy { !$0.jobTitle!.hasSuffix("\r") })
    }

    @Test func quotedFieldsWithCommasQuotesAndLineBreaks() throws {
        let people = try drafts(#"""
            personal_number,given_name,family_name,sex,email,department,job_title\#r
            1,Amra,"Hadžić, ""Amra""",Ž,amra@uprava.example,EIMS,"šef
            odsjeka"\#r
            2,Edin,Begić,M,edin@uprava.example,df,referent\#r
            """#)
        #expect(people.count == 2)
        #expect(people[0].familyName == #"Hadžić, "Amra""#)
        #expect(people[0].jobTitle == "šef\nodsjeka")
        #expect(people[0].sex == .female)
        #expect(people[1].department == DepartmentCode("DF"))
    }

    @Test func semicolonIsDetectedAndCanBeForced() throws {
        #expect(try drafts("personal_number;given_name;family_name;email;department\n1;A;B;a@b.example;KG\n").count == 1)
        #expect(throws: CSVImportError.self) {
            try drafts("personal_number;given_name;family_name;email;department\n1;A;B;a@b.example;KG\n", delimiter: ",")
        }
    }
}

@Suite struct BadCSVTests {
    @Test func everyBadRowIsReportedWithRowAndField() throws {
        let problems = try rowProblems("""
            personal_number;given_name;family_name;email;department
            1;Amra;Hadžić;amra@uprava.example;XYZ
            2;Edin;Begić;;
            1;Amra;Hadžić;amra2@uprava.example;EIMS
            3;Samo;dvije kolone
            4;Ivo;Ivić;nije-adresa;EIMS
            """)
        let summary = problems.map { "\($0.row):\($0.problem.field ?? "-"):\($0.problem.messageKey)" }
        #expect(summary == [
            "2:department:people.error.department",
            "3:department:people.error.required",
            "4:personal_number:csv.error.duplicate_personal_number",
            "5:-:csv.error.column_count",
            "6:email:people.error.email",
        ])
    }

    @Test func anUnterminatedQuoteNamesItsRow() {
        #expect(throws: CSVImportError.unterminatedQuote(file: "t.csv", row: 3)) {
            try drafts("personal_number,given_name,family_name,email,department\n1,A,B,a@b.example,KG\n2,\"A,B,a@b.example,KG\n")
        }
    }

    @Test func bytesInNeitherEncodingAreRefused() {
        var data = Data("personal_number;given_name\n1;A".utf8)
        data.append(0x81)  // undefined in Windows-1250, invalid in UTF-8
        #expect(throws: CSVImportError.encoding(file: "x.csv", line: 2)) { try CSVTable.decode(data, file: "x.csv") }
        #expect(throws: CSVImportError.encoding(file: "x.csv", line: 1)) { try CSVTable.decode(Data([0x61, 0x00, 0x62]), file: "x.csv") }
    }

    @Test func missingAndUnknownColumns() {
        #expect(throws: CSVImportError.missingColumns(file: "t.csv", columns: ["email"])) {
            try drafts("personal_number,given_name,family_name,department\n1,A,B,KG\n")
        }
        #expect(throws: CSVImportError.unknownColumns(file: "t.csv", columns: ["shoe_size"])) {
            try drafts("personal_number,given_name,family_name,email,department,shoe_size\n1,A,B,a@b.example,KG,42\n")
        }
    }

    @Test func bosnianHeadersAreAccepted() throws {
        let people = try drafts("JMBG;Ime;Prezime;Spol;E-mail;Odjeljenje;Radno_mjesto\n7;Lejla;Kadić;ž;l@k.example;OBR;referent\n")
        #expect(people.first?.sex == .female)
    }
}
