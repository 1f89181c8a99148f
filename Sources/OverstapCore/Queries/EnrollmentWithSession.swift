/// An enrollment with its session, for a worker's view.
public struct EnrollmentWithSession: Sendable, Equatable {
    public var enrollment: Enrollment
    public var session: StoredSession

    /// Creates an enrollment with its session.
    public init(enrollment: Enrollment, session: StoredSession) {
        self.enrollment = enrollment
        self.session = session
    }
}
