import ArgumentParser
import Foundation
import OverstapCore
import OverstapService
import OverstapStore

extension OverstapBench {
    /// Times the calendar renderer: a 1,000-session partner feed and single invitations.
    struct Calendar: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "calendar", abstract: "Time feed and invitation rendering.")
        @Option(help: "Sessions in the feed.") var sessions = 1_000
        @Option(help: "Feed renders to time.") var feedRuns = 50
        @Option(help: "Invitations to time.") var invitations = 20_000

        func run() throws {
            let renderer = CalendarRenderer(
                organiserName: "Mobiliteitsteam Midden-Utrecht", organiserEmail: "team@example.org", alarm: "-PT1H",
                partnerNames: ["roc": "ROC Midden Nederland"])
            let stored = (0..<sessions).map(Self.session)
            let feed = try renderer.feed(named: "ROC", sessions: stored, timezone: "Europe/Amsterdam")
            var feedTimes: [Double] = []
            for _ in 0..<feedRuns {
                let started = ContinuousClock.now
                _ = try renderer.feed(named: "ROC", sessions: stored, timezone: "Europe/Amsterdam")
                feedTimes.append(Self.milliseconds(ContinuousClock.now - started))
            }
            feedTimes.sort()
            print("feed of \(sessions) sessions: \(feed.utf8.count) bytes, median \(Self.format(feedTimes[feedTimes.count / 2])) ms, min \(Self.format(feedTimes[0])) ms (\(feedRuns) runs)")
            let worker = Worker(
                id: 1, email: "anouk@example.org", name: "Anouk Bakker", sector: "horeca", targets: ["zorg"], region: "midden-utrecht",
                languages: ["nl"], availability: [], availableFrom: nil, availableUntil: nil, status: .unemployed, locale: "nl")
            let now = Date(timeIntervalSince1970: 1_799_568_000)
            let started = ContinuousClock.now
            var bytes = 0
            for index in 0..<invitations {
                bytes += try renderer.invitation(for: stored[index % stored.count], to: worker, now: now).utf8.count
            }
            let perInvitation = Self.milliseconds(ContinuousClock.now - started) * 1_000 / Double(invitations)
            print("invitation: \(Self.format(perInvitation)) µs each (\(invitations) rendered, \(bytes / invitations) bytes each)")
        }

        static func session(_ index: Int) -> StoredSession {
            let start = LocalDateTime(year: 2027, month: 2, day: 1, hour: 9, minute: 0).adding(minutes: index * 24 * 60 / 3)
            let session = Session(
                id: Int64(index + 1), uid: "\(UUID().uuidString.lowercased())@example.org", title: "Van keuken naar zorg \(index)",
                description: "Wat doet een helpende zorg en welzijn? Collega's uit de zorg vertellen, het ROC legt uit hoe u met behoud van inkomen kunt leren.",
                kind: .webinar, partners: ["roc"], sector: "zorg", audience: ["horeca"], start: start, end: start.adding(minutes: 90),
                timezone: "Europe/Amsterdam", recurrence: index % 10 == 0 ? "FREQ=WEEKLY;COUNT=6" : nil, capacity: 20,
                venue: index % 2 == 0 ? .online(URL(string: "https://meet.example.org/s\(index)")!) : .onSite("Australiëlaan 25, 3526 AB Utrecht"),
                region: "midden-utrecht", language: "nl", updatedAt: Date(timeIntervalSince1970: 1_799_000_000))
            return StoredSession(session: session, startsAt: Date(), endsAt: Date(), seatsTaken: index % 20)
        }

        static func milliseconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
        }

        static func format(_ value: Double) -> String { String(format: "%.2f", value) }
    }
}
