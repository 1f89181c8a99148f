import Foundation
import OverstapCore
import Testing

/// One meeting of a series, in the pure core: the meetings as they now are, the rules a change
/// must keep, the lifecycle's decision and the outbox's folding.
struct MeetingExceptionTests {
    /// A weekly series of four Tuesdays from 2 February 2027, 19:00–20:30.
    let series: Session = {
        var session = Session(
            uid: "u@example.org", title: "Van keuken naar zorg", description: "", kind: .training, partners: ["roc"],
            sector: "zorg", audience: ["horeca"], start: LocalDateTime(year: 2027, month: 2, day: 2, hour: 19, minute: 0),
            end: LocalDateTime(year: 2027, month: 2, day: 2, hour: 20, minute: 30), timezone: "Europe/Amsterdam",
            recurrence: "FREQ=WEEKLY;COUNT=4", capacity: 20, venue: .onSite("Utrecht"), region: "midden-utrecht", language: "nl",
            updatedAt: Date(timeIntervalSince1970: 0))
        session.id = 3
        return session
    }()

    func at(_ day: Int, _ hour: Int = 19, _ minute: Int = 0) -> LocalDateTime {
        LocalDateTime(year: 2027, month: 2, day: day, hour: hour, minute: minute)
    }

    @Test func meetingsAreListedAsTheyNowAreWithTheirOriginalStart() throws {
        var session = try series.cancellingMeeting(try series.meeting(originallyOn: at(16).date, place: "--meeting"), reason: "ziek", place: "--meeting")
        session = try session.movingMeeting(try session.meeting(originallyOn: at(9).date, place: "--meeting"), to: at(18, 10), end: at(18, 12))
        #expect(try session.meetings().map(\.start) == [at(2), at(18, 10), at(23)])
        #expect(try session.schedule().map(\.status) == [.scheduled, .cancelled, .moved, .scheduled])
        #expect(try session.schedule().map(\.originalStart) == [at(2), at(16), at(9), at(23)])
        #expect(session.exceptions == [
            MeetingException(originalStart: at(9), change: .moved(start: at(18, 10), end: at(18, 12))),
            MeetingException(originalStart: at(16), change: .cancelled(reason: "ziek")),
        ])
    }

    @Test func aMeetingMovedBackToItsOwnTimeIsNoExceptionAnyMore() throws {
        let moved = try series.movingMeeting(try series.meeting(originallyOn: at(9).date, place: "--meeting"), to: at(10), end: at(10, 20, 30))
        let back = try moved.movingMeeting(try moved.meeting(originallyOn: at(9).date, place: "--meeting"), to: at(9), end: at(9, 20, 30))
        #expect(back.exceptions.isEmpty)
        let cancelled = try series.cancellingMeeting(try series.meeting(originallyOn: at(9).date, place: "--meeting"), reason: nil, place: "--meeting")
        let restored = try cancelled.movingMeeting(try cancelled.meeting(originallyOn: at(9).date, place: "--meeting"), to: at(9), end: at(9, 20, 30))
        #expect(restored.exceptions.isEmpty, "a cancelled meeting given its own time back takes place as planned")
    }

    @Test func aDateThatIsNoMeetingListsTheDatesThatAre() throws {
        let cancelled = try series.cancellingMeeting(try series.meeting(originallyOn: at(16).date, place: "--meeting"), reason: nil, place: "--meeting")
        #expect(throws: InputError(
            place: "--meeting", problem: "session 3 has no meeting on 2027-02-17",
            fix: "name a meeting by its original date: 2027-02-02, 2027-02-09, 2027-02-16 (cancelled), 2027-02-23")
        ) { try cancelled.meeting(originallyOn: at(17).date, place: "--meeting") }
    }

    @Test func aMoveOntoAnotherMeetingOrOutsideTheSeriesIsRefused() throws {
        let second = try series.meeting(originallyOn: at(9).date, place: "--meeting")
        #expect(throws: InputError(
            place: "--start", problem: "2027-02-16 20:00–21:30 overlaps the meeting of 2027-02-16 19:00–20:30",
            fix: "choose a time when no other meeting of the series takes place")
        ) { try series.movingMeeting(second, to: at(16, 20), end: at(16, 21, 30)) }
        #expect(throws: InputError(
            place: "--start", problem: "2027-03-02 19:00 is outside the series, which runs from 2027-02-02 to 2027-02-23",
            fix: "move the meeting to a date from 2027-02-02 to 2027-02-23, or plan a separate session")
        ) { try series.movingMeeting(second, to: LocalDateTime(year: 2027, month: 3, day: 2, hour: 19, minute: 0), end: LocalDateTime(year: 2027, month: 3, day: 2, hour: 20, minute: 30)) }
        // Onto a meeting that was called off is fine: nothing takes place there.
        let cancelled = try series.cancellingMeeting(try series.meeting(originallyOn: at(16).date, place: "--meeting"), reason: nil, place: "--meeting")
        #expect(try cancelled.movingMeeting(second, to: at(16), end: at(16, 20, 30)).meetings().count == 3)
    }

    @Test func aCancelledMeetingTakesTheEntryOutOnlyForThatMeeting() throws {
        let original = Date(timeIntervalSince1970: 1_801_591_200)
        for state in [EnrollmentState.invited, .accepted, .tentative] {
            #expect(try EnrollmentLifecycle.apply(.meetingCancelled(originalStart: original), to: state) == .init(state, [.meetingCancellation]))
        }
        for state in [EnrollmentState.selected, .declined, .expired, .cancelled, .attended] {
            #expect(try EnrollmentLifecycle.apply(.meetingCancelled(originalStart: original), to: state) == .init(state))
        }
    }

    func message(_ id: Int64, _ kind: OutboxKind, _ state: OutboxState) -> OutboxMessage {
        var message = OutboxMessage(
            kind: kind, sessionID: 1, workerID: 1, recipient: "a@example.org", messageID: "\(id)@example.org", held: false,
            dueAt: .distantPast, createdAt: .distantPast)
        message.id = id
        return OutboxMessage(stored: message, state: state)
    }

    @Test func aMeetingCancellationFoldsIntoAWaitingRequestAndNeverReplacesAnother() {
        #expect(OutboxPolicy.decide(.meetingCancellation, earlier: [message(1, .invitation, .pending)]) == .init(supersede: [], queue: false))
        #expect(
            OutboxPolicy.decide(.meetingCancellation, earlier: [message(1, .invitation, .sent), message(2, .update, .held)])
                == .init(supersede: [], queue: false))
        #expect(
            OutboxPolicy.decide(.meetingCancellation, earlier: [message(1, .invitation, .sent), message(2, .meetingCancellation, .pending)])
                == .init(supersede: [], queue: true), "the CANCEL of another meeting still has to go")
        #expect(
            OutboxPolicy.decide(.update, earlier: [message(1, .invitation, .sent), message(2, .meetingCancellation, .pending)])
                == .init(supersede: [2], queue: true), "the update carries the EXDATE")
    }

    @Test func aPartnerNoticeAddressesAPartnerAndIsNoCalendarMessage() {
        let notice = OutboxMessage(
            partnerNoticeFor: 1, partnerID: 4, recipient: "planning@roc.example.org", meetingAt: .distantFuture, messageID: "n@example.org",
            dueAt: .distantPast)
        #expect(notice.workerID == nil && notice.partnerID == 4 && notice.kind == .partnerNotice && notice.state == .pending)
        #expect(!OutboxKind.partnerNotice.isCalendarMessage && !OutboxKind.partnerNotice.removesEntry)
        #expect(OutboxPolicy.decide(.partnerNotice, earlier: []) == .init(supersede: [], queue: true))
    }
}
