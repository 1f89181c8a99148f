import CLibical
import Foundation

/// Bounds the work one file can cause. libical expands a VTIMEZONE's rules from their DTSTART up
/// to the year it is asked about, one change per occurrence: `RRULE:FREQ=MINUTELY` from 1601 in
/// 341 bytes is hundreds of millions of changes (it ran for ever and ate memory), and repeating
/// events can ask for millions of occurrences; one libical step of a rule that rarely or never
/// matches examines months or days by the hundred thousand. Every rule is stepped here, and the
/// periods libical will examine are walked in `RecurrenceScan` before each of its steps and counted
/// against one budget per file; a file over budget, or a rule that never occurs, is refused with
/// the line of the rule. Used under the libical lock.
struct ExpansionBudget {
    /// The year zone rules are checked up to: further than any busy time we read.
    static let zoneCheckYear: Int32 = 2100
    /// Changes one STANDARD or DAYLIGHT rule may make up to `zoneCheckYear`; real zones change
    /// at most twice a year (YEARLY from 1601 is 500 steps).
    static let stepsPerZoneRule = 5_000
    /// Recurrence steps (zone rules and events together) one file may take: the days, weeks,
    /// months and years libical examines, weighted by `RecurrenceScan.stepsPerPeriod`. 100,000
    /// took 1.07 s on the shared 2-core machine (libical counts dates through ICU); 50,000 is
    /// about half a second. A 400-day window costs a daily series about 400 steps, a weekly one
    /// 60 per weekday, a monthly one 26.
    static let stepsPerFile = 50_000

    private(set) var steps = 0
    let lines: ComponentLines

    init(root: OpaquePointer, map: SourceMap) {
        lines = ComponentLines(root: root, map: map)
    }

    /// Counts `count` steps of the rule `property` of `component`; refuses once the file is over budget.
    mutating func spend(_ component: OpaquePointer, _ property: String, steps count: Int = 1) throws(ICalendarParseError) {
        steps += count
        guard steps <= Self.stepsPerFile else {
            throw ICalendarParseError(
                line: lines.line(of: component, property: property), property: property,
                problem: "the file's repeating rules need more than \(Self.stepsPerFile) steps to expand; export a shorter period")
        }
    }

    /// Refuses rules libical cannot step through in bounded time; a zone rule must be YEARLY, as
    /// every real zone's is (a DAILY one made libical scan every day to 2100). Below daily, one step scans every
    /// hour or minute until a match (`FREQ=HOURLY;BYDAY=-1SU;BYMONTH=3` took 17 s, MINUTELY never
    /// ended), and a numbered weekday outside MONTHLY and YEARLY, which RFC 5545 §3.3.10 forbids,
    /// scans day by day. No calendar program exports either.
    func checkRule(_ rule: icalrecurrencetype, of component: OpaquePointer, isZone: Bool) throws(ICalendarParseError) {
        let line = lines.line(of: component, property: "RRULE")
        let frequency = Libical.string(icalrecur_freq_to_string(rule.freq)) ?? "?"
        if rule.freq.rawValue < ICAL_DAILY_RECURRENCE.rawValue || (isZone && rule.freq != ICAL_YEARLY_RECURRENCE) {
            throw ICalendarParseError(
                line: line, property: "RRULE",
                problem: isZone
                    ? "a time zone rule repeating FREQ=\(frequency); real zones change once or twice a year (FREQ=YEARLY), so this file is refused"
                    : "FREQ=\(frequency) is not read: rules may repeat at most daily (no calendar program exports finer ones)")
        }
        var copy = rule
        let text = Libical.ownedString(icalrecurrencetype_as_string_r(&copy)) ?? ""
        let byDay = text.split(separator: ";").first { $0.hasPrefix("BYDAY=") }?.dropFirst(6) ?? ""
        let positions = byDay.split(separator: ",").compactMap { Int($0.prefix { $0 == "-" || $0 == "+" || $0.isNumber }) }
        if !positions.isEmpty && rule.freq != ICAL_MONTHLY_RECURRENCE && rule.freq != ICAL_YEARLY_RECURRENCE {
            throw ICalendarParseError(
                line: line, property: "RRULE",
                problem: "a numbered weekday (BYDAY=\(byDay)) with FREQ=\(frequency); RFC 5545 allows it only with MONTHLY or YEARLY")
        }
        if rule.freq == ICAL_MONTHLY_RECURRENCE, positions.contains(where: { abs($0) > 5 }) {
            throw ICalendarParseError(
                line: line, property: "RRULE", problem: "BYDAY=\(byDay) never occurs: a month has at most five of each weekday")
        }
        // libical expands these only in part, and `RecurrenceScan` does not model them.
        if let part = text.split(separator: ";").first(where: { $0.hasPrefix("BYWEEKNO=") || $0.hasPrefix("BYYEARDAY=") }) {
            throw ICalendarParseError(
                line: line, property: "RRULE",
                problem: "\(part.prefix { $0 != "=" }) is not read: calendar programs (Outlook, Google, Apple) do not write it; "
                    + "use BYMONTH with BYMONTHDAY or BYDAY")
        }
    }

