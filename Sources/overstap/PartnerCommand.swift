import ArgumentParser
import OverstapCore
import OverstapService

/// `overstap partner …`
struct PartnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner", abstract: "Education partners and other organisations that run sessions.",
        subcommands: [Add.self, List.self, Show.self, RotateToken.self, Busy.self])
}

extension PartnerCommand {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a partner.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The partner's name.") var name: String
        @Option(help: "The partner's planning mailbox.") var email: String
        @Option(help: "Short name for commands and feed URLs (default: from the name).") var slug: String?
        @Option(help: "school, employer, uwv, municipality or other.") var kind: PartnerKind = .school
        @Option(help: "The partner's labour-market region.") var region: String?

        func run() async throws {
            let service = try await global.service()
            // The feed address is shown only once: refuse before adding when links cannot be made.
            _ = try service.settings.publicURL()
            let added = try await service.addPartner(name: name, email: email, slug: slug, kind: kind, region: region)
            print(added.partner.slug)
            try printFeedURLs(service, slug: added.partner.slug, token: added.feedToken)
        }
    }

    struct RotateToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a partner a new feed address; the old one stops working.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The partner's slug.") var slug: String

        func run() async throws {
            let service = try await global.service()
            _ = try service.settings.publicURL()
            try await printFeedURLs(service, slug: slug, token: try service.rotateFeedToken(slug: slug))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List partners.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let partners = try await global.service().partners()
            if output.json { return try JSONOutput.print(partners.map(PartnerView.init)) }
            var table = TextTable(headers: ["SLUG", "NAME", "KIND", "REGION", "EMAIL"])
            table.rows = partners.map { [$0.slug, $0.name, $0.kind.rawValue, $0.region ?? "-", $0.email] }
            print(table.render())
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a partner and its sessions.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The partner's slug.") var slug: String

        func run() async throws {
            let (partner, sessions) = try await global.service().partner(slug: slug)
            var formatter = TimeFormatter()
            let sessionViews = try sessions.map { try SessionView($0, formatter: &formatter, withMeetings: false) }
            if output.json {
                struct View: Encodable {
                    var partner: PartnerView
                    var sessions: [SessionView]
                }
                return try JSONOutput.print(View(partner: PartnerView(partner), sessions: sessionViews))
            }
            print("\(partner.name) (\(partner.slug))")
            print("kind: \(partner.kind.rawValue)  region: \(partner.region ?? "-")  email: \(partner.email)")
            print("")
            print(SessionCommand.table(sessionViews))
        }
    }
}

extension PartnerCommand {
    /// `overstap partner busy …`
    struct Busy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A partner's busy times, from its own calendar export.", subcommands: [Import.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Replace the partner's busy times with those in an .ics export (free events do not count).")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The partner's slug.") var slug: String
            @Argument(help: "The .ics file (Outlook, Google or Apple export).") var file: String

            func run() async throws {
                let result = try await global.service().importBusy(partner: slug, path: file)
                let periods = "\(result.periods) busy period\(result.periods == 1 ? "" : "s")"
                print("imported \(periods) for \(slug) (\(result.skipped) free, cancelled or zero-length skipped)")
            }
        }
    }
}

extension PartnerKind: ExpressibleByArgument {}

/// Prints a partner's private feed address, which is shown only now (Overstap keeps only a hash).
private func printFeedURLs(_ service: OverstapService, slug: String, token: String) throws {
    let urls = try service.partnerFeedURLs(slug: slug, token: token)
    print("feed (give this to the partner; it is shown only now): \(urls.https)")
    print("subscribe in a calendar app: \(urls.webcal)")
}
