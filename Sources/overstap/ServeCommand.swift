import ArgumentParser
import Foundation
import Hummingbird
import Logging
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

    func run() async throws {
        let service = try await global.service()
        var logger = Logger(label: "overstap")
        logger.logLevel = .info
        let cache = FeedCache(service: service)
        let dispatcher = OutboxDispatcher(service: service, logger: logger)
        let watcher = ChangeWatcher(service: service, logger: logger) {
            await cache.invalidate()
            await dispatcher.wake()
        }
        let settings = service.settings
        let app = Application(
            router: FeedRoutes(service: service, cache: cache).router(),
            configuration: ApplicationConfiguration(address: .hostname(settings.httpHost, port: settings.httpPort), serverName: "overstap"),
            onServerRunning: { _ in
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
