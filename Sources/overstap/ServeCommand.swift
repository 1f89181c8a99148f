import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import OverstapCore
import OverstapHTTP
import OverstapService
import ServiceLifecycle
import UnixSignals

/// `overstap serve`
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon: feeds over HTTP and the outbox dispatcher; SIGTERM or Ctrl-C stops it cleanly.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Demo mode: without rsvp.secret, sign answer links with the demo key in the database's folder (made once).")
    var demo = false

    func run() async throws {
        var settings = try await global.loadConfig().settings
        if demo { settings = try settings.withDemoSecret() }
        try settings.requireAnswerLinks(demoHint: "overstap serve --demo")
        let publicURL = try settings.publicURL()
        let service = try OverstapService.open(settings: settings, clock: try GlobalOptions.clock())
        // A database that cannot be reached or whose schema this program does not match
        // (PostgreSQL: pending or newer migrations) stops the daemon before it listens.
        try await service.checkDatabase()
        let pages = try WebPages(folder: settings.templatesPath)
        var logger = Logger(label: "overstap")
        logger.logLevel = .info
        let connections = try ConnectionLimit.raised(logger: logger)
        let cache = FeedCache(service: service)
        let metrics = DaemonMetrics()
        let dispatcher = OutboxDispatcher(service: service, logger: logger, clock: ContinuousClock()) { report in
            metrics.recordSend(sent: report.sent, deferred: report.deferred, failed: report.failed)
        }
        let watcher = ChangeWatcher(service: service, clock: ContinuousClock(), logger: logger) { counter in
            cache.invalidate()
            await dispatcher.wake(changeCounter: counter)
        }
        let router = FeedRoutes(service: service, cache: cache, metrics: metrics).router()
        AnswerRoutes(service: service, pages: pages) { await dispatcher.wake() }.add(to: router)
        let app = Application(
            router: router,
            server: .feedServing(
                cache: cache, metrics: metrics, serverName: "overstap", headTimeout: .seconds(settings.httpHeadTimeout),
                idleTimeout: .seconds(settings.httpIdleTimeout)),
            configuration: ApplicationConfiguration(
                address: .hostname(settings.httpHost, port: settings.httpPort), serverName: "overstap",
                availableConnectionsDelegate: connections),
            onServerRunning: { [settings] _ in
                let mail = settings.mail.transport == .file
                    ? "written to \(settings.mail.directory)/" : "sent via \(settings.mail.smtpHost):\(settings.mail.smtpPort)"
                let lines = [
                    "listening on http://\(settings.listenAddress) (links use \(publicURL))",
                    "region feed: \(publicURL)/feeds/regions/\(settings.organiserRegion).ics",
                    "mail: \(mail)",
                ]
                // Written at once and unbuffered, so whoever started the daemon sees it is ready.
                FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            },
            logger: logger)
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: app), .init(service: dispatcher), .init(service: watcher)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A batch stuck on a slow or hostile mail server must not keep the daemon alive: after
        // this, shutdown cancels it, which closes its connections and leaves the messages pending.
        configuration.maximumGracefulShutdownDuration = .seconds(10)
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch let error as IOError where [EADDRINUSE, EADDRNOTAVAIL, EACCES].contains(error.errnoCode) {
            throw Self.bindRefusal(error.errnoCode, settings)
        }
    }

    /// Why the daemon could not listen, and what to do about it.
    static func bindRefusal(_ code: Int32, _ settings: OverstapSettings) -> InputError {
        let place = "http.host/http.port \(settings.listenAddress)"
        switch code {
        case EADDRINUSE:
            return InputError(
                place: place, problem: "is already in use (another overstap serve, or another program, listens there)",
                fix: "stop that program, or choose a free port with OVERSTAP_HTTP_PORT (or http.port)")
        case EACCES:
            return InputError(
                place: place, problem: "may not be used by this user (ports below 1024 need privileges)",
                fix: "choose a port from 1024 up with OVERSTAP_HTTP_PORT (or http.port)")
        default:
            return InputError(
                place: place, problem: "is not an address of this machine",
                fix: "set http.host (OVERSTAP_HTTP_HOST) to one of this machine's addresses, e.g. 127.0.0.1")
        }
    }
}
