import ArgumentParser
import Foundation
import Hummingbird
import Logging
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
    @Flag(help: "Demo mode: without rsvp.secret, sign answer links with a key that lives until the daemon stops.") var demo = false

    func run() async throws {
        var settings = try await global.loadConfig().settings
        if settings.rsvpSecret == nil {
            guard demo else {
                throw InputError(
                    place: "rsvp.secret", problem: "is not set, so answer links cannot be signed",
                    fix: "set OVERSTAP_RSVP_SECRET to a long random value (openssl rand -base64 48), or run serve --demo")
            }
            settings.rsvpSecret = (0..<4).map { _ in UUID().uuidString }.joined()
        }
        let service = try OverstapService.open(settings: settings, clock: try GlobalOptions.clock())
        let pages = try WebPages(folder: settings.templatesPath)
        var logger = Logger(label: "overstap")
        logger.logLevel = .info
        let connections = try ConnectionLimit.raised(logger: logger)
        let cache = FeedCache(service: service)
        let metrics = DaemonMetrics()
        let dispatcher = OutboxDispatcher(service: service, logger: logger, metrics: metrics)
        let watcher = ChangeWatcher(service: service, logger: logger) {
            cache.invalidate()
            await dispatcher.wake()
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
                    "listening on http://\(settings.httpHost):\(settings.httpPort) (links use \(settings.publicURL))",
                    "region feed: \(settings.publicURL)/feeds/regions/\(settings.organiserRegion).ics",
                    "mail: \(mail)",
                ]
                // Written at once and unbuffered, so whoever started the daemon sees it is ready.
                FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: app), .init(service: dispatcher), .init(service: watcher)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
