/// The one place that decides how enrollments change and which messages that causes:
/// `(state, event) → (new state, messages)`, with no I/O.
public enum EnrollmentLifecycle {
    /// The outcome of applying an event.
    public struct Transition: Equatable, Sendable {
        public var state: EnrollmentState
        public var messages: [EnrollmentMessage]

        /// Creates a transition outcome.
        public init(_ state: EnrollmentState, _ messages: [EnrollmentMessage] = []) {
            self.state = state
            self.messages = messages
        }
    }

    /// An event that makes no sense in the current state (answering a cancelled session).
    public struct RefusedEvent: Error, Equatable, Sendable, CustomStringConvertible {
        public var state: EnrollmentState?
        public var event: EnrollmentEvent

        public var description: String {
            "cannot apply \(event) to an enrollment that is \(state?.rawValue ?? "not there yet")"
        }
    }

    /// A decision for one stored enrollment: the change for the store and the messages to queue.
    public struct Decision: Equatable, Sendable {
        public var change: EnrollmentChange
        public var messages: [EnrollmentMessage]
    }

    /// Decides what `event` does to the enrollment of `workerID` in `sessionID`, now in `state`
    /// (nil: none yet). The store takes the decision's change, never a bare state.
    public static func decide(
        _ event: EnrollmentEvent, sessionID: Int64, workerID: Int64, from state: EnrollmentState?
    ) throws(RefusedEvent) -> Decision {
        let transition = try apply(event, to: state)
        let change = EnrollmentChange(sessionID: sessionID, workerID: workerID, from: state, to: transition.state, event: event)
        return Decision(change: change, messages: transition.messages)
    }

    /// Decides what `event` does to a stored enrollment.
    public static func decide(_ event: EnrollmentEvent, for enrollment: Enrollment) throws(RefusedEvent) -> Decision {
        try decide(event, sessionID: enrollment.sessionID, workerID: enrollment.workerID, from: enrollment.state)
    }

    /// Applies `event` to an enrollment in `state` (nil: no enrollment yet).
    public static func apply(_ event: EnrollmentEvent, to state: EnrollmentState?) throws(RefusedEvent) -> Transition {
        switch (state, event) {
        case (nil, .selectedByMatching), (nil, .placedByOrganiser):
            return Transition(.selected)
        case (.cancelled, .placedByOrganiser), (.declined, .placedByOrganiser), (.expired, .placedByOrganiser):
            // Placed again after the enrollment ended: like a first placement; the invitation
            // (outranking the cancellation they saw) follows with `.invited`.
            return Transition(.selected)
        case (.selected, .invited):
            return Transition(.invited, [.invitation])
        case (.invited, .answered(let answer)), (.accepted, .answered(let answer)), (.tentative, .answered(let answer)):
            return answered(answer)
        case (.declined, .answered(.accept)), (.expired, .answered(.accept)):
            // They received a cancellation, so the calendar entry must be sent again.
            return Transition(.accepted, [.invitation])
        case (.declined, .answered(.tentative)), (.expired, .answered(.tentative)):
            return Transition(.tentative, [.invitation])
        case (.declined, .answered(.decline)), (.expired, .answered(.decline)):
            return Transition(.declined)
        case (.invited, .deadlinePassed):
            return Transition(.expired, [.expiry])
        case (let current?, .refreshRequested) where current.hasCalendarEntry:
            return Transition(current, [.invitation])
        case (let current?, .movedToAnotherSession) where current.isActive:
            return Transition(.cancelled, current.hasCalendarEntry ? [.cancellation] : [])
        case (let current?, .sessionMoved) where current.isActive:
            return Transition(current, current.hasCalendarEntry ? [.update] : [])
        case (let current?, .sessionMoved):
            return Transition(current)
        case (let current?, .meetingCancelled):
            return Transition(current, current.hasCalendarEntry ? [.meetingCancellation] : [])
        case (let current?, .sessionCancelled), (let current?, .removedByOrganiser), (let current?, .personErased):
            guard current != .attended && current != .noShow else { throw RefusedEvent(state: state, event: event) }
            return Transition(.cancelled, current.hasCalendarEntry ? [.cancellation] : [])
        case (let current?, .addressUndeliverable) where current.isActive:
            // Nothing can reach them, so no cancellation is queued.
            return Transition(.cancelled)
        case (.invited, .attended), (.accepted, .attended), (.tentative, .attended), (.noShow, .attended):
            return Transition(.attended)
        case (.selected, .attended):
            // Came without an invitation: a walk-in placed by hand after the session.
            return Transition(.attended)
        case (.invited, .noShow), (.accepted, .noShow), (.tentative, .noShow), (.attended, .noShow):
            return Transition(.noShow)
        case (.selected, .noShow):
            // Marked absent although never invited (a walk-in's record corrected).
            return Transition(.noShow)
        default:
            throw RefusedEvent(state: state, event: event)
        }
    }

    private static func answered(_ answer: Answer) -> Transition {
        switch answer {
        case .accept: return Transition(.accepted)
        case .tentative: return Transition(.tentative)
        case .decline: return Transition(.declined, [.cancellation])
        }
    }
}
