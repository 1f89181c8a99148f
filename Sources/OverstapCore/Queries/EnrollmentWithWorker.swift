/// An enrollment with the person it belongs to, for organisers' views.
public struct EnrollmentWithWorker: Sendable, Equatable {
    public var enrollment: Enrollment
    public var email: String
    public var name: String

    /// Creates an enrollment with its person's address and name.
    public init(enrollment: Enrollment, email: String, name: String) {
        self.enrollment = enrollment
        self.email = email
        self.name = name
    }
}
