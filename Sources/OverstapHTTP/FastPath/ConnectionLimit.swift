import Foundation
import HummingbirdCore
import Logging
import OverstapCore

/// How many connections the daemon accepts at once. Past the process's descriptor limit, accept
/// fails with EMFILE, and SwiftNIO (2.101) then leaves the listening socket registered for reading
/// with its read still pending, so its accept back-off never runs and the event loop spins at
/// 100% CPU (measured: 44,000 failed `accept4` calls in 5 s). Capping connections below the limit
/// makes Hummingbird stop reading the listening socket instead: further clients wait in the
/// kernel's backlog until a connection closes (the time limits see that one does).
public enum ConnectionLimit {
    /// Descriptors kept for the database and its WAL, the mail connections and files, the event
    /// loops and the log; an idle daemon on two cores holds 25.
    public static let reserved = 64
    /// The fewest connections worth serving.
    public static let minimum = 64

    /// Raises the soft descriptor limit to the hard one and caps connections at what then fits.
    public static func raised(logger: Logger) throws(InputError) -> MaximumAvailableConnections {
        MaximumAvailableConnections(try raisedForConnections(), logger: logger)
    }

    /// Raises the soft descriptor limit to the hard one and returns how many connections fit.
    static func raisedForConnections() throws(InputError) -> Int {
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return minimum }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        let descriptors = min(UInt64(limit.rlim_cur), UInt64(Int32.max))
        let connections = Int(descriptors) - reserved
        guard connections >= minimum else {
            throw InputError(
                place: "descriptor limit (ulimit -n)",
                problem: "is \(descriptors), and serve needs at least \(reserved + minimum): \(reserved) for itself and \(minimum) for connections",
                fix: "raise it: ulimit -n 4096 before serve, or LimitNOFILE=65536 in the systemd unit")
        }
        return connections
    }
}
