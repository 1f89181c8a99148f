import Foundation

/// Who holds an outbox lease: `host/pid/run`, a name per sending run, so a later run on the same
/// host can tell that the holder died (kill -9, power loss) and take its messages over at once.
/// A holder on another host cannot be checked: its messages wait until its lease lapses.
enum LeaseOwner {
    /// A new name for one sending run of this process.
    static func newRun() -> String {
        "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(8))"
    }

    /// True when `owner` ran on this host and its process is gone, or is an earlier run of this
    /// process than `current`: a process sends one run at a time (the daemon's dispatcher, or one
    /// CLI command), so such a run ended, for instance when storing its outcomes failed.
    static func isGone(_ owner: String, besides current: String) -> Bool {
        let parts = owner.split(separator: "/")
        guard parts.count == 3, parts[0] == ProcessInfo.processInfo.hostName, let pid = Int32(parts[1]) else { return false }
        if pid == ProcessInfo.processInfo.processIdentifier { return owner != current }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
