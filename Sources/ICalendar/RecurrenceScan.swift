import CLibical

/// The days libical's iterator chooses for one rule, period by period (day, week, month or year),
/// mirrored from libical 3.0's `expand_month_days`, `expand_year_days` and contracting checks.
/// libical examines every period between two occurrences inside one call, without looking at
/// UNTIL for monthly and yearly rules: `FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=31` (a first Monday is
/// day 1 to 7) made it expand every month up to the year 20000, 2 to 4 s per rule. Walking the
/// same periods here first, in plain arithmetic, tells how far libical's next step goes before
/// it is taken, so that work is counted and a rule that never occurs is refused.
struct RecurrenceScan {
    /// What libical's next step would do.
    enum Outcome: Equatable {
        /// The next occurrence lies `periods` periods on (at least 1: the step itself).
        case occurrence(periods: Int)
        /// No occurrence before the limit: stop, libical would scan on past it.
        case noneBefore(periods: Int)
        /// No occurrence within `maximumGap` periods.
        case tooRare
    }

    /// Periods walked before a rule counts as (almost) never occurring: for MONTHLY and YEARLY a
    /// full 400-year cycle of the Gregorian calendar, so a refusal means it never occurs.
    static func maximumGap(_ frequency: icalrecurrencetype_frequency) -> Int {
        frequency == ICAL_YEARLY_RECURRENCE ? 400 : 4_800
    }

    let frequency: icalrecurrencetype_frequency
    let interval: Int
    let months: [Int]
    let monthDays: [Int]
    let weekdays: [(day: Int, position: Int)]
    let setPositions: [Int]
    let weekStart: Int
    let startDay: Int
    let start: (year: Int, month: Int, day: Int)
    /// Months (and years) of the same number, length and first weekday choose the same days, as
    /// offsets from their first day: a full cycle has at most 168 shapes, each computed once.
    private var shapes: [Int: [Int]] = [:]

    init(_ rule: icalrecurrencetype, start dtstart: icaltimetype) {
        var rule = rule
        frequency = rule.freq
        interval = max(1, Int(rule.interval))
        months = Self.values(&rule.by_month)
        monthDays = Self.values(&rule.by_month_day)
        weekdays = Self.values(&rule.by_day).map {
            (Int(icalrecurrencetype_day_day_of_week(Int16($0)).rawValue), Int(icalrecurrencetype_day_position(Int16($0))))
        }
        setPositions = Self.values(&rule.by_set_pos)
        weekStart = rule.week_start == ICAL_NO_WEEKDAY ? Int(ICAL_MONDAY_WEEKDAY.rawValue) : Int(rule.week_start.rawValue)
        start = (Int(dtstart.year), Int(dtstart.month), Int(dtstart.day))
        startDay = Self.dayNumber(start.year, start.month, start.day)
    }

    /// The entries of one of libical's BY arrays, which end at `ICAL_RECURRENCE_ARRAY_MAX`.
    private static func values<Tuple>(_ tuple: inout Tuple) -> [Int] {
        withUnsafeBytes(of: &tuple) { raw in
            raw.assumingMemoryBound(to: Int16.self).prefix { Int($0) != Int(ICAL_RECURRENCE_ARRAY_MAX.rawValue) }.map(Int.init)
        }
    }

    /// Walks from the period holding day `after` (days up to it excluded; nil: from DTSTART)
    /// to the next chosen day, stopping at day `limit` unless `beyondLimit`.
    mutating func next(after: Int?, limit: Int, beyondLimit: Bool = false) -> Outcome {
        var period = after.map(period(of:)) ?? 0
        let earliest = max(startDay, (after ?? startDay - 1) + 1)
        var walked = 0
        while walked < Self.maximumGap(frequency) {
            walked += 1
            let first = firstDay(of: period)
            let chosen: [Int]
            if let shape = shape(first: first) {
                if let offsets = shapes[shape] {
                    chosen = offsets.map { first + $0 }
                } else {
                    chosen = days(in: period)
                    shapes[shape] = chosen.map { $0 - first }
                }
            } else {
                chosen = days(in: period)
            }
            if let day = chosen.first(where: { $0 >= earliest }) {
                return day > limit ? .noneBefore(periods: walked) : .occurrence(periods: walked)
            }
            period += 1
            if !beyondLimit && firstDay(of: period) > limit { return .noneBefore(periods: walked) }
        }
        return .tooRare
    }