    /// Runs libical's iterator for `rule`, ended at `limit` (see `clamped`), from `start` (or from
    /// `resume`, for a rule without COUNT) and hands each occurrence to `body` until it returns
    /// false. Before each libical step the periods it will examine are walked in `RecurrenceScan`
    /// and spent from the budget: a step that would end past `limit` is not taken, and a rule
    /// that does not occur within `RecurrenceScan.maximumGap` periods is refused.
    mutating func iterate(
        _ rule: icalrecurrencetype, from start: icaltimetype, until limit: Date, resumingAt resume: icaltimetype? = nil,
        of component: OpaquePointer, body: (icaltimetype) -> Bool
    ) throws(ICalendarParseError) {
        let clampedRule = Self.clamped(rule, to: limit, isDate: start.is_date != 0)
        var scan = RecurrenceScan(rule, start: start)
        let last = Self.day(clampedRule.until)
        let cost = scan.stepsPerPeriod
        guard try take(scan.next(after: nil, limit: last, beyondLimit: true), cost, rule, of: component),
            let iterator = icalrecur_iterator_new(clampedRule, start)
        else { return }
        defer { icalrecur_iterator_free(iterator) }
        if let resume {
            _ = icalrecur_iterator_set_start(iterator, resume)
            guard try take(scan.next(after: Self.day(resume) - 1, limit: last), cost, rule, of: component) else { return }
        }
        while true {
            let next = icalrecur_iterator_next(iterator)
            guard icaltime_is_null_time(next) == 0, body(next),
                try take(scan.next(after: Self.day(next), limit: last), cost, rule, of: component)
            else { return }
        }
    }

    private static func day(_ time: icaltimetype) -> Int {
        RecurrenceScan.dayNumber(Int(time.year), Int(time.month), Int(time.day))
    }

    /// Spends the periods of a walk, `cost` steps each; true when libical's next step is to be taken.
    private mutating func take(
        _ outcome: RecurrenceScan.Outcome, _ cost: Int, _ rule: icalrecurrencetype, of component: OpaquePointer
    ) throws(ICalendarParseError) -> Bool {
        switch outcome {
        case .occurrence(let periods):
            try spend(component, "RRULE", steps: periods * cost)
            return true
        case .noneBefore(let periods):
            try spend(component, "RRULE", steps: periods * cost)
            return false
        case .tooRare:
            var copy = rule
            let text = Libical.ownedString(icalrecurrencetype_as_string_r(&copy)) ?? "RRULE"
            let gap = RecurrenceScan.maximumGap(rule.freq)
            let problem = switch rule.freq {
            case ICAL_YEARLY_RECURRENCE, ICAL_MONTHLY_RECURRENCE:
                "\(text) never occurs: in \(gap) repetitions from its start (a full 400-year cycle of the calendar) it selects no day; "
                    + "correct the rule or leave the event out"
            default:
                "\(text) occurs less than once in \(gap) repetitions; no calendar program writes such a rule, so the file is refused"
            }
            throw ICalendarParseError(line: lines.line(of: component, property: "RRULE"), property: "RRULE", problem: problem)
        }
    }

