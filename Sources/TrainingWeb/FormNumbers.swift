import Foundation
import Localization
import TrainingCore

/// A numeric field of a form: where the form is sent (`POST` path, or `GET` for a filter), the field's name (`{person}`
/// stands for a personal number in a row of a sheet), what it allows and the label it is shown under. Handlers read
/// it through `Form.number`; `all` lists every one, and a test checks it against the templates' number inputs and
/// feeds each the numbers people mistype.
struct NumberFormField: Sendable {
    let method: String
    let path: String
    let name: String
    let field: NumberField
    /// The catalog key of the field's label, which names it in a refusal.
    let labelKey: String

    init(_ method: String = "POST", path: String, name: String, field: NumberField, labelKey: String) {
        self.method = method
        self.path = path
        self.name = name
        self.field = field
        self.labelKey = labelKey
    }

    /// The field as named in a form for one person's row.
    func name(person: String) -> String { name.replacingOccurrences(of: "{person}", with: person) }

    /// The field's label in messages, with the person whose row it is.
    func label(_ t: Localizer, person: String? = nil) -> String {
        t(labelKey) + (person.map { " (\($0))" } ?? "")
    }

    /// Every numeric field of every form.
    static let all: [NumberFormField] = [
        CohortController.capacityField, CohortController.editCapacityField, VenueController.seatsField, PrivacyController.retentionField,
        RequirementController.daysField, RequirementController.renewField, NeedsController.yearField, NeedsController.headCountField,
        PlanController.cohortsField, PlanController.hoursField, PlanController.costField, PlanController.actualCostField,
        AttendanceController.minutesField, ScoreController.scoreField,
        TraineeController.absenceSessionField, AdminController.auditLimitField,
    ]
}

extension Form {
    /// The number in a field, nil when it is left empty; a refusal names the field by its label.
    func number(_ definition: NumberFormField, person: String? = nil, _ t: Localizer) throws(NumberInputError) -> Double? {
        let name = person.map(definition.name(person:)) ?? definition.name
        guard let text = fields.first(where: { $0.0 == name })?.1, !text.trimmingWhitespace.isEmpty else { return nil }
        return try definition.field.read(text, field: definition.label(t, person: person))
    }

    /// The whole number in a required field.
    func whole(_ definition: NumberFormField, _ t: Localizer) throws(NumberInputError) -> Int {
        guard let value = try number(definition, t) else {
            throw .missing(field: definition.label(t), range: definition.field.range)
        }
        return Int(value)
    }
}
