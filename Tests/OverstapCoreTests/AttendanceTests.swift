import OverstapCore
import Testing

struct AttendanceRuleTests {
    let meetings = (1...4).map { MeetingKey(LocalDateTime(year: 2027, month: 2, day: 2 + 7 * $0, hour: 19, minute: 0)) }

    func outcome(_ marks: [Presence?]) -> Presence? {
        var presence: [MeetingKey: Presence] = [:]
        for (meeting, mark) in zip(meetings, marks) { presence[meeting] = mark }
        return AttendanceRule.outcome(meetingsHeld: Array(meetings.prefix(marks.count)), presence: presence)
    }

    @Test func presentAtHalfTheMeetingsOrMoreIsAttended() {
        #expect(outcome([.attended, .attended, .noShow, .noShow]) == .attended)
        #expect(outcome([.attended, .noShow, .noShow, .noShow]) == .noShow)
        #expect(outcome([.attended]) == .attended)
        #expect(outcome([.noShow]) == .noShow)
    }

    @Test func excusedMeetingsAreLeftOutOfTheCount() {
        #expect(outcome([.excused, .excused, .attended, .noShow]) == .attended)
        #expect(outcome([.excused, .excused, .excused, .noShow]) == .noShow)
    }

    @Test func aMeetingWithoutAMarkCountsAsAbsent() {
        #expect(outcome([.attended, nil, nil, nil]) == .noShow)
        #expect(outcome([.attended, nil]) == .attended)
    }

    @Test func everyMeetingExcusedGivesNoDecision() {
        #expect(outcome([.excused, .excused]) == nil)
        #expect(outcome([]) == nil)
    }

    @Test func aMeetingKeyIsStoredAsItsOriginalLocalStart() {
        let key = MeetingKey(LocalDateTime(year: 2027, month: 3, day: 28, hour: 9, minute: 5))
        #expect(key.storage == "2027-03-28T09:05")
        #expect(MeetingKey(storage: "2027-03-28T09:05") == key)
        #expect(MeetingKey(storage: "2027-03-28 09:05") == nil)
    }
}

struct AttendanceSheetTests {
    func parse(_ text: String) throws(InputErrors) -> [AttendanceSheet.Line] {
        try AttendanceSheet().parse(Array(text.utf8), fileName: "lijst.csv")
    }

    @Test func marksAreReadInDutchAndEnglishWithOrWithoutHeader() throws {
        let lines = try parse("\u{FEFF}Nr;Naam;Aanwezig\r\n1;Ann;ja\r\n2;Bob;NEE\r\n3;Cas;Afgemeld\r\nann@example.nl;x;1\r\n")
        #expect(lines.map(\.who) == [.roster(1), .roster(2), .roster(3), .email("ann@example.nl")])
        #expect(lines.map(\.presence) == [.attended, .noShow, .excused, .attended])
        #expect(lines.map(\.place) == ["lijst.csv:2", "lijst.csv:3", "lijst.csv:4", "lijst.csv:5"])
        let bare = try parse("4,yes\n5,no\n")
        #expect(bare.map(\.who) == [.roster(4), .roster(5)])
        #expect(bare.map(\.place) == ["lijst.csv:1", "lijst.csv:2"])
    }

    @Test func everyProblemIsLocated() {
        #expect(throws: InputErrors([
            InputError(place: "lijst.csv:1: wie", problem: "is not a column of an attendance list", fix: "name the first column nr (the roster row) or e-mail"),
            InputError(place: "lijst.csv:2: aanwezig", problem: "'misschien' is not a mark", fix: "write \(Presence.marks)"),
            InputError(
                place: "lijst.csv:3", problem: "has 1 field; a line needs the person and the mark", fix: "write e.g. 3,ja or anouk@example.nl,nee"),
            InputError(place: "lijst.csv:5: wie", problem: "row 1 already appears on line 4", fix: "keep one line per person"),
        ])) { try parse("wie,aanwezig\n1,misschien\n2\n1,ja\n1,nee\n") }
    }
}
