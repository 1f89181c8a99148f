/// Everything a report is computed from, as plain values read in one transaction: no names, no
/// addresses, only ids, codes, states and dates.
public struct ReportInput: Sendable, Equatable {
    /// A worker, without anything that identifies them.
    public struct Person: Sendable, Equatable {
        public var id: Int64
        /// The sector they come from.
        public var sector: String
        public var region: String
        /// The day (in the team's zone) they were first imported.
        public var importedOn: LocalDate

        /// Creates a person.
        public init(id: Int64, sector: String, region: String, importedOn: LocalDate) {
            self.id = id
            self.sector = sector
            self.region = region
            self.importedOn = importedOn
        }
    }

    /// A session, without its title, place or links.
    public struct Session: Sendable, Equatable {
        public var id: Int64
        public var sector: String
        public var region: String
        public var capacity: Int
        /// The local date of its first meeting.
        public var startDate: LocalDate
        public var cancelled: Bool
        /// Its education partners' slugs, in the session's order.
        public var partners: [String]

        /// Creates a session.
        public init(id: Int64, sector: String, region: String, capacity: Int, startDate: LocalDate, cancelled: Bool, partners: [String]) {
            self.id = id
            self.sector = sector
            self.region = region
            self.capacity = capacity
            self.startDate = startDate
            self.cancelled = cancelled
            self.partners = partners
        }
    }

    /// One enrollment: its state now and the milestones it passed on the way.
    public struct Enrollment: Sendable, Equatable {
        public var sessionID: Int64
        public var workerID: Int64
        public var state: EnrollmentState
        /// An invitation was decided for it at some point.
        public var wasInvited: Bool
        /// The person answered at some point (accept, maybe or decline).
        public var wasAnswered: Bool
        /// The person accepted at some point.
        public var wasAccepted: Bool

        /// Creates an enrollment.
        public init(sessionID: Int64, workerID: Int64, state: EnrollmentState, wasInvited: Bool, wasAnswered: Bool, wasAccepted: Bool) {
            self.sessionID = sessionID
            self.workerID = workerID
            self.state = state
            self.wasInvited = wasInvited
            self.wasAnswered = wasAnswered
            self.wasAccepted = wasAccepted
        }
    }

    /// A recorded outcome of a person.
    public struct PersonOutcome: Sendable, Equatable {
        public var workerID: Int64
        public var outcome: Outcome

        /// Creates a recorded outcome.
        public init(workerID: Int64, outcome: Outcome) {
            self.workerID = workerID
            self.outcome = outcome
        }
    }

    public var persons: [Person]
    public var sessions: [Session]
    public var enrollments: [Enrollment]
    public var outcomes: [PersonOutcome]
    /// Partner names by slug (organisations, not people).
    public var partnerNames: [String: String]
    /// Sector codes in catalogue order, for the order of rows and columns.
    public var sectorOrder: [String]

    /// Creates an input.
    public init(
        persons: [Person], sessions: [Session], enrollments: [Enrollment], outcomes: [PersonOutcome], partnerNames: [String: String],
        sectorOrder: [String]
    ) {
        self.persons = persons
        self.sessions = sessions
        self.enrollments = enrollments
        self.outcomes = outcomes
        self.partnerNames = partnerNames
        self.sectorOrder = sectorOrder
    }
}
