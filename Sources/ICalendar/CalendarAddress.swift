/// An ORGANIZER: a mailbox with an optional display name.
public struct CalendarAddress: Hashable, Sendable {
    /// The e-mail address, without `mailto:`.
    public var email: String
    /// The `CN` parameter.
    public var commonName: String?

    /// Creates an address.
    public init(email: String, commonName: String? = nil) {
        self.email = email
        self.commonName = commonName
    }
}

/// An ATTENDEE with the iTIP parameters that matter to calendar clients.
public struct CalendarAttendee: Hashable, Sendable {
    public var address: CalendarAddress
    /// `ROLE`, e.g. `REQ-PARTICIPANT`.
    public var role: String
    /// `PARTSTAT`, e.g. `NEEDS-ACTION`, `ACCEPTED`, `DECLINED`.
    public var participation: String
    /// `RSVP=TRUE`: the organiser asks for an answer.
    public var expectsReply: Bool

    /// Creates an attendee.
    public init(address: CalendarAddress, role: String = "REQ-PARTICIPANT", participation: String = "NEEDS-ACTION", expectsReply: Bool = true) {
        self.address = address
        self.role = role
        self.participation = participation
        self.expectsReply = expectsReply
    }
}
