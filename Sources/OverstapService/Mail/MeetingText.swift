import OverstapCore

/// Dates and times as participants read them: `dinsdag 2 februari 2027, 19:00–20:30`.
struct MeetingText {
    let locale: String

    private var dutch: Bool { locale != "en" }

    /// A meeting with weekday, date and times.
    func meeting(_ meeting: Meeting) -> String {
        "\(weekday(meeting.start.date)) \(date(meeting.start.date)), \(clock(meeting.start))–\(clock(meeting.end))"
    }

    /// A moment with weekday, date and time: `zondag 31 januari 2027 om 19:00`.
    func moment(_ time: LocalDateTime) -> String {
        "\(weekday(time.date)) \(date(time.date)) \(dutch ? "om" : "at") \(clock(time))"
    }

    /// A date without weekday.
    func date(_ date: LocalDate) -> String {
        dutch ? "\(date.day) \(Self.dutchMonths[date.month - 1]) \(date.year)" : "\(date.day) \(Self.englishMonths[date.month - 1]) \(date.year)"
    }

    private func weekday(_ date: LocalDate) -> String {
        (dutch ? Self.dutchDays : Self.englishDays)[date.isoWeekday - 1]
    }

    private func clock(_ time: LocalDateTime) -> String {
        let minute = time.minute < 10 ? "0\(time.minute)" : "\(time.minute)"
        return "\(time.hour < 10 ? "0" : "")\(time.hour):\(minute)"
    }

    private static let dutchDays = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
    private static let englishDays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    private static let dutchMonths = [
        "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december",
    ]
    private static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]
}
