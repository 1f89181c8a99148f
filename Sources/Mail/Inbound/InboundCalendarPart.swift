/// One iCalendar part of an incoming message, transfer-decoded and converted to UTF-8 text.
public struct InboundCalendarPart: Sendable, Hashable {
    /// The MIME section as IMAP numbers it (`1`, `1.2`, `2.1.1`).
    public var section: String
    /// The media type, lower case: `text/calendar`, `application/ics`, `application/octet-stream`.
    public var contentType: String
    /// The `method` parameter of the media type, upper case (`REPLY`); nil when absent.
    public var method: String?
    /// The file name from `Content-Disposition` or the media type's `name`, encoded words decoded.
    public var filename: String?
    /// True when the part lies inside a forwarded message (`message/rfc822`), so it is someone
    /// else's calendar object passed on, not the sender's own answer.
    public var isForwarded: Bool
    /// The iCalendar text.
    public var text: String

    /// Creates a part.
    public init(section: String, contentType: String, method: String?, filename: String?, isForwarded: Bool, text: String) {
        self.section = section
        self.contentType = contentType
        self.method = method
        self.filename = filename
        self.isForwarded = isForwarded
        self.text = text
    }
}
