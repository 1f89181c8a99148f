import OverstapCore
import OverstapStore

/// What rendering a batch of messages reads, inside one read transaction: sessions are looked
/// up once per batch, since a batch is usually many people invited to the same session.
final class MailSource {
    let tx: any StoreReader
    let renderer: CalendarRenderer
    private var sessions: [Int64: StoredSession?] = [:]

    init(_ tx: any StoreReader, renderer: CalendarRenderer) {
        self.tx = tx
        self.renderer = renderer
    }

    /// The session with this id as stored now, or nil when it is gone.
    func session(_ id: Int64) async throws -> StoredSession? {
        if let known = sessions[id] { return known }
        let stored = try await tx.session(id: id)
        sessions[id] = stored
        return stored
    }
}
