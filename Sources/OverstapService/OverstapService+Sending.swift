import Foundation
import Mail
import OverstapCore
import OverstapStore
import Synchronization

extension OverstapService {
    /// Sends every due message (optionally only one worker's), rendering each from current data.
    /// Outcomes are recorded per batch, so a crash can repeat only the messages in flight, and
    /// they keep their Message-ID. A process runs one send at a time: a run takes over at once
    /// what an earlier run of the same process left claimed (its outcomes could not be stored).
    ///
    /// Each connection is a lane (`MailLane`) that sends its messages one after another for the
    /// whole run, each the moment the one before it ended. Batches overlap: while one is rendered
    /// (each lane's part on a thread of its own, and each message handed to its lane as soon as
    /// it is rendered), the one before is recorded once its last message has left, and the next
    /// one is claimed. So the wire never waits for the database.
    public func sendDue(through transport: any MailTransport, workerID: Int64? = nil) async throws -> SendReport {
        let run = SendRun(owner: LeaseOwner.newRun(), lanes: max(1, settings.mail.transport == .smtp ? settings.mail.smtpConnections : 1))
        try await refillFreedSeats()
        let lanes = (0..<run.lanes).map { _ in transport.openLane() }
        let outcome = await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { renewal in
                renewal.addTask { await self.renewLeases(of: run) }
                let outcome: Result<SendReport, any Error>
                do {
                    outcome = .success(try await sendBatches(run, into: lanes, workerID: workerID))
                } catch {
                    outcome = .failure(error)
                }
                // Every message handed to a lane has been recorded by now.
                for lane in lanes { await lane.finish() }
                renewal.cancelAll()
                return outcome
            }
        } onCancel: {
            // The daemon is stopping: what is on the wire fails and waits for the next run.
            for lane in lanes { lane.abort() }
        }
        await transport.close()
        return try outcome.get()
    }

    /// Messages claimed per connection at a time: enough that claiming and recording (a commit
    /// each) cost little per message, few enough that a crash repeats only a short batch.
    static let batchPerLane = 64

    /// Claims, renders and records batch after batch until nothing is due, the transport fails
    /// or rendering does; what was handed to the lanes is recorded before it returns or throws.
    private func sendBatches(
        _ run: SendRun, into lanes: [any MailLane], workerID: Int64?
    ) async throws -> SendReport {
        var report = SendReport()
        // One copy per lane: each renders on a thread of its own, with its own cache.
        var templates: [MailTemplates]?
        var claimed = try await claimBatch(run, workerID: workerID)
        var inFlight: ComposedBatch?
        while true {
            if claimed.messages.isEmpty {
                // Recording the last batch may free seats whose invitations can still leave in this run.
                guard let last = inFlight else { break }
                inFlight = nil
                let (recorded, goesOn) = try await recordWhenSent(last, into: report, run: run)
                report = recorded
                guard goesOn else { break }
                claimed = try await claimBatch(run, workerID: workerID)
                continue
            }
            let loaded: [MailTemplates]
            do {
                if let templates {
                    loaded = templates
                } else {
                    let read = try MailTemplates(folder: settings.templatesPath)
                    loaded = (0..<run.lanes).map { _ in read.withOwnCache() }
                }
            } catch {
                // Nothing of this batch was sent: give the claim back so the next run does not wait for the lease.
                if let inFlight { report = try await recordWhenSent(inFlight, into: report, run: run).report }
                report = try await record(SentBatch(unsent: claimed), into: report, run: run)
                throw error
            }
            templates = loaded
            let (before, counted) = (inFlight, report)
            async let recorded = recordWhenSent(before, into: counted, run: run)
            async let following = claimBatch(run, workerID: workerID)
            let composed = await compose(claimed, templates: loaded, run: run, into: lanes)
            let (recordedReport, goesOn) = try await recorded
            report = recordedReport
            let next = try await following
            guard goesOn, composed.renderFailure == nil else {
                report = try await recordWhenSent(composed, into: report, run: run).report
                report = try await record(SentBatch(unsent: next), into: report, run: run)
                if let failure = composed.renderFailure { throw failure }
                break
            }
            (inFlight, claimed) = (composed, next)
        }
        return report
    }

    /// Claims the next batch of due messages for `run`, with the time it was claimed at.
    private func claimBatch(_ run: SendRun, workerID: Int64?) async throws -> ClaimedBatch {
        let now = clock.now()
        let messages = try await store.claimOutbox(
            owner: run.owner, lease: outboxLease, now: now, limit: Self.batchPerLane * run.lanes, workerID: workerID,
            ownerIsGone: { [owner = run.owner] in LeaseOwner.isGone($0, besides: owner) })
        run.leased.withLock { $0.formUnion(messages.compactMap(\.id)) }
        return ClaimedBatch(messages: messages, now: now)
    }

    /// Waits until every message of `batch` handed to a lane has an outcome, records the batch,
    /// then offers seats its outcomes freed. Also says whether the run goes on: not after a
    /// transport failure. Nothing to record when `batch` is nil.
    private func recordWhenSent(_ batch: ComposedBatch?, into report: SendReport, run: SendRun) async throws -> (report: SendReport, goesOn: Bool) {
        guard let batch else { return (report, true) }
        let outcomes = await run.ledger.outcomes(of: batch.handedOver)
        let sent = SentBatch(composed: batch.composed, outcomes: outcomes, now: batch.now)
        let recorded = try await record(sent, into: report, run: run)
        try await refillFreedSeats()
        return (recorded, !sent.transportFailed)
    }

    /// Stores the outcome of every message of `batch` in one transaction, with the calendar
    /// sequence and invitation time of each delivered one.
    private func record(_ batch: SentBatch, into report: SendReport, run: SendRun) async throws -> SendReport {
        // A write may run twice (PostgreSQL retries it whole): count into a copy and keep the last run's.
        let recorded = try await store.write { tx in
            var counted = report
            for (message, rendering) in batch.composed {
                let outcome: DeliveryResult
                switch rendering {
                case nil: outcome = .notAttempted
                case .success(let ready)?:
                    outcome = batch.outcomes[ready.outgoing.messageID] ?? .notAttempted
                    if case .outcome(.delivered) = outcome, let sequence = ready.calendarSequence, let workerID = message.workerID {
                        try await tx.recordSentSequence(sequence, sessionID: message.sessionID, workerID: workerID)
                    }
                    // The deadline counts from the invitation that actually left, as it announced it.
                    if case .outcome(.delivered) = outcome, message.kind == .invitation || message.kind == .update,
                        let workerID = message.workerID
                    {
                        try await tx.recordInvitationSent(sessionID: message.sessionID, workerID: workerID, at: batch.now, answerBy: ready.answerBy)
                    }
                case .failure(let error)?: outcome = .unrenderable("\(error)")
                }
                try await record(outcome, for: message, into: &counted, tx)
            }
            return counted
        }
        run.leased.withLock { $0.subtract(batch.composed.compactMap(\.0.id)) }
        return recorded
    }

    /// Renders a batch: each lane gets the messages of its own people, in claim order, so a
    /// person's messages never overtake each other, and renders them in a read transaction of
    /// its own, handing each to its connection as soon as it is rendered.
    private func compose(
        _ claimed: ClaimedBatch, templates: [MailTemplates], run: SendRun, into lanes: [any MailLane]
    ) async -> ComposedBatch {
        let parts = Dictionary(grouping: claimed.messages) { Int(($0.workerID ?? $0.partnerID ?? $0.id ?? 0) % Int64(lanes.count)) }
        let rendered = await withTaskGroup(of: ComposedBatch.self) { group in
            for (lane, messages) in parts {
                group.addTask {
                    await self.compose(
                        ClaimedBatch(messages: messages, now: claimed.now), templates: templates[lane], sequences: run.sequences[lane],
                        ledger: run.ledger, into: lanes[lane])
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        var batch = ComposedBatch(composed: [], renderFailure: nil, now: claimed.now)
        for part in rendered {
            batch.composed += part.composed
            batch.renderFailure = batch.renderFailure ?? part.renderFailure
        }
        return batch
    }

    /// One lane's part of `compose`. A failing read transaction leaves the rest of the part unrendered.
    private func compose(
        _ claimed: ClaimedBatch, templates: MailTemplates, sequences: ComposedSequences, ledger: DeliveryLedger, into lane: any MailLane
    ) async -> ComposedBatch {
        var batch = ComposedBatch(composed: [], renderFailure: nil, now: claimed.now)
        do {
            try await store.read { tx in
                let source = try await MailSource(tx, renderer: calendarRenderer(tx), sequences: sequences)
                try await source.prefetch(for: claimed.messages)
                for message in claimed.messages {
                    do {
                        let ready = try await compose(message, templates: templates, now: claimed.now, source)
                        batch.composed.append((message, .success(ready)))
                        let messageID = ready.outgoing.messageID
                        lane.send(ready.outgoing) { ledger.report(DeliveryResult($0), for: messageID) }
                    } catch {
                        batch.composed.append((message, .failure(error)))
                    }
                }
            }
        } catch {
            batch.renderFailure = error
        }
        for message in claimed.messages.dropFirst(batch.composed.count) { batch.composed.append((message, nil)) }
        return batch
    }

    /// Renews the leases of what `run` holds every third of `outboxLease`, so a slow server never
    /// lets another sender take over a message that is still being sent; ends when cancelled.
    private func renewLeases(of run: SendRun) async {
        let lease = outboxLease
        while (try? await Task.sleep(for: .seconds(lease / 3))) != nil {
            let ids = Array(run.leased.withLock { $0 })
            // A failed renewal (the database busy) is tried again a third of a lease later.
            _ = try? await store.write { tx in try await tx.renewOutboxLeases(owner: run.owner, ids: ids, lease: lease, now: clock.now()) }
        }
    }

    /// How long a claim holds before another sender may take the message over: the default of
    /// `outboxLease`. A sender renews its leases every third of it while it sends.
    public static let defaultOutboxLease: TimeInterval = 300

    enum DeliveryResult: Sendable {
        case outcome(DeliveryOutcome)
        case transportFailed(MailTransportError)
        case notAttempted
        case unrenderable(String)

        init(_ result: LaneResult) {
            switch result {
            case .outcome(let outcome): self = .outcome(outcome)
            case .failed(let error): self = .transportFailed(error)
            case .notStarted: self = .notAttempted
            }
        }
    }

    /// What one run of `sendDue` shares between its batches, lanes and lease renewals.
    private final class SendRun: Sendable {
        let owner: String
        /// Connections used at once; each sends its own people's messages.
        let lanes: Int
        /// What each lane rendered for its people (a person is always in the same lane).
        let sequences: [ComposedSequences]
        let ledger = DeliveryLedger()
        /// Claimed messages not recorded yet, whose leases are renewed.
        let leased = Mutex<Set<Int64>>([])

        init(owner: String, lanes: Int) {
            self.owner = owner
            self.lanes = lanes
            sequences = (0..<lanes).map { _ in ComposedSequences() }
        }
    }

    /// Messages claimed together, and when.
    private struct ClaimedBatch: Sendable {
        var messages: [OutboxMessage]
        var now: Date
    }

    /// A claimed batch after rendering: each message with its rendering (nil when rendering
    /// stopped before it) and what stopped rendering.
    private struct ComposedBatch: Sendable {
        var composed: [(OutboxMessage, Result<Composed, any Error>?)]
        var renderFailure: (any Error)?
        var now: Date

        /// The Message-IDs handed to the lanes: every message rendered.
        var handedOver: [String] {
            composed.compactMap { _, rendering in
                guard case .success(let ready)? = rendering else { return nil }
                return ready.outgoing.messageID
            }
        }
    }

    /// A batch after sending: each message with its rendering and the delivery results by Message-ID.
    private struct SentBatch: Sendable {
        var composed: [(OutboxMessage, Result<Composed, any Error>?)]
        var outcomes: [String: DeliveryResult]
        var now: Date

        /// A batch none of which was rendered: recording it gives every message back.
        init(unsent batch: ClaimedBatch) {
            self.init(composed: batch.messages.map { ($0, nil) }, outcomes: [:], now: batch.now)
        }

        init(composed: [(OutboxMessage, Result<Composed, any Error>?)], outcomes: [String: DeliveryResult], now: Date) {
            (self.composed, self.outcomes, self.now) = (composed, outcomes, now)
        }

        /// Whether a lane's transport failed: the rest waits for the next run.
        var transportFailed: Bool {
            outcomes.values.contains { if case .transportFailed = $0 { true } else { false } }
        }
    }

    /// The outcomes the lanes report (on their connections' threads), kept until the batch they
    /// belong to asks for them.
    private final class DeliveryLedger: Sendable {
        private struct Book {
            var outcomes: [String: DeliveryResult] = [:]
            var awaited: Set<String> = []
            var waiting: CheckedContinuation<Void, Never>?
        }

        private let book = Mutex(Book())

        /// Notes the outcome of one message.
        func report(_ outcome: DeliveryResult, for messageID: String) {
            let waiting = book.withLock { book -> CheckedContinuation<Void, Never>? in
                book.outcomes[messageID] = outcome
                guard book.awaited.remove(messageID) != nil, book.awaited.isEmpty else { return nil }
                defer { book.waiting = nil }
                return book.waiting
            }
            waiting?.resume()
        }

        /// The outcomes of these messages, once every one has been reported (one caller at a time).
        func outcomes(of messageIDs: [String]) async -> [String: DeliveryResult] {
            await withCheckedContinuation { continuation in
                let complete = book.withLock { book in
                    book.awaited = Set(messageIDs).subtracting(book.outcomes.keys)
                    if !book.awaited.isEmpty { book.waiting = continuation }
                    return book.awaited.isEmpty
                }
                if complete { continuation.resume() }
            }
            return book.withLock { book in
                var taken: [String: DeliveryResult] = [:]
                for id in messageIDs { taken[id] = book.outcomes.removeValue(forKey: id) }
                return taken
            }
        }
    }
}
