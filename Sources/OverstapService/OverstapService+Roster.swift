import Crypto
import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// The question whether a session's education partners may see a person's name and e-mail
    /// address, in the person's language. `version` is a hash of the exact wording (partner names
    /// included), so each recorded answer says which text was shown.
    public struct RosterConsentText: Sendable, Equatable {
        public var question: String
        public var yes: String
        public var no: String
        public var version: String

        /// The question about the named partners.
        public init(partners: [String], locale: String) {
            let dutch = locale != "en"
            let names = Self.list(partners, and: dutch ? "en" : "and")
            let many = partners.count > 1
            if dutch {
                question = (many ? "Mogen \(names), de opleiders van deze sessie," : "Mag \(names), de opleider van deze sessie,")
                    + " uw naam en e-mailadres zien? Dan staat uw naam op de presentielijst van de trainer."
                    + " Zegt u nee, dan staat u er alleen met een nummer op. U kunt dit later op deze pagina veranderen."
                yes = "Ja, dat mag"
                no = "Nee, liever niet"
            } else {
                question = "May \(names), the education partner\(many ? "s" : "") of this session, see your name and e-mail address?"
                    + " Then your name is on the trainer's attendance list. If you say no, you are on it with a number only."
                    + " You can change this on this page later."
                yes = "Yes, they may"
                no = "No, rather not"
            }
            let digest = SHA256.hash(data: Data([question, yes, no].joined(separator: "\n").utf8))
            version = digest.prefix(8).map { String(format: "%02x", $0) }.joined()
        }

        private static func list(_ names: [String], and word: String) -> String {
            guard names.count > 1 else { return names.first ?? "" }
            return names.dropLast().joined(separator: ", ") + " \(word) " + names[names.count - 1]
        }
    }

    /// What the answer page shows about roster consent.
    public struct RosterConsentView: Sendable {
        public var text: RosterConsentText
        /// The answer that counts now (no when never answered).
        public var agreed: Bool
        /// Whether the page asks: the person said they will come, or agreed before (so they can withdraw).
        public var asked: Bool
    }

    /// Why a roster-consent answer was not taken.
    public enum RosterConsentRefusal: Error, Sendable, Equatable {
        /// The page showed another wording (partners changed since): the new one must be read first.
        case textChanged
        /// Only someone who said they will come is asked to agree.
        case notComing
    }

    /// The roster-consent question of the enrollment a genuine answer token names; nil for a wrong token.
    public func rosterConsent(token: String) async throws -> RosterConsentView? {
        guard let id = rosterSigner?.enrollmentID(of: token) else { return nil }
        return try await store.read { tx in try await rosterConsentView(enrollmentID: id, tx) }
    }

    /// Records a yes or no to the roster question, with the time, the page's language and the
    /// version of the text the page showed; earlier answers stay in the history.
    public func recordRosterConsent(
        token: String, agreed: Bool, textVersion: String
    ) async throws -> Result<RosterConsentView, RosterConsentRefusal>? {
        guard let id = rosterSigner?.enrollmentID(of: token) else { return nil }
        let now = clock.now()
        return try await store.write { tx -> Result<RosterConsentView, RosterConsentRefusal>? in
            guard let enrollment = try await tx.enrollment(id: id), let worker = try await tx.worker(id: enrollment.workerID),
                let view = try await rosterConsentView(enrollmentID: id, tx)
            else { return nil }
            guard view.text.version == textVersion else { return .failure(.textChanged) }
            guard view.asked, !agreed || Self.saidYes(enrollment.state) else { return .failure(.notComing) }
            try await tx.insert(
                RosterConsent(agreed: agreed, answeredAt: now, locale: worker.locale, textVersion: textVersion),
                sessionID: enrollment.sessionID, workerID: enrollment.workerID)
            return try await rosterConsentView(enrollmentID: id, tx).map { .success($0) } ?? .failure(.notComing)
        }
    }

    /// The trainer's list of a session.
    public struct Roster: Sendable {
        /// One seat: the row number, and the name and address only when the person agreed.
        public struct Row: Sendable, Equatable {
            public var number: Int?
            public var name: String?
            public var email: String?
        }

        public var sessionID: Int64
        public var title: String
        public var partners: [String]
        /// The meetings that take place, as they are now (moved ones at their new time, called-off ones left out).
        public var meetings: [LocalDateTime]
        public var rows: [Row]
    }

    /// The roster of a session: everyone holding a seat by roster row, named only with consent;
    /// with `meeting` (an original date, `YYYY-MM-DD`) the list for that one meeting of a series.
    public func roster(sessionID: Int64, meeting: String? = nil) async throws -> Roster {
        let date = try meeting.map { try TimeInput.date($0, place: "--meeting") }
        return try await store.read { tx in
            let stored = try await existingSession(id: sessionID, tx)
            var partners: [String] = []
            for slug in stored.session.partners { partners.append(try await tx.partner(slug: slug)?.name ?? slug) }
            let consents = try await tx.latestRosterConsents(sessionID: sessionID)
            let rows = try await tx.enrollments(sessionID: sessionID).filter(\.enrollment.state.holdsSeat)
                .sorted { ($0.enrollment.rosterNumber ?? Int.max, $0.enrollment.id ?? 0) < ($1.enrollment.rosterNumber ?? Int.max, $1.enrollment.id ?? 0) }
                .map { row in
                    let agreed = consents[row.enrollment.workerID]?.agreed == true
                    return Roster.Row(number: row.enrollment.rosterNumber, name: agreed ? row.name : nil, email: agreed ? row.email : nil)
                }
            var meetings = try stored.session.schedule().filter { $0.status != .cancelled }.map(\.start)
            if let date, let text = meeting {
                let named = try stored.session.meeting(originallyOn: date, place: "--meeting \(text)")
                guard named.status != .cancelled else {
                    throw InputError(
                        place: "--meeting \(text)", problem: "the meeting of \(date) is cancelled",
                        fix: "name a meeting that takes place: \(meetings.map { "\($0.date)" }.joined(separator: ", "))")
                }
                meetings = [named.start]
            }
            return Roster(sessionID: sessionID, title: stored.session.title, partners: partners, meetings: meetings, rows: rows)
        }
    }

    private var rosterSigner: RSVPSigner? { settings.rsvpSecret.map(RSVPSigner.init(secret:)) }

    /// Answers that say the person will come (or came).
    private static func saidYes(_ state: EnrollmentState) -> Bool {
        [.accepted, .tentative, .attended, .noShow].contains(state)
    }

    private func rosterConsentView(enrollmentID: Int64, _ tx: any StoreReader) async throws -> RosterConsentView? {
        guard let enrollment = try await tx.enrollment(id: enrollmentID), let stored = try await tx.session(id: enrollment.sessionID),
            let worker = try await tx.worker(id: enrollment.workerID)
        else { return nil }
        var partners: [String] = []
        for slug in stored.session.partners { partners.append(try await tx.partner(slug: slug)?.name ?? slug) }
        let agreed = try await tx.rosterConsents(sessionID: enrollment.sessionID, workerID: enrollment.workerID).last?.agreed == true
        return RosterConsentView(
            text: RosterConsentText(partners: partners, locale: worker.locale), agreed: agreed, asked: agreed || Self.saidYes(enrollment.state))
    }
}
