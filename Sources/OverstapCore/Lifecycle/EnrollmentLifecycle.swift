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

    /// Applies `event` to an enrollment in `state` (nil: no enrollment yet).
    public static func apply(_ event: EnrollmentEvent, to state: EnrollmentState?) throws(RefusedEvent) -> Transition {
        switch (state, event) {
        case (nil, .selectedByMatching):
            return Transition(.selected)
        case (.selected, .invited):
            return Transition(.invited, [.invitation])
        case (.invited, .answered(let answer)), (.accepted, .answered(let answer)), (.tentative, .answered(let answer)):
            return answered(answer)
        case (.declined, .answered(.accept)):
            // They received a cancellation when declining, so the calendar entry must be sent again.
            return Transition(.accepted, [.invitation])
        case (.declined, .answered(.tentative)):
            return Transition(.tentative, [.invitation])
        case (.declined, .answered(.decline)):
            return Transition(.declined)
        case (let current?, .sessionMoved) where current.isActive:
            return Transition(current, current.hasCalendarEntry ? [.update] : [])
        case (let current?, .sessionMoved):
            return Transition(current)
        case (let current?, .sessionCancelled), (let current?, .removedByOrganiser), (let current?, .personErased):
            guard current != .attended && current != .noShow else { throw RefusedEvent(state: state, event: event) }
            return Transition(.cancelled, current.hasCalendarEntry ? [.cancellation] : [])
        case (let current?, .addressUndeliverable) where current.isActive:
            // Nothing can reach them, so no cancellation is queued.
            return Transition(.cancelled)
        case (.invited, .attended), (.accepted, .attended), (.tentative, .attended), (.noShow, .attended):
            return Transition(.attended)
        case (.invited, .noShow), (.accepted, .noShow), (.tentative, .noShow), (.attended, .noShow):
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
