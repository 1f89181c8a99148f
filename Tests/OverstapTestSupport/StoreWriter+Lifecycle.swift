import Foundation
import OverstapCore
import OverstapStore

extension EnrollmentState {
    /// The events that take an enrollment from nothing to this state.
    public var pathFromNothing: [EnrollmentEvent] {
        switch self {
        case .selected: [.selectedByMatching]
        case .invited: [.selectedByMatching, .invited]
        case .accepted: [.selectedByMatching, .invited, .answered(.accept)]
        case .tentative: [.selectedByMatching, .invited, .answered(.tentative)]
        case .declined: [.selectedByMatching, .invited, .answered(.decline)]
        case .expired: [.selectedByMatching, .invited, .deadlinePassed]
        case .cancelled: [.selectedByMatching, .removedByOrganiser]
        case .attended: [.selectedByMatching, .invited, .answered(.accept), .attended]
        case .noShow: [.selectedByMatching, .invited, .answered(.accept), .noShow]
        }
    }
}

extension StoreWriter {
    /// Brings a new enrollment of a worker in a session to `state` through the lifecycle's own
    /// changes (the messages those events ask for are not queued: a test that needs them uses the service).
    public func enroll(sessionID: Int64, workerID: Int64, as state: EnrollmentState, now: Date) async throws {
        try await change(sessionID: sessionID, workerID: workerID, through: state.pathFromNothing, now: now)
    }

    /// Applies lifecycle events to a worker's enrollment in a session, storing each change.
    public func change(sessionID: Int64, workerID: Int64, through events: [EnrollmentEvent], now: Date) async throws {
        var current = try await enrollment(sessionID: sessionID, workerID: workerID)?.state
        for event in events {
            let decision = try EnrollmentLifecycle.decide(event, sessionID: sessionID, workerID: workerID, from: current)
            try await apply(decision.change, now: now)
            current = decision.change.to
        }
    }
}
