import Foundation
import OverstapCore
import OverstapTestSupport
import TestRandom
import Testing

/// `plan demand` on a generated region whose groups are known (see `DemandRegion`): every figure
/// of every group, and who is left out.
struct DemandPlannerTests {
    static let zone = ZoneResolver(zone: TimeZone(identifier: "Europe/Amsterdam")!)
    /// 2027-01-10 09:00 in Amsterdam.
    static let now = Date(timeIntervalSince1970: 1_799_568_000)

    let region: DemandRegion
    let workers: [Worker]
    let sessions: [MatchingCandidate]
    let enrollments: [Enrollment]

    init() throws {
        var random = SeededRandom(seed: 23)
        let region = DemandRegion(using: &random)
        self.region = region
        workers = region.people.enumerated().map { index, person in
            var worker = Worker(
                id: Int64(index + 1), email: person.email, name: "Persoon \(index)", sector: person.sector, targets: person.targets,
                region: person.region, languages: ["nl"],
                availability: person.availability.split(separator: "|").compactMap(WeeklyWindow.parse),
                availableFrom: nil, availableUntil: person.availableUntil.flatMap { LocalDate(iso: Substring($0)) },
                status: WorkerStatus(rawValue: person.status)!, locale: "nl")
            if person.role == .undeliverable { worker.undeliverableSince = Self.now.addingTimeInterval(-86_400) }
            return worker
        }
        sessions = [
            try Self.session(1, "zorg", partner: "roc-midden", start: "2026-11-03 19:00", capacity: 5, taken: 5),
            try Self.session(2, "zorg", partner: "roc-midden", start: "2026-11-10 19:00", capacity: 5, taken: 4),
            try Self.session(3, "zorg", partner: "hogeschool", start: "2026-11-17 19:00", capacity: 10, taken: 10),
            try Self.session(4, "zorg", partner: "afgezegd", start: "2026-11-24 19:00", capacity: 10, taken: 0, cancelled: true),
            try Self.session(5, "logistiek", partner: "transport-academie", start: "2026-11-04 09:30", capacity: 10, taken: 8),
            try Self.session(6, "zorg", partner: "roc-midden", start: "2027-01-21 14:00", capacity: 4, taken: 4),
            try Self.session(7, "techniek", audience: ["reizen"], start: "2027-01-18 10:00", capacity: 15, taken: 3),
            try Self.session(8, "techniek", audience: ["reizen"], start: "2027-01-18 10:00", capacity: 10, taken: 0, region: "rijnmond"),
            try Self.session(9, "zorg", audience: ["cultuur"], start: "2027-01-26 19:00", capacity: 10, taken: 0, online: true),
            try Self.session(10, "techniek", audience: [], start: "2027-01-25 10:00", capacity: 20, taken: 0, online: true),
        ]
        let id = { (email: String) in Int64(region.people.firstIndex { $0.email == email }! + 1) }
        var enrollments = region.people(.placed).map {
            Enrollment(sessionID: 6, workerID: id($0.email), state: .invited, updatedAt: Self.now)
        }
        // A declined invitation is respected: that person no longer fits session 7.
        enrollments.append(Enrollment(sessionID: 7, workerID: id(region.people(.covered)[0].email), state: .declined, updatedAt: Self.now))
        // Having attended an earlier session does not take anyone off the waiting list.
        enrollments += region.people(.large).prefix(2).map {
            Enrollment(sessionID: 1, workerID: id($0.email), state: .attended, updatedAt: Self.now)
        }
        self.enrollments = enrollments
    }

