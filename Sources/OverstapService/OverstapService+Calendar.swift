import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// The renderer for this team's calendar objects.
    func calendarRenderer(_ tx: any StoreReader) async throws -> CalendarRenderer {
        let names = try await Dictionary(tx.partners().map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
        return CalendarRenderer(
            organiserName: settings.organiserName, organiserEmail: settings.organiserEmail, alarm: settings.calendarAlarm,
            partnerNames: names)
    }

    /// One session as an iCalendar PUBLISH (no personal data).
    public func sessionCalendar(id: Int64) async throws -> String {
        try await store.read { tx in
            guard let stored = try await tx.session(id: id) else {
                throw NotFoundError(kind: "session", key: "\(id)", fix: "list sessions with: overstap session list")
            }
            return try await calendarRenderer(tx).publication(of: stored, timezone: settings.timezone)
        }
    }

    /// The feed a partner school subscribes to: all its sessions from 30 days ago on.
    public func partnerFeed(slug: String) async throws -> String {
        try await store.read { tx in
            guard let partner = try await tx.partner(slug: slug) else {
                throw NotFoundError(kind: "partner", key: slug, fix: "list partners with: overstap partner list")
            }
            let sessions = try await CalendarRenderer.feedSessions(tx.sessions(SessionFilter(partner: slug)), now: clock.now())
            return try await calendarRenderer(tx).feed(named: "Overstap – \(partner.name)", sessions: sessions, timezone: settings.timezone)
        }
    }

    /// The public feed of a region: its on-site sessions and the online sessions it organises, a full
    /// one marked " (vol)", a cancelled one as cancelled for 30 days.
    public func regionFeed(region: String) async throws -> String {
        try catalogues.regions.validate(region, place: "--region")
        let name = catalogues.regions.entry(region)?.dutchName ?? region
        return try await store.read { tx in
            let sessions = try await CalendarRenderer.feedSessions(tx.sessions(SessionFilter(region: region)), now: clock.now())
            return try await calendarRenderer(tx).feed(named: "Overstap – sessies in \(name)", sessions: sessions, timezone: settings.timezone)
        }
    }

    /// A participant's own feed: the sessions they are invited to or coming to, no personal data.
    /// The token is the one in `personalFeedLink`; a wrong token gives nil.
    public func personalFeed(token: String) async throws -> String? {
        guard let workerID = settings.rsvpSecret.map(RSVPSigner.init(secret:))?.workerID(ofFeedToken: token) else { return nil }
        return try await store.read { tx in
            guard try await tx.worker(id: workerID) != nil else { return nil }
            let mine = try await tx.enrollments(workerID: workerID).filter { $0.enrollment.state.hasCalendarEntry }.map(\.session)
            let sessions = CalendarRenderer.feedSessions(mine, now: clock.now())
            // They hold a seat: their own calendar must not call the session full.
            return try await calendarRenderer(tx).feed(
                named: "Overstap – mijn sessies", sessions: sessions, timezone: settings.timezone, marksFull: false)
        }
    }

    /// The address of a participant's own feed, or nil when `rsvp.secret` is not set.
    public func personalFeedLink(workerID: Int64) throws -> String? {
        try MailLinks(settings)?.personalFeed(workerID: workerID)
    }
}
