import Foundation

/// What one attendee's answer in one VEVENT of an incoming calendar message says, with the
/// evidence from the mail around it. The service fills it from `InboundMessage` and `CalendarITIP`;
/// Core knows neither.
public struct ReplyFacts: Sendable, Hashable {
    /// The iTIP method of the message.
    public enum Method: Sendable, Hashable {
        case reply, counter, refresh
        /// Any other method (`REQUEST`, `CANCEL`, none): not an answer to the organiser.
        case other(String)
    }

    /// PARTSTAT of the attendee.
    public enum Participation: Sendable, Hashable {
        case accepted, declined, tentative, delegated, needsAction
        /// Any other value, upper case.
        case other(String)
    }

    public var method: Method
    public var uid: String
    /// The ATTENDEE address (without `mailto:`).
    public var attendee: String
    public var participation: Participation
    /// SEQUENCE of the answer; nil when the client left it out (unknown, not 0).
    public var sequence: Int?
    /// DTSTAMP of the answer; nil when absent.
    public var stamp: Date?
    /// True when the VEVENT has a RECURRENCE-ID: the answer is for one meeting of a series.
    public var isForOneMeeting: Bool
    /// The address in the mail's `From` header; nil when there was none.
    public var from: String?
    /// True when the topmost `Authentication-Results` says DMARC failed for the From domain.
    public var dmarcFailed: Bool
    /// True when the calendar part came inside a forwarded message (`message/rfc822`).
    public var isForwarded: Bool

    /// Creates facts.
    public init(
        method: Method, uid: String, attendee: String, participation: Participation, sequence: Int? = nil, stamp: Date? = nil,
        isForOneMeeting: Bool = false, from: String?, dmarcFailed: Bool = false, isForwarded: Bool = false
    ) {
        self.method = method
        self.uid = uid
        self.attendee = attendee
        self.participation = participation
        self.sequence = sequence
        self.stamp = stamp
        self.isForOneMeeting = isForOneMeeting
        self.from = from
        self.dmarcFailed = dmarcFailed
        self.isForwarded = isForwarded
    }
}
