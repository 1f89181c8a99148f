import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

extension OverstapService.ReportFormat: ExpressibleByArgument {}

/// `overstap report`
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The anonymous report for funders: funnel, sector flows, time to work, sessions and partners.",
        discussion: """
            Periods are fixed (a year, a quarter or a month), never free date ranges: two overlapping reports \
            subtracted from each other would reveal hidden counts. Counts from 1 to report.min_cell - 1 (default 5) \
            are shown as <5, and a count that would reveal one is hidden as x; the report holds no names or addresses. \
            docs/report.md defines every figure.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only workers of this labour-market region (config/regions.yaml).") var region: String?
    @Option(help: "A year (2027), quarter (2027-Q1) or month (2027-03); default: the current year.") var period: String?
    @Option(help: "text, csv, json or html (one self-contained page with charts).") var format: OverstapService.ReportFormat = .text
    @Option(help: "Write the report to this file instead of standard output.") var output: String?

    func run() async throws {
        let service = try await global.service()
        let report = try await service.report(period: period, region: region)
        let rendered = try service.renderReport(report, format: format)
        try TextOutput.write(rendered, to: output)
        guard let output else { return }
        print("wrote the \(format.rawValue) report for \(report.period.label) to \(output)")
    }
}
