import Foundation

/// Who holds an outbox lease: `host/pid/run`, so a later run on the same host can tell that the
/// holder died (kill -9, power loss) and take its messages over at once.
enum LeaseOwner {
    static let current = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(8))"

    /// True when the owner ran on this host and its process is gone.
    static func isGone(_ owner: String) -> Bool {
        let parts = owner.split(separator: "/")
        guard parts.count == 3, parts[0] == ProcessInfo.processInfo.hostName, let pid = Int32(parts[1]) else { return false }
        if pid == ProcessInfo.processInfo.processIdentifier { return owner != current }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
