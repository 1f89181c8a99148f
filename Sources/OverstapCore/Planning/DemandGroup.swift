import Foundation

/// People waiting for the same tailored session: a target sector, the sector they come from (the
/// audience), a language and a region (nil: online, every region), with what helps to plan it.
public struct DemandGroup: Sendable, Equatable {
    /// What a session for the group would be.
    public struct Key: Sendable, Hashable {
        /// The sector the session prepares for.
        public var sector: String
        /// The sector the people come from: whom the session is tailored for.
        public var audience: String
        public var language: String
        /// The region of an on-site session; nil for an online one.
        public var region: String?

        /// Creates a key.
        public init(sector: String, audience: String, language: String, region: String?) {
            self.sector = sector
            self.audience = audience
            self.language = language
            self.region = region
        }
    }

    /// A weekly range and how many of the group can come then.
    public struct SharedWindow: Sendable, Equatable {
        public var window: WeeklyWindow
        public var people: Int

        /// Creates a shared window.
        public init(window: WeeklyWindow, people: Int) {
            self.window = window
            self.people = people
        }
    }

    /// A broader session: the same sector, language and region, for people from any sector.
    public struct Broader: Sendable, Equatable {
        /// People waiting for such a session.
        public var people: Int
        /// Of them, those free in the group's best window (nil when the group shares none).
        public var inBestWindow: Int?

        /// Creates the figures of a broader session.
        public init(people: Int, inBestWindow: Int?) {
            self.people = people
            self.inBestWindow = inBestWindow
        }
    }

    /// A partner that ran sessions in the group's sector, and how full they were.
    public struct PartnerHistory: Sendable, Equatable {
        public var slug: String
        /// Sessions that ended (not cancelled).
        public var sessions: Int
        /// Seats taken in them, at most their capacity.
        public var seatsTaken: Int
        public var capacity: Int

        /// Creates a partner's history.
        public init(slug: String, sessions: Int, seatsTaken: Int, capacity: Int) {
            self.slug = slug
            self.sessions = sessions
            self.seatsTaken = seatsTaken
            self.capacity = capacity
        }

        /// Seats taken as a whole percentage of the capacity.
        public var fillPercent: Int { capacity == 0 ? 0 : (seatsTaken * 100 + capacity / 2) / capacity }
    }

    /// An upcoming open session that matching could already place some of the group in.
    public struct Cover: Sendable, Equatable {
        public var sessionID: Int64
        public var title: String
        /// The first meeting's start.
        public var start: Date
        public var timezone: String
        public var freeSeats: Int
        /// Members matching may place there (every eligibility rule applied).
        public var fitting: Int

        /// Creates a covering session's figures.
        public init(sessionID: Int64, title: String, start: Date, timezone: String, freeSeats: Int, fitting: Int) {
            self.sessionID = sessionID
            self.title = title
            self.start = start
            self.timezone = timezone
            self.freeSeats = freeSeats
            self.fitting = fitting
        }
    }

    public var key: Key
    public var unemployed: Int
    public var atRisk: Int
    /// Up to three ranges of at least an hour that do not overlap, most people first.
    public var windows: [SharedWindow]
    public var broader: Broader
    /// Up to three partners, most sessions first.
    public var partners: [PartnerHistory]
    /// Up to three sessions, most fitting members first.
    public var coveredBy: [Cover]

    /// Everyone in the group.
    public var people: Int { unemployed + atRisk }
}

/// What `plan demand` found: the groups worth a session and who was left out.
public struct DemandReport: Sendable {
    /// People in scope who wait for a session.
    public var waiting: Int
    /// People in scope placed in an upcoming session.
    public var placed: Int
    /// People in scope left out because their address is undeliverable.
    public var undeliverable: Int
    /// People in scope left out because their `available_until` has passed.
    public var availableUntilPassed: Int
    /// The groups shown, in order: group N of the list is `groups[N - 1]`.
    public var groups: [DemandGroup]
    /// Groups left out for having fewer people than the minimum.
    public var belowMinimum: Int
    /// Groups large enough but beyond the number asked for.
    public var beyondTop: Int
}

/// The groups the last `plan demand` showed, kept so `plan suggest --demand N` takes group N.
public struct DemandList: Sendable, Equatable {
    /// When the list was made.
    public var listedAt: Date
    /// Group N is `groups[N - 1]`.
    public var groups: [DemandGroup.Key]

    /// Creates a list.
    public init(listedAt: Date, groups: [DemandGroup.Key]) {
        self.listedAt = listedAt
        self.groups = groups
    }
}
