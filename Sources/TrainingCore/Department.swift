/// A department, office or directorate of the Government of Brčko District BiH.
public struct Department: Hashable, Codable, Sendable {
    /// Short code, e.g. `EIMS`.
    public var code: DepartmentCode
    /// Name in Bosnian (Latin script).
    public var nameBosnian: String
    /// Name in Serbian Cyrillic.
    public var nameSerbianCyrillic: String
    /// Name in English.
    public var nameEnglish: String

    /// Creates a department.
    public init(code: DepartmentCode, nameBosnian: String, nameSerbianCyrillic: String, nameEnglish: String) {
        self.code = code
        self.nameBosnian = nameBosnian
        self.nameSerbianCyrillic = nameSerbianCyrillic
        self.nameEnglish = nameEnglish
    }

    /// The name in the given language (Croatian and Serbian Latin use the Bosnian Latin name).
    public func name(in language: Language) -> String {
        switch language {
        case .serbianCyrillic: nameSerbianCyrillic
        case .english: nameEnglish
        case .serbianLatin: SerbianTransliteration.cyrillicToLatin(nameSerbianCyrillic)
        case .bosnian, .croatian: nameBosnian
        }
    }
}
