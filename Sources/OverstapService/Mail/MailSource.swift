import OverstapCore
import OverstapStore

/// What rendering a batch of messages reads, inside one read transaction: sessions are looked
/// up once per batch, since a batch is usually many people invited to the same session.
final class MailSource {
    let tx: any StoreReader
    let renderer: CalendarRenderer
    private var sessions: [Int64: StoredSession?] = [:]
    private var links: MailLinks??

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

    /// The links of this batch's mails (nil when `rsvp.secret` is not set), made at first use.
    func links(_ settings: OverstapSettings) throws -> MailLinks? {
        if let links { return links }
        let made = try MailLinks(settings)
        links = .some(made)
        return made
    }
}

/// Answer and personal feed links, with the public URL and the signer's key worked out once.
struct MailLinks {
    let base: String
    let signer: RSVPSigner

    /// Nil when `rsvp.secret` is not set; throws when `http.public_url` is needed and missing.
    init?(_ settings: OverstapSettings) throws(InputError) {
        guard let secret = settings.rsvpSecret else { return nil }
        base = try settings.publicURL()
        signer = RSVPSigner(secret: secret)
    }

    /// The answer page of an enrollment.
    func answer(enrollmentID: Int64) -> String { "\(base)/rsvp/\(signer.token(enrollmentID: enrollmentID))" }

    /// A participant's own feed.
    func personalFeed(workerID: Int64) -> String { "\(base)/feeds/me/\(signer.feedToken(workerID: workerID)).ics" }
}
