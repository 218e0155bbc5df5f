/// An error a person sees: it names a message-catalog key and the values to put into it.
///
/// The text itself lives in the `Localization` catalogs, so the same error reads in Bosnian,
/// Serbian Cyrillic or English.
public protocol UserFacingError: Error, CustomStringConvertible {
    /// Catalog key, e.g. `error.store.data_directory_missing`.
    var messageKey: String { get }
    /// Named values substituted into the message's `{placeholders}`.
    var messageArguments: [String: String] { get }
    /// What kind of failure it is, so an adapter answers in kind (an HTTP status) without knowing every error type.
    var kind: ErrorKind { get }
    /// Dates the message shows, written the reader's way by the localizer (`8. 3. 2027.`), never as ISO.
    var dateArguments: [String: LocalDate] { get }
    /// The form field the problem is about, if one: a form shows the message beside it.
    var field: String? { get }
    /// Values that are codes (a status, a kind), each shown as the catalog's word for it: placeholder → catalog key.
    var wordArguments: [String: String] { get }
}

/// The kinds of failure a person is told about.
public enum ErrorKind: Hashable, Sendable {
    /// The request broke a rule or named something that is not there in its own terms (the usual case).
    case refused
    /// A record the request depends on does not exist.
    case notFound
    /// There is no room to store the change; nothing was changed.
    case storageFull
}

extension UserFacingError {
    /// Most errors are refusals.
    public var kind: ErrorKind { .refused }

    /// Most messages show no date.
    public var dateArguments: [String: LocalDate] { [:] }

    /// Most errors concern no one field.
    public var field: String? { nil }

    /// Most messages show no code.
    public var wordArguments: [String: String] { [:] }

    /// A language-neutral rendering for logs: the key and its arguments.
    public var description: String {
        let arguments = messageArguments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return arguments.isEmpty ? messageKey : "\(messageKey) (\(arguments.joined(separator: ", ")))"
    }
}
