/// One person's presence at one meeting.
public struct AttendanceEntry: Equatable, Sendable {
    public var workerID: Int64
    public var meeting: MeetingKey
    public var presence: Presence

    /// Creates an entry.
    public init(workerID: Int64, meeting: MeetingKey, presence: Presence) {
        self.workerID = workerID
        self.meeting = meeting
        self.presence = presence
    }
}
