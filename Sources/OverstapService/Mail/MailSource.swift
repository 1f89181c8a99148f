import OverstapCore
import OverstapStore
import Synchronization

/// What rendering a batch of messages reads, inside one read transaction: sessions are looked
/// up once per batch, since a batch is usually many people invited to the same session.
final class MailSource {
    let tx: any StoreReader
    let renderer: CalendarRenderer
    private var sessions: [Int64: StoredSession?] = [:]
    private var links: MailLinks??
    private let sequences: ComposedSequences
    /// What `prefetch` read, and for which pairs and people.
    private var prefetched: Set<EnrollmentPair> = []
    private var prefetchedWorkers: Set<Int64> = []
    private var workers: [Int64: Worker] = [:]
    private var enrollments: [EnrollmentPair: Enrollment] = [:]
    private var recordedSequences: [EnrollmentPair: SentSequence] = [:]

    /// A source reading `tx`; `sequences` holds what messages rendered earlier in the same send carry.
    init(_ tx: any StoreReader, renderer: CalendarRenderer, sequences: ComposedSequences = ComposedSequences()) {
        self.tx = tx
        self.renderer = renderer
        self.sequences = sequences
    }

    /// Reads, in three statements, the people, enrollments and sent sequences that rendering
    /// `messages` needs, instead of three per message (on PostgreSQL, three round trips each).
    func prefetch(for messages: [OutboxMessage]) async throws {
        let pairs = messages.compactMap { message in message.workerID.map { EnrollmentPair(sessionID: message.sessionID, workerID: $0) } }
        guard !pairs.isEmpty else { return }
        let unique = Array(Set(pairs))
        let workerIDs = Set(unique.map(\.workerID))
        workers = try await tx.workers(ids: Array(workerIDs))
        enrollments = try await tx.enrollments(unique)
        recordedSequences = try await tx.sentSequences(unique)
        prefetched = Set(unique)
        prefetchedWorkers = workerIDs
    }

    /// The person with this id, as stored now.
    func worker(id: Int64) async throws -> Worker? {
        // A person the batch read and did not find is gone: no second read.
        if prefetchedWorkers.contains(id) { return workers[id] }
        return try await tx.worker(id: id)
    }

    /// The person's enrollment in the session, as stored now.
    func enrollment(sessionID: Int64, workerID: Int64) async throws -> Enrollment? {
        let pair = EnrollmentPair(sessionID: sessionID, workerID: workerID)
        if prefetched.contains(pair) { return enrollments[pair] }
        return try await tx.enrollment(sessionID: sessionID, workerID: workerID)
    }

    /// The calendar sequence a person last got for a session: from a message rendered earlier in
    /// this send (it may not be recorded yet), else as recorded.
    func sentSequence(sessionID: Int64, workerID: Int64) async throws -> SentSequence? {
        if let composed = sequences[sessionID, workerID] { return composed }
        let pair = EnrollmentPair(sessionID: sessionID, workerID: workerID)
        if prefetched.contains(pair) { return recordedSequences[pair] }
        return try await tx.sentSequence(sessionID: sessionID, workerID: workerID)
    }

    /// Notes the sequence a message just rendered carries, for the person's next message in this send.
    func composed(_ sequence: SentSequence, sessionID: Int64, workerID: Int64) {
        sequences[sessionID, workerID] = sequence
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

/// The calendar sequences of the messages one send has rendered, by session and person. A
/// message's sequence must exceed the one before it even when that one is not recorded yet
/// (recording a batch overlaps rendering the next) or was not delivered at all (a higher number
/// only makes calendars take the next message as newer).
final class ComposedSequences: Sendable {
    private struct Key: Hashable {
        let sessionID: Int64
        let workerID: Int64
    }

    private let sequences = Mutex<[Key: SentSequence]>([:])

    subscript(sessionID: Int64, workerID: Int64) -> SentSequence? {
        get { sequences.withLock { $0[Key(sessionID: sessionID, workerID: workerID)] } }
        set { sequences.withLock { $0[Key(sessionID: sessionID, workerID: workerID)] = newValue } }
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
