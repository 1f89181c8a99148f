import Foundation
import GRDB
import OverstapCore

extension SQLiteAccess {
    func rosterConsents(sessionID: Int64, workerID: Int64) async throws -> [RosterConsent] {
        try Row.fetchAll(
            db, sql: "SELECT agreed, answered_at, locale, text_version FROM roster_consent WHERE session_id = ? AND worker_id = ? ORDER BY id",
            arguments: [sessionID, workerID]
        ).map(Self.consent)
    }

    func latestRosterConsents(sessionID: Int64) async throws -> [Int64: RosterConsent] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT c.worker_id, c.agreed, c.answered_at, c.locale, c.text_version FROM roster_consent c
                WHERE c.session_id = ? AND c.id = (
                    SELECT MAX(l.id) FROM roster_consent l WHERE l.session_id = c.session_id AND l.worker_id = c.worker_id)
                """,
            arguments: [sessionID])
        return Dictionary(rows.map { row in (row["worker_id"] as Int64, Self.consent(row)) }, uniquingKeysWith: { _, last in last })
    }

    func insert(_ consent: RosterConsent, sessionID: Int64, workerID: Int64) async throws {
        try db.execute(
            sql: "INSERT INTO roster_consent (session_id, worker_id, agreed, answered_at, locale, text_version) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [sessionID, workerID, consent.agreed, consent.answeredAt, consent.locale, consent.textVersion])
    }

    private static func consent(_ row: Row) -> RosterConsent {
        StoredValues.consent(agreed: row["agreed"], answeredAt: row["answered_at"], locale: row["locale"], textVersion: row["text_version"])
    }
}
