import Foundation

/// The IMF-fixdate of RFC 9110 (`Sun, 06 Nov 1994 08:49:37 GMT`), for Last-Modified and
/// If-Modified-Since.
enum HTTPDate {
    private static let locale = Locale(identifier: "en_US_POSIX")
    private static let gmt = TimeZone(identifier: "GMT")!
    private static let format = Date.VerbatimFormatStyle(
        format: "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .padded(4)) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) GMT",
        locale: locale, timeZone: gmt, calendar: Calendar(identifier: .gregorian))
    private static let parser = Date.ParseStrategy(
        format: "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .padded(4)) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) GMT",
        locale: locale, timeZone: gmt)

    static func string(_ date: Date) -> String {
        date.formatted(format)
    }

    static func parse(_ text: String) -> Date? {
        try? Date(text, strategy: parser)
    }
}
