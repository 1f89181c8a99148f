import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// The formats `overstap report` writes.
    public enum ReportFormat: String, CaseIterable, Sendable {
        case text, csv, json, html
    }

    /// Computes the anonymous report for a fixed period (`2027`, `2027-Q1`, `2027-03`; nil: the
    /// current year) and, when given, one worker region, from one read of the store.
    public func report(period text: String?, region: String?) async throws -> OutcomeReport {
        let period: ReportPeriod
        if let text {
            guard let parsed = ReportPeriod(text) else {
                throw InputError(
                    place: "--period", problem: "'\(text)' is not a year, quarter or month",
                    fix: "write 2027, 2027-Q1 or 2027-03 (free date ranges are not offered: two of them subtracted would reveal hidden counts)")
            }
            period = parsed
        } else {
            period = ReportPeriod.year(of: try today())
        }
        let regionCode = try region.map { try catalogues.regions.validate($0, place: "--region") }
        let zone = try ZoneResolver(identifier: settings.timezone, place: "timezone")
        var input = try await store.read { tx in
            let partners = try await tx.partners()
            var input = try await tx.reportInput { zone.local(of: $0).date }
            input.partnerNames = Dictionary(partners.map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
            return input
        }
        input.sectorOrder = catalogues.sectors.entries.map(\.code)
        return OutcomeReport.build(input, period: period, region: regionCode, minCell: settings.reportMinCell)
    }

    /// The report in one format; the "generated at" time is the clock's, so the same data at
    /// the same time gives the same bytes.
    public func renderReport(_ report: OutcomeReport, format: ReportFormat) throws -> String {
        let generatedAt = try generatedAt()
        switch format {
        case .text: return report.text(generatedAt: generatedAt)
        case .csv: return report.csv()
        case .json: return report.json(generatedAt: generatedAt)
        case .html: return report.html(generatedAt: generatedAt)
        }
    }

    /// Now as RFC 3339 in the team's zone, to the second.
    private func generatedAt() throws -> String {
        let zone = try ZoneResolver(identifier: settings.timezone, place: "timezone")
        let now = clock.now()
        let local = zone.local(of: now)
        let seconds = Int(now.timeIntervalSince1970.rounded(.down)) % 60
        return "\(local.date)T" + String(format: "%02d:%02d:%02d", local.hour, local.minute, (seconds + 60) % 60) + zone.offsetString(at: now)
    }
}
