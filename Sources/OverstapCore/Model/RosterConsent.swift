import Foundation

/// One answer to "may the session's education partners see my name and e-mail address?".
/// Answers are kept as a history; the latest one counts.
public struct RosterConsent: Equatable, Sendable {
    public var agreed: Bool
    public var answeredAt: Date
    /// The language the question was shown in (`nl`, `en`).
    public var locale: String
    /// Names the exact wording shown (see `OverstapService.RosterConsentText`).
    public var textVersion: String

    /// Creates an answer.
    public init(agreed: Bool, answeredAt: Date, locale: String, textVersion: String) {
        self.agreed = agreed
        self.answeredAt = answeredAt
        self.locale = locale
        self.textVersion = textVersion
    }
}
