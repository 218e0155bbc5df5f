/// An error a person sees: it names a message-catalog key and the values to put into it.
///
/// The text itself lives in the `Localization` catalogs, so the same error reads in Bosnian,
/// Serbian Cyrillic or English.
public protocol UserFacingError: Error, CustomStringConvertible {
    /// Catalog key, e.g. `error.store.data_directory_missing`.
    var messageKey: String { get }
    /// Named values substituted into the message's `{placeholders}`.
    var messageArguments: [String: String] { get }
}

extension UserFacingError {
    /// A language-neutral rendering for logs: the key and its arguments.
    public var description: String {
        let arguments = messageArguments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return arguments.isEmpty ? messageKey : "\(messageKey) (\(arguments.joined(separator: ", ")))"
    }
}