    /// `rule` ending no later than `limit` (plus two days for zone offsets): the occurrences before
    /// `limit` stay the same, and libical stops scanning there instead of at its own far cap
    /// when the rule rarely or never matches (`BYMONTH=2;BYMONTHDAY=30`).
    static func clamped(_ rule: icalrecurrencetype, to limit: Date, isDate: Bool) -> icalrecurrencetype {
        var rule = rule
        let end = icaltime_from_timet_with_zone(time_t(limit.timeIntervalSince1970 + 2 * 86_400), isDate ? 1 : 0, icaltimezone_get_utc_timezone())
        if icaltime_is_null_time(rule.until) != 0 || icaltime_compare(rule.until, end) > 0 { rule.until = end }
        return rule
    }

    /// Steps every STANDARD and DAYLIGHT rule of every VTIMEZONE in the file up to `zoneCheckYear`.
    mutating func checkZoneRules(in root: OpaquePointer) throws(ICalendarParseError) {
        var zone = icalcomponent_get_first_component(root, ICAL_VTIMEZONE_COMPONENT)
        while let current = zone {
            for kind in [ICAL_XSTANDARD_COMPONENT, ICAL_XDAYLIGHT_COMPONENT] {
                var observance = icalcomponent_get_first_component(current, kind)
                while let rule = observance {
                    try checkObservance(rule)
                    observance = icalcomponent_get_next_component(current, kind)
                }
            }
            zone = icalcomponent_get_next_component(root, ICAL_VTIMEZONE_COMPONENT)
        }
    }

    private mutating func checkObservance(_ observance: OpaquePointer) throws(ICalendarParseError) {
        guard let start = icalcomponent_get_first_property(observance, ICAL_DTSTART_PROPERTY) else { return }
        var ruleProperty = icalcomponent_get_first_property(observance, ICAL_RRULE_PROPERTY)
        while let property = ruleProperty {
            let rule = icalproperty_get_rrule(property)
            try checkRule(rule, of: observance, isZone: true)
            let end = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01, zoneCheckYear
            var ruleSteps = 0
            var tooMany = false
            try iterate(rule, from: icalproperty_get_dtstart(start), until: end, of: observance) { next in
                guard next.year <= Self.zoneCheckYear else { return false }
                ruleSteps += 1
                tooMany = ruleSteps > Self.stepsPerZoneRule
                return !tooMany
            }
            if tooMany {
                let frequency = Libical.string(icalrecur_freq_to_string(rule.freq)) ?? "?"
                throw ICalendarParseError(
                    line: lines.line(of: observance, property: "RRULE"), property: "RRULE",
                    problem: "a time zone rule that changes more than \(Self.stepsPerZoneRule) times up to \(Self.zoneCheckYear) "
                        + "(FREQ=\(frequency)); real zones change at most a few times a year, so this file is refused")
            }
            ruleProperty = icalcomponent_get_next_property(observance, ICAL_RRULE_PROPERTY)
        }
    }
}

/// The source line of each component of a parsed tree, by the order `SourceMap` found them in.
struct ComponentLines {
    private let indexes: [OpaquePointer: Int]
    private let map: SourceMap

    init(root: OpaquePointer, map: SourceMap) {
        self.map = map
        var indexes: [OpaquePointer: Int] = [:]
        func visit(_ component: OpaquePointer) {
            indexes[component] = indexes.count
            var child = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT)
            while let current = child {
                visit(current)
                child = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)
            }
        }
        visit(root)
        self.indexes = indexes
    }

    /// The line of `property` in `component`, else of the component itself.
    func line(of component: OpaquePointer, property: String) -> Int {
        guard let index = indexes[component] else { return 1 }
        return map.line(inComponent: index, property: property, rawText: nil)
    }
}