    static func session(
        _ id: Int64, _ sector: String, partner: String = "roc-midden", audience: [String] = ["horeca"], start: String, capacity: Int,
        taken: Int, region: String = "midden-utrecht", online: Bool = false, cancelled: Bool = false
    ) throws -> MatchingCandidate {
        let parts = start.split(separator: " ")
        let local = LocalDateTime(
            date: try #require(LocalDate(iso: parts[0])), hour: Int(parts[1].prefix(2))!, minute: Int(parts[1].suffix(2))!)
        let session = Session(
            id: id, uid: "s\(id)@example.org", title: "Sessie \(id)", description: "", kind: .training, partners: [partner],
            sector: sector, audience: audience, start: local, end: local.adding(minutes: 90), timezone: "Europe/Amsterdam",
            recurrence: nil, capacity: capacity, venue: online ? .online(URL(string: "https://meet.example.org/\(id)")!) : .onSite("Zaal"),
            region: region, language: "nl", status: cancelled ? .cancelled : .scheduled, updatedAt: now)
        let instant = try zone.instant(of: local, place: "start")
        return MatchingCandidate(session: session, meetings: [DateInterval(start: instant, duration: 5400)], seatsTaken: taken)
    }

    func plan(region: String? = nil, online: Bool = false, minimum: Int = 10, top: Int = 10) -> DemandReport {
        let waiting = WaitingList(
            workers: workers, sessions: sessions.map {
                StoredSession(session: $0.session, startsAt: $0.meetings[0].start, endsAt: $0.meetings[0].end, seatsTaken: $0.seatsTaken)
            },
            enrollments: enrollments, now: Self.now, today: LocalDate(year: 2027, month: 1, day: 10), region: region)
        return DemandPlanner(
            waiting: waiting, sessions: sessions, enrollments: enrollments, now: Self.now, zone: Self.zone, maxSessionsPerWorker: 1
        ).plan(DemandPlanner.Request(online: online, minimum: minimum, top: top))
    }

    static func windows(_ group: DemandGroup) -> [String] { group.windows.map { "\($0.window): \($0.people)" } }

    @Test func groupsComeLargestFirstByUnemployedThenAtRisk() {
        let report = plan()
        #expect(report.groups.map(\.key) == [
            DemandGroup.Key(sector: "zorg", audience: "horeca", language: "nl", region: "midden-utrecht"),
            DemandGroup.Key(sector: "techniek", audience: "reizen", language: "nl", region: "midden-utrecht"),
            DemandGroup.Key(sector: "logistiek", audience: "detailhandel", language: "nl", region: "midden-utrecht"),
        ])
        #expect(report.groups.map { [$0.people, $0.unemployed, $0.atRisk] } == [[45, 30, 15], [12, 8, 4], [14, 6, 8]])
        #expect(report.belowMinimum == region.smallGroups, "seed 23: \(region.noiseGroups) noise groups")
        #expect(report.beyondTop == 0)
    }

    @Test func theLeftOutAreCountedAndNotInAnyGroup() {
        let report = plan()
        #expect(report.placed == 4)
        #expect(report.undeliverable == 3)
        #expect(report.availableUntilPassed == 2)
        #expect(report.waiting == 45 + 14 + 12 + 9 + 6 + region.people(.noise).count)
    }

    @Test func theLargeGroupSharesTuesdayEvening() {
        let large = plan().groups[0]
        #expect(Self.windows(large) == ["di 19:00-21:00: 38", "do 09:00-12:00: 7", "za 10:00-12:00: 5"])
        // zorg in midden-utrecht from any sector: the 45 and 9 from cultuur, 5 of whom fit 19:00–21:00.
        #expect(large.broader == DemandGroup.Broader(people: 54, inBestWindow: 43))
        #expect(large.partners == [
            DemandGroup.PartnerHistory(slug: "roc-midden", sessions: 2, seatsTaken: 9, capacity: 10),
            DemandGroup.PartnerHistory(slug: "hogeschool", sessions: 1, seatsTaken: 10, capacity: 10),
        ])
        #expect(large.partners.map(\.fillPercent) == [90, 100])
        // The Thursday session is full; the online zorg session is tailored for cultuur only.
        #expect(large.coveredBy.isEmpty)
    }

    @Test func theSplitGroupShowsBothWindows() {
        let split = plan().groups[2]
        #expect(Self.windows(split) == ["wo 09:00-12:00: 8", "do 13:00-16:00: 6"])
        #expect(split.broader == DemandGroup.Broader(people: 16, inBestWindow: 8))
        #expect(split.partners == [DemandGroup.PartnerHistory(slug: "transport-academie", sessions: 1, seatsTaken: 8, capacity: 10)])
        #expect(split.partners[0].fillPercent == 80)
        #expect(split.coveredBy.isEmpty)
    }

    @Test func openSessionsThatCoverAGroupSayHowManyOfThemFit() throws {
        let covered = plan().groups[1]
        #expect(Self.windows(covered) == ["ma 10:00-12:00: 10", "vr 14:00-16:00: 2"])
        #expect(covered.broader == DemandGroup.Broader(people: 12, inBestWindow: 10))
        #expect(covered.partners.isEmpty)
        // Session 10 (online, for anyone) fits all ten Monday people; session 7 (on site) nine,
        // as one declined it; session 8 is in rijnmond.
        #expect(covered.coveredBy.map { [$0.sessionID, Int64($0.freeSeats), Int64($0.fitting)] } == [[10, 20, 10], [7, 12, 9]])
        let first = try #require(covered.coveredBy.first)
        #expect(first.title == "Sessie 10" && first.timezone == "Europe/Amsterdam")
        #expect(Self.zone.local(of: first.start) == LocalDateTime(year: 2027, month: 1, day: 25, hour: 10, minute: 0))
    }

    @Test func onlineGroupsJoinEveryRegionAndOnlyOnlineSessionsCoverThem() {
        let report = plan(online: true)
        let large = report.groups[0]
        #expect(large.key == DemandGroup.Key(sector: "zorg", audience: "horeca", language: "nl", region: nil))
        #expect(large.people == 51 && large.unemployed == 36 && large.atRisk == 15)
        #expect(Self.windows(large).first == "di 19:00-21:00: 44")
        #expect(large.broader == DemandGroup.Broader(people: 60, inBestWindow: 49))
        #expect(report.groups[1].coveredBy.map(\.sessionID) == [10])
        #expect(report.belowMinimum == region.noiseGroups + 2)
    }

    @Test func minimumTopAndRegionNarrowTheList() {
        let top = plan(top: 2)
        #expect(top.groups.count == 2 && top.beyondTop == 1)
        let small = plan(minimum: 1)
        #expect(small.groups.count == 10 && small.beyondTop == region.smallGroups + 3 - 10)
        #expect(small.belowMinimum == 0)
        let rijnmond = plan(region: "rijnmond")
        #expect(rijnmond.waiting == 6 && rijnmond.groups.isEmpty && rijnmond.belowMinimum == 1)
        #expect(plan(region: "rijnmond", minimum: 6).groups.map(\.people) == [6])
    }
}
