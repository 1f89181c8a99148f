/// The last calendar message one person received for one session: the SEQUENCE it carried and
/// whether it was a CANCEL. Later messages on that UID never carry less, so a calendar client
/// never drops them as older than what it holds.
public struct SentSequence: Sendable, Equatable {
    public var sequence: Int
    public var wasCancel: Bool

    /// Creates the record of a sent calendar message.
    public init(sequence: Int, wasCancel: Bool) {
        self.sequence = sequence
        self.wasCancel = wasCancel
    }

    /// The least SEQUENCE the next message may carry: a REQUEST after a CANCEL must outrank the
    /// CANCEL, and a CANCEL must outrank the REQUEST the person holds.
    public func floor(forCancel: Bool) -> Int {
        forCancel || wasCancel ? sequence + 1 : sequence
    }
}