    /// What decides the days a month or year period chooses: its month, length and first weekday.
    private func shape(first: Int) -> Int? {
        let (year, month, _) = Self.civil(first)
        return switch frequency {
        case ICAL_YEARLY_RECURRENCE: Self.daysInMonth(year, 2) + 100 * Self.weekday(first)
        case ICAL_MONTHLY_RECURRENCE: month + 100 * Self.daysInMonth(year, month) + 10_000 * Self.weekday(first)
        default: nil
        }
    }

    /// Budget steps one period costs, about 4 µs of libical's time each (measured on libical
    /// 3.0.16: a day 3.6–4.2 µs, a month or a year 7 µs, a week one day per BYDAY).
    var stepsPerPeriod: Int {
        switch frequency {
        case ICAL_YEARLY_RECURRENCE, ICAL_MONTHLY_RECURRENCE: 2
        case ICAL_WEEKLY_RECURRENCE: max(1, weekdays.count)
        default: 1
        }
    }

    /// Which of the rule's periods holds `day`, counted in steps of INTERVAL from DTSTART's.
    func period(of day: Int) -> Int {
        let (year, month, _) = Self.civil(day)
        return switch frequency {
        case ICAL_YEARLY_RECURRENCE: Self.floorDivide(year - start.year, interval)
        case ICAL_MONTHLY_RECURRENCE: Self.floorDivide((year * 12 + month) - (start.year * 12 + start.month), interval)
        case ICAL_WEEKLY_RECURRENCE: Self.floorDivide(Self.floorDivide(day - firstWeekDay, 7), interval)
        default: Self.floorDivide(day - startDay, interval)
        }
    }

    /// The first day of the first week. libical moves DTSTART to the first BYDAY (in WKST order)
    /// before counting weeks, back or forward, and counts INTERVAL from the week it lands in.
    private var firstWeekDay: Int {
        let weekday = Self.weekday(startDay)
        var shift = (weekdays.map(\.day).min { ($0 - weekStart + 7) % 7 < ($1 - weekStart + 7) % 7 } ?? weekday) - weekday
        if shift != 0 && weekday < weekStart { shift -= 7 }
        let anchor = startDay + shift
        return anchor - (Self.weekday(anchor) - weekStart + 7) % 7
    }

    /// The first day of one of the rule's periods.
    func firstDay(of period: Int) -> Int {
        switch frequency {
        case ICAL_YEARLY_RECURRENCE: Self.dayNumber(start.year + period * interval, 1, 1)
        case ICAL_MONTHLY_RECURRENCE: monthStart(period).first
        case ICAL_WEEKLY_RECURRENCE: firstWeekDay + 7 * period * interval
        default: startDay + period * interval
        }
    }

    private func monthStart(_ period: Int) -> (year: Int, month: Int, first: Int) {
        let index = start.year * 12 + start.month - 1 + period * interval
        let year = Self.floorDivide(index, 12)
        let month = index - year * 12 + 1
        return (year, month, Self.dayNumber(year, month, 1))
    }

    /// The days libical chooses in one period, in order.
    func days(in period: Int) -> [Int] {
        switch frequency {
        case ICAL_YEARLY_RECURRENCE: yearDays(start.year + period * interval)
        case ICAL_MONTHLY_RECURRENCE: monthDays(monthStart(period))
        case ICAL_WEEKLY_RECURRENCE:
            // Each BYDAY in the week (DTSTART's weekday without one); BYSETPOS is ignored here.
            (weekdays.isEmpty ? [Self.weekday(startDay)] : weekdays.map(\.day))
                .map { firstDay(of: period) + ($0 - weekStart + 7) % 7 }.sorted().filter(passesFilters)
        default:
            // DAILY: BYMONTH, BYMONTHDAY and BYDAY only filter, compared as written (a negative
            // day of the month never matches in libical's daily rules).
            [firstDay(of: period)].filter { day in
                passesFilters(day) && (weekdays.isEmpty || weekdays.contains { $0.position == 0 && $0.day == Self.weekday(day) })
            }
        }
    }

