/// A change of one enrollment's state that `EnrollmentLifecycle` decided. Only the lifecycle can
/// make one, so a store that takes changes cannot be handed a state the machine did not decide.
public struct EnrollmentChange: Equatable, Sendable {
    public let sessionID: Int64
    public let workerID: Int64
    /// The state the change was decided from (nil: no enrollment yet). A store applies the change
    /// only while the stored state is still this one.
    public let from: EnrollmentState?
    public let to: EnrollmentState
    /// The event that caused it.
    public let event: EnrollmentEvent

    init(sessionID: Int64, workerID: Int64, from: EnrollmentState?, to: EnrollmentState, event: EnrollmentEvent) {
        self.sessionID = sessionID
        self.workerID = workerID
        self.from = from
        self.to = to
        self.event = event
    }

    /// The reason the organiser gave for placing someone the rules exclude, if this change is such a placement.
    public var overrideReason: String? {
        if case .placedByOrganiser(let reason) = event { return reason }
        return nil
    }
}
