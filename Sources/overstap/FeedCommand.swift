import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

/// `overstap feed`
struct FeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed", abstract: "Write the .ics feed of a partner or of a region (no personal data).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The partner whose sessions to publish.") var partner: String?
    @Option(help: "The region whose sessions to publish (full ones marked full, cancelled ones for 30 days as cancelled).") var region: String?
    @Option(help: "Write to this file (atomically) instead of standard output.") var output: String?

    func validate() throws {
        guard (partner == nil) != (region == nil) else { throw ValidationError("give exactly one of --partner SLUG or --region R") }
    }

    func run() async throws {
        let service = try await global.service()
        let text =
            if let partner { try await service.partnerFeed(slug: partner) } else { try await service.regionFeed(region: region ?? "") }
        try TextOutput.write(text, to: output)
    }
}

/// Writes a command's text (a calendar, a report) to standard output or, atomically, to a file.
enum TextOutput {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError(place: "--output", problem: "cannot write \(path)", fix: "check that the folder exists and you may write there")
        }
    }
}