    private func passesFilters(_ day: Int) -> Bool {
        let (_, month, dayOfMonth) = Self.civil(day)
        return (months.isEmpty || months.contains(month)) && (monthDays.isEmpty || monthDays.contains(dayOfMonth))
    }

    private func monthDays(_ month: (year: Int, month: Int, first: Int)) -> [Int] {
        guard months.isEmpty || months.contains(month.month) else { return [] }
        let length = Self.daysInMonth(month.year, month.month)
        let listed = resolved(monthDays.isEmpty ? [start.day] : monthDays, first: month.first, length: length)
        return chosen(listed: listed, weekdays: weekdays.isEmpty ? nil : expand(first: month.first, length: length))
    }

    private func yearDays(_ year: Int) -> [Int] {
        let listedMonths = months.isEmpty ? [start.month] : months
        let listed = listedMonths.flatMap { month in
            resolved(monthDays.isEmpty ? [start.day] : monthDays, first: Self.dayNumber(year, month, 1), length: Self.daysInMonth(year, month))
        }
        guard !weekdays.isEmpty else { return chosen(listed: listed, weekdays: nil) }
        // Numbered weekdays count within each listed month, or within the year without BYMONTH.
        let byDay = months.isEmpty
            ? expand(first: Self.dayNumber(year, 1, 1), length: Self.dayNumber(year + 1, 1, 1) - Self.dayNumber(year, 1, 1))
            : months.flatMap { expand(first: Self.dayNumber(year, $0, 1), length: Self.daysInMonth(year, $0)) }.sorted()
        return chosen(listed: listed, weekdays: byDay)
    }

    /// BYMONTHDAY (or DTSTART's day) in one month; days the month lacks are left out.
    private func resolved(_ values: [Int], first: Int, length: Int) -> [Int] {
        values.compactMap { value in
            let day = value > 0 ? value : length + 1 + value
            return (1...length).contains(day) ? first + day - 1 : nil
        }
    }

    /// BYDAY in a span of days: every such weekday, or the n-th from the start or the end.
    private func expand(first: Int, length: Int) -> [Int] {
        let last = first + length - 1
        var days = Set<Int>()
        for (weekday, position) in weekdays {
            let firstMatch = first + (weekday - Self.weekday(first) + 7) % 7
            let lastMatch = last - (Self.weekday(last) - weekday + 7) % 7
            if position == 0 {
                days.formUnion(stride(from: firstMatch, through: last, by: 7))
            } else if position > 0, firstMatch + (position - 1) * 7 <= lastMatch {
                days.insert(firstMatch + (position - 1) * 7)
            } else if position < 0, lastMatch + (position + 1) * 7 >= firstMatch {
                days.insert(lastMatch + (position + 1) * 7)
            }
        }
        return days.sorted()
    }

    /// BYDAY limits BYMONTHDAY when both are given and replaces DTSTART's day otherwise; then
    /// BYSETPOS picks by position, counted as libical counts (listed days, repeats included).
    private func chosen(listed: [Int], weekdays byDay: [Int]?) -> [Int] {
        let days: [Int]
        let total: Int
        if let byDay {
            days = monthDays.isEmpty ? byDay : byDay.filter(Set(listed).contains)
            total = days.count
        } else {
            days = Set(listed).sorted()
            total = listed.count
        }
        guard !setPositions.isEmpty else { return days }
        return days.enumerated().filter { setPositions.contains($0.offset + 1) || setPositions.contains($0.offset - total) }.map(\.element)
    }

    // MARK: - The proleptic Gregorian calendar libical counts in

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
    static func dayNumber(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day number.
    static func civil(_ number: Int) -> (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// libical's weekday numbers: Sunday 1 to Saturday 7.
    static func weekday(_ number: Int) -> Int { (number % 7 + 7 + 4) % 7 + 1 }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        dayNumber(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1) - dayNumber(year, month, 1)
    }

    private static func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
