import OverstapCore
import OverstapStore

/// How a failure of a use case ends a command: the input was refused (with the reason), or
/// something the user cannot fix is busy or down and the command may be tried again later.
public enum FailureKind: Sendable {
    /// The user's input or setup was refused; the error says why and how to fix it.
    case refused
    /// Nothing was wrong with the input: try again later (the database is busy, mail is down).
    case temporary

    /// The kind of a failure the use cases throw, or nil for one they did not anticipate.
    public init?(of error: any Error) {
        switch error {
        case is InputError, is InputErrors, is NotFoundError, is EnrollmentLifecycle.RefusedEvent, is StoreOpenError:
            self = .refused
        case is StoreBusyError, is StoreUnavailableError, is DatabaseUnreachableError, is MailUnavailableError:
            self = .temporary
        default:
            return nil
        }
    }
}
