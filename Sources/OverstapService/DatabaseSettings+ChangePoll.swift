import Foundation
import OverstapCore
import OverstapStore

extension DatabaseSettings {
    /// These settings with `database.change_poll` applied (see `changeDetection`).
    func withChangePoll(_ text: String) throws(InputError) -> DatabaseSettings {
        guard case .postgres(var endpoint) = self else { return self }
        endpoint.changes = try Self.changeDetection(text)
        return .postgres(endpoint)
    }

    /// `database.change_poll`: empty (the default) listens for notifications; a duration such as
    /// `2s`, `500ms`, `1m` or `PT2S` polls the change counter that often instead, for a
    /// transaction-mode pooler (PgBouncer) where LISTEN does not work. SQLite ignores it.
    static func changeDetection(_ text: String) throws(InputError) -> ChangeDetection {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.isEmpty { return .listen }
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000)]
        var milliseconds: Double?
        if trimmed.hasPrefix("p") {
            milliseconds = ISODuration.seconds(trimmed.uppercased()).map { $0 * 1000 }
        } else if let unit = units.first(where: { trimmed.hasSuffix($0.suffix) }) {
            milliseconds = Double(trimmed.dropLast(unit.suffix.count)).map { $0 * unit.milliseconds }
        }
        guard let milliseconds, milliseconds >= 10, milliseconds <= 3_600_000 else {
            throw InputError(
                place: "database.change_poll", problem: "'\(text)' is not a duration from 10ms to 1h",
                fix: "e.g. 2s or 500ms behind a transaction-mode pooler such as PgBouncer, or leave it out to use LISTEN/NOTIFY")
        }
        return .poll(every: .milliseconds(Int64(milliseconds.rounded())))
    }
}
