import Foundation

/// What a message says, before it is encoded: headers' values, the text and HTML bodies and an
/// optional iCalendar part (iMIP).
public struct MailDraft: Sendable {
    /// An iCalendar object carried by an iMIP message.
    public struct CalendarPart: Sendable {
        /// The iCalendar text (from libical), CRLF line ends.
        public var text: String
        /// The iTIP method, which must equal the object's `METHOD:` (REQUEST, CANCEL, PUBLISH, REPLY).
        public var method: String

        /// Creates a calendar part.
        public init(text: String, method: String) {
            self.text = text
            self.method = method
        }
    }

    /// The `Message-ID` without angle brackets: `unique@domain`.
    public var messageID: String
    /// The `Date` header.
    public var date: Date
    public var from: MailAddress
    public var to: MailAddress
    /// The envelope sender (`mail.return_path`).
    public var returnPath: String
    public var subject: String
    /// The plain-text body.
    public var text: String
    /// The HTML body.
    public var html: String
    /// The invitation, update or cancellation, when this is a calendar message.
    public var calendar: CalendarPart?

    /// Creates a draft.
    public init(
        messageID: String, date: Date, from: MailAddress, to: MailAddress, returnPath: String, subject: String, text: String,
        html: String, calendar: CalendarPart? = nil
    ) {
        self.messageID = messageID
        self.date = date
        self.from = from
        self.to = to
        self.returnPath = returnPath
        self.subject = subject
        self.text = text
        self.html = html
        self.calendar = calendar
    }
}
