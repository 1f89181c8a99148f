import Foundation

/// Turns the local times organisers type into instants, refusing times that do not exist or are
/// ambiguous because of a daylight-saving switch.
public struct ZoneResolver: Sendable {
    /// The IANA zone, e.g. `Europe/Amsterdam`.
    public let zone: TimeZone

    /// Creates a resolver for a zone identifier, or returns an error naming the option.
    public init(identifier: String, place: String) throws(InputError) {
        guard identifier.contains("/") || identifier == "UTC", let zone = TimeZone(identifier: identifier) else {
            throw InputError(
                place: place, problem: "unknown time zone '\(identifier)'",
                fix: "use an IANA name such as Europe/Amsterdam")
        }
        self.zone = zone
    }

    /// Creates a resolver for a known zone.
    public init(zone: TimeZone) { self.zone = zone }

    /// What a local time means in this zone.
    public enum Resolution: Equatable, Sendable {
        /// Exactly one instant.
        case unique(Date)
        /// The time is skipped by a spring-forward switch; the first valid local time after it.
        case gap(next: LocalDateTime)
        /// The time happens twice (fall-back); both instants, earlier first.
        case ambiguous(Date, Date)
    }

    /// Classifies a local time without throwing.
    public func resolve(_ local: LocalDateTime) -> Resolution {
        let naive = TimeInterval(local.date.daysSinceEpoch * 86_400 + local.minuteOfDay * 60)
        // The offsets half a day either side cover both sides of any switch on that day.
        let before = zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive - 43_200))
        let after = zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive + 43_200))
        var candidates: [Date] = []
        for offset in Set([before, after]).sorted(by: >) {
            let instant = Date(timeIntervalSince1970: naive - TimeInterval(offset))
            if zone.secondsFromGMT(for: instant) == offset { candidates.append(instant) }
        }
        switch candidates.count {
        case 0: return .gap(next: firstValidTime(after: naive))
        case 1: return .unique(candidates[0])
        default: return .ambiguous(candidates[0], candidates[1])
        }
    }

    /// The instant of a local time; `explicitOffset` (seconds east of UTC) settles the repeated hour.
    public func instant(
        of local: LocalDateTime, explicitOffset: Int? = nil, place: String
    ) throws(InputError) -> Date {
        if let explicitOffset {
            let naive = TimeInterval(local.date.daysSinceEpoch * 86_400 + local.minuteOfDay * 60)
            let instant = Date(timeIntervalSince1970: naive - TimeInterval(explicitOffset))
            guard zone.secondsFromGMT(for: instant) == explicitOffset else {
                throw InputError(
                    place: place,
                    problem: "\(local) does not have offset \(Self.formatOffset(explicitOffset)) in \(zone.identifier)",
                    fix: "leave the offset out or use \(Self.formatOffset(zone.secondsFromGMT(for: instant)))")
            }
            return instant
        }
        switch resolve(local) {
        case .unique(let instant):
            return instant
        case .gap(let next):
            throw InputError(
                place: place,
                problem: "\(local) does not exist in \(zone.identifier): the clocks skip this hour (daylight-saving time starts)",
                fix: "the next valid time is \(next)")
        case .ambiguous(let first, let second):
            throw InputError(
                place: place,
                problem: "\(local) happens twice in \(zone.identifier): the clocks go back one hour",
                fix: "add the offset you mean, e.g. '\(local)\(offsetString(at: first))' or '\(local)\(offsetString(at: second))'")
        }
    }

    /// The local wall-clock time of an instant in this zone.
    public func local(of instant: Date) -> LocalDateTime {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let minuteOfDay = (seconds - days * 86_400) / 60
        return LocalDateTime(date: LocalDate(daysSinceEpoch: days), hour: minuteOfDay / 60, minute: minuteOfDay % 60)
    }

    /// The zone's offset at an instant as `+01:00`.
    public func offsetString(at instant: Date) -> String { Self.formatOffset(zone.secondsFromGMT(for: instant)) }

    /// Formats seconds east of UTC as `+HH:MM`.
    public static func formatOffset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return "\(sign)\(LocalDateTime.twoDigits(minutes / 60)):\(LocalDateTime.twoDigits(minutes % 60))"
    }

    private func firstValidTime(after naive: TimeInterval) -> LocalDateTime {
        let searchFrom = Date(timeIntervalSince1970: naive - 86_400)
        guard let transition = zone.nextDaylightSavingTimeTransition(after: searchFrom) else {
            return local(of: Date(timeIntervalSince1970: naive))
        }
        return local(of: transition)
    }
}
