import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to the daemon on this machine, for bytes no HTTP client would send.
/// Its blocking reads run on a thread of their own: on the test's concurrency threads they would
/// starve the router's handlers that share them.
// @unchecked Sendable: a test uses one connection from one place at a time, sending, then receiving.
final class RawConnection: @unchecked Sendable {
    private let socket: Int32

    /// Connects to `port` on `localhost`, at the first address it resolves to, as the test
    /// server's bind did.
    init(port: Int) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo("localhost", String(port), &hints, &found) == 0, let first = found else { throw ConnectionFailure(errno: errno) }
        defer { freeaddrinfo(found) }
        socket = Glibc.socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard connect(socket, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            close(socket)
            throw ConnectionFailure(errno: errno)
        }
    }

    deinit {
        close(socket)
    }

    struct ConnectionFailure: Error {
        let errno: Int32
    }

    /// Sends the bytes of `text` as they are.
    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Everything the daemon sends until it closes the connection or stays silent for `seconds`;
    /// `closed` when it closed the connection.
    func receive(waitingUpTo seconds: Int) async -> (text: String, closed: Bool) {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.receiveBlocking(seconds)) }.start()
        }
    }

    private func receiveBlocking(_ seconds: Int) -> (text: String, closed: Bool) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[..<count]
            } else {
                // 0: the daemon closed the connection; -1: silence (or a reset, which also ends it).
                let closed = count == 0 || errno == ECONNRESET
                return (String(decoding: received, as: UTF8.self), closed)
            }
        }
    }

    /// The status codes of the answers in `text`, in order.
    static func statuses(_ text: String) -> [Int] {
        text.components(separatedBy: "\r\n").filter { $0.hasPrefix("HTTP/1.") }.compactMap { Int($0.split(separator: " ")[1]) }
    }
}
