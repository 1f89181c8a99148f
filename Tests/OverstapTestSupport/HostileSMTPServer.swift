import NIOCore
import NIOPosix
import Synchronization

/// An SMTP server inside the test process that answers from a script, for the faults a real
/// server will not produce on demand: policy refusals, a greeting that never ends, a refusal of
/// every session. aiosmtpd (`SMTPTestServer`) stays the server for normal delivery.
public final class HostileSMTPServer: Sendable {
    /// How the server behaves.
    public struct Script: Sendable {
        /// The reply to each `RCPT TO`, given the address.
        public var recipient: @Sendable (String) -> String = { _ in "250 2.1.5 ok" }
        /// The reply after the content's final dot, given the recipients accepted.
        public var endOfData: @Sendable ([String]) -> String = { _ in "250 2.0.0 queued" }
        /// The reply to `DATA` when a recipient was accepted, given them; only `354` takes content.
        public var data: @Sendable ([String]) -> String = { _ in "354 go ahead" }
        /// Whether `EHLO` announces `PIPELINING` (RFC 2920).
        public var pipelining = false
        /// Holds the reply to the content's final dot until the next command arrives (at most
        /// half a second), which shows whether a client sends its next message's commands behind
        /// the content instead of waiting for that reply.
        public var holdsEndOfDataReply = false
        /// The greeting; a refusing one (`554 …`) refuses every session.
        public var greeting = "220 hostile.test ESMTP"
        /// After connecting, stream `220-` lines and never end the reply.
        public var endlessGreeting = false
        /// Sessions greeted with `greeting`; every later one is refused (`554`), as by a server
        /// going down. Nil greets every session.
        public var sessions: Int?

        /// The script of a server that accepts everything.
        public init() {}
    }

    public let port: Int
    private let channel: any Channel
    private let counters: Counters

    /// What the server saw.
    final class Counters: Sendable {
        let connections = Atomic<Int>(0)
        let delivered = Mutex<[String]>([])
        let commands = Mutex<[String]>([])
        let bytesStreamed = Atomic<Int>(0)
        let commandsBehindContent = Atomic<Int>(0)
    }

    /// Starts listening on a free port of 127.0.0.1.
    public init(_ script: Script) throws {
        let counters = Counters()
        self.counters = counters
        channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(ScriptedSession(script: script, counters: counters))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        port = channel.localAddress?.port ?? 0
    }

    /// Sessions opened so far.
    public var connections: Int { counters.connections.load(ordering: .relaxed) }
    /// Recipients of every message accepted after the final dot.
    public var delivered: [String] { counters.delivered.withLock { $0 } }
    /// Every line read outside message content, over all connections, in order.
    public var commands: [String] { counters.commands.withLock { $0 } }
    /// Commands that arrived while the reply to the content before them was held (`holdsEndOfDataReply`).
    public var commandsBehindContent: Int { counters.commandsBehindContent.load(ordering: .relaxed) }
    /// Bytes of the endless greeting written so far, over all connections.
    public var bytesStreamed: Int { counters.bytesStreamed.load(ordering: .relaxed) }

    /// Stops listening; open sessions end with their clients.
    public func stop() {
        try? channel.close().wait()
    }
}

/// One client's session, answering line by line.
private final class ScriptedSession: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let script: HostileSMTPServer.Script
    let counters: HostileSMTPServer.Counters
    private var buffer: [UInt8] = []
    private var inData = false
    private var recipients: [String] = []
    /// Set by a `421`: lines the client had already sent are not read.
    private var closed = false
    /// The reply to the last final dot while it is held, and the timer that sends it anyway.
    private var heldReply: (text: String, timer: Scheduled<Void>)?

    init(script: HostileSMTPServer.Script, counters: HostileSMTPServer.Counters) {
        self.script = script
        self.counters = counters
    }

    func channelActive(context: ChannelHandlerContext) {
        let number = counters.connections.add(1, ordering: .relaxed).newValue
        if script.endlessGreeting {
            stream(context: context)
        } else if let sessions = script.sessions, number > sessions {
            reply("554 5.3.2 hostile.test is going down", context: context)
        } else {
            reply(script.greeting, context: context)
        }
    }

    /// Writes 64 KiB of `220-` lines, then more as soon as they are written, until the client closes.
    private func stream(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        let chunk = String(repeating: "220-welcome, this greeting goes on and on\r\n", count: 1500)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: chunk)), promise: written)
        written.futureResult.assumeIsolated().whenSuccess {
            self.counters.bytesStreamed.add(chunk.utf8.count, ordering: .relaxed)
            self.stream(context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        buffer.append(contentsOf: unwrapInboundIn(data).readableBytesView)
        while !closed, let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: buffer[..<newline], as: UTF8.self).trimmingSuffix("\r")
            buffer.removeSubrange(...newline)
            handle(line, context: context)
        }
    }

    private func handle(_ line: String, context: ChannelHandlerContext) {
        if inData {
            guard line == "." else { return }
            inData = false
            let answer = script.endOfData(recipients)
            if answer.hasPrefix("2") { counters.delivered.withLock { $0 += recipients } }
            recipients = []
            if script.holdsEndOfDataReply {
                let timer = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(500)) { self.releaseHeldReply(context: context) }
                heldReply = (answer, timer)
            } else {
                reply(answer, context: context)
            }
            return
        }
        if heldReply != nil {
            counters.commandsBehindContent.add(1, ordering: .relaxed)
            releaseHeldReply(context: context)
            guard !closed else { return }
        }
        counters.commands.withLock { $0.append(line) }
        let verb = line.prefix(4).uppercased()
        switch verb {
        case "EHLO": reply("250-hostile.test\r\n" + (script.pipelining ? "250-PIPELINING\r\n" : "") + "250 8BITMIME", context: context)
        case "MAIL", "RSET":
            recipients = []
            reply("250 2.0.0 ok", context: context)
        case "HELO", "NOOP": reply("250 2.0.0 ok", context: context)
        case "RCPT":
            let address = line.split(separator: "<").last.map { String($0.prefix { $0 != ">" }) } ?? ""
            let answer = script.recipient(address)
            if answer.hasPrefix("2") { recipients.append(address) }
            reply(answer, context: context)
        case "DATA":
            if recipients.isEmpty {
                reply("554 5.5.1 no valid recipients", context: context)
            } else {
                let answer = script.data(recipients)
                inData = answer.hasPrefix("354")
                reply(answer, context: context)
            }
        case "QUIT":
            reply("221 2.0.0 bye", context: context)
            context.close(promise: nil)
        default: reply("502 5.5.2 not implemented", context: context)
        }
    }

    private func releaseHeldReply(context: ChannelHandlerContext) {
        guard let held = heldReply else { return }
        heldReply = nil
        held.timer.cancel()
        reply(held.text, context: context)
    }

    /// Writes `text`; a `421` closes the session after it, as a server shutting down does.
    private func reply(_ text: String, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text + "\r\n")), promise: nil)
        if text.hasPrefix("421") {
            closed = true
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
