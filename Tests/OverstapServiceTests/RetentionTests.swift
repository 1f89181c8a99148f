import Foundation
import Mail
import OverstapCore
import OverstapStore
import OverstapTestSupport
import Testing

@testable import OverstapService

/// Retention (`retention.personal_data`, default P18M) over the report's generated region: people
/// past it are erased without a trace, the report's figures stay the same in every format.
@Suite(.serialized)
struct RetentionTests {
    /// 2028-09-01: past P18M for everyone whose last session, outcome or import was on or before
    /// 2027-02-28. Of the region's 30 people that is A1, A2 (work in February), A9–A12 (the zorg
    /// session of 2 February), B3–B7 (the techniek session of 9 February) and the 5 never placed.
    static let retentionNow = "2028-09-01T09:00:00+02:00"
    /// Indexes into `Region.people` of those 16.
    static let pastRetention = [0, 1, 8, 9, 10, 11] + Array(14..<19) + Array(25..<30)

    /// Every figure of the report: each format, each period the region touches, each region.
    static func everyReport(_ region: ReportEndToEndTests.Region) throws -> [String: String] {
        var reports: [String: String] = [:]
        for format in ["text", "csv", "json", "html"] {
            for period in ["2027", "2027-Q1", "2027-01", "2027-02", "2027-03", "2027-04"] {
                for place in [nil, "midden-utrecht", "amersfoort"] {
                    let arguments = ["--period", period, "--format", format] + (place.map { ["--region", $0] } ?? [])
                    reports[arguments.joined(separator: " ")] = try region.report(arguments)
                }
            }
        }
        return reports
    }

    /// `overstap retention run` (or another command) on the region's database at `now`.
    static func run(_ region: ReportEndToEndTests.Region, _ arguments: [String], now: String = retentionNow) throws -> CLI.Result {
        try region.cli.run(
            arguments + ["--database-url", region.fixture.database.url],
            env: ["OVERSTAP_NOW": now, "OVERSTAP_MAIL_DIRECTORY": region.fixture.mailFolder])
    }

    /// Every byte of the database (main file, write-ahead log, shared memory; on PostgreSQL every
    /// row as text) and the mail folder.
    static func bytesOnDisk(_ region: ReportEndToEndTests.Region) throws -> [(file: String, data: Data)] {
        let directory = region.fixture.directory.file("")
        var files: [(String, Data)] = []
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let name = enumerator?.nextObject() as? String {
            let path = (directory as NSString).appendingPathComponent(name)
            guard name.hasPrefix("overstap.sqlite") || name.hasPrefix("mail/") else { continue }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            files.append((name, try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        if let rows = try region.fixture.database.rowsAsText() { files.append(("database", rows)) }
        return files
    }

    static func occurrences(of text: String, in files: [(file: String, data: Data)]) -> [String] {
        files.filter { $0.data.range(of: Data(text.utf8)) != nil }.map(\.file)
    }

    /// The region with its invitations sent as `.eml` files, so the mail folder holds people too.
    static func regionWithMail() async throws -> ReportEndToEndTests.Region {
        let region = try await ReportEndToEndTests.region()
        _ = try await region.fixture.service.sendDue(through: FileTransport(directory: region.fixture.mailFolder))
        return region
    }

    @Test func peoplePastRetentionAreErasedWithoutATraceAndTheReportStaysTheSame() async throws {
        let region = try await Self.regionWithMail()
        let before = try Self.everyReport(region)
        let erased = Self.pastRetention.map { region.people[$0] }
        let kept = region.people.indices.filter { !Self.pastRetention.contains($0) }.map { region.people[$0] }
        let onDiskBefore = try Self.bytesOnDisk(region)
        #expect(erased.contains { !Self.occurrences(of: $0.email, in: onDiskBefore.filter { $0.file.hasPrefix("mail/") }).isEmpty },
            "the mail folder holds some of them before, so the search below means something")

        let result = try Self.run(region, ["retention", "run"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "erased 16 people past retention.personal_data (P18M); their report figures are kept as anonymous aggregates\n")

        #expect(Set(try await region.fixture.service.workers().map(\.email)) == Set(kept.map(\.email)), "those not yet due stay")
        let after = try Self.everyReport(region)
        for (arguments, report) in before {
            #expect(after[arguments] == report, "report \(arguments) changed:\n\(report)\n---\n\(after[arguments] ?? "")")
        }

        let onDisk = try Self.bytesOnDisk(region)
        let keptNames = Set(kept.map(\.name))
        for person in erased {
            #expect(Self.occurrences(of: person.email, in: onDisk).isEmpty, "\(person.email) is still in \(Self.occurrences(of: person.email, in: onDisk))")
            if !keptNames.contains(person.name) {
                #expect(Self.occurrences(of: person.name, in: onDisk).isEmpty, "\(person.name) is still in \(Self.occurrences(of: person.name, in: onDisk))")
            }
            #expect(!result.stdout.contains(person.email) && !result.stderr.contains(person.email))
        }
        #expect(!Self.occurrences(of: kept[0].email, in: onDisk).isEmpty, "the search finds a person who stays")

        let again = try Self.run(region, ["retention", "run", "--json"])
        let summary = try #require(try again.json() as? [String: Any])
        #expect(summary["erased"] as? Int == 0 && summary["dry_run"] as? Bool == false, "\(again)")
        #expect(try Self.everyReport(region) == before, "a second run counts nobody twice")
    }

    @Test func aDryRunCountsWhoWouldGoAndChangesNothing() async throws {
        let region = try await ReportEndToEndTests.region()
        let before = try Self.everyReport(region)
        let result = try Self.run(region, ["retention", "run", "--dry-run"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "would erase 16 people past retention.personal_data (P18M); nothing changed\n")
        #expect(try await region.fixture.service.workers().count == 30)
        #expect(try await region.fixture.service.store.read { try await $0.retainedAggregates() } == RetainedAggregates())
        #expect(try Self.everyReport(region) == before)

        let earlier = try Self.run(region, ["retention", "run", "--dry-run"], now: "2028-07-10T09:00:00+02:00")
        #expect(earlier.stdout.hasPrefix("would erase 0 people"), "imported 2027-01-10: past P18M only from 2028-07-11\n\(earlier)")
        let dayAfter = try Self.run(region, ["retention", "run", "--dry-run"], now: "2028-07-11T09:00:00+02:00")
        #expect(dayAfter.stdout.hasPrefix("would erase 5 people"), "\(dayAfter)")
    }

    @Test func overstapDueErasesEveryonePastRetentionAndTheReportStaysTheSame() async throws {
        let region = try await ReportEndToEndTests.region()
        let before = try Self.everyReport(region)
        // The last outcome is of 2027-04-13: by 2028-12-01 everyone is past P18M.
        let due = try Self.run(region, ["due", "--json"], now: "2028-12-01T09:00:00+01:00")
        #expect(due.status == 0, "\(due)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(due.stdout.utf8)) as? [String: Any])
        #expect(json["erased"] as? Int == 30)
        #expect(try await region.fixture.service.workers().isEmpty)
        #expect(try Self.everyReport(region) == before)
    }

    @Test func twoRunsAtOnceCountEachPersonOnce() async throws {
        let region = try await ReportEndToEndTests.region()
        let before = try Self.everyReport(region)
        let service = region.fixture.service
        let clock = TimeSource.fixed(try #require(ISO8601DateFormatter().date(from: Self.retentionNow)))
        let first = OverstapService(store: service.store, settings: service.settings, catalogues: service.catalogues, clock: clock)
        let second = try OverstapService.open(settings: service.settings, clock: clock)
        async let one = first.runRetention(dryRun: false)
        async let other = second.runRetention(dryRun: false)
        let (a, b) = try await (one, other)
        #expect(a.erased + b.erased == 16)
        #expect(try Self.everyReport(region) == before)
    }

    @Test func theSettingIsChecked() async throws {
        let region = try await ReportEndToEndTests.region()
        for wrong in ["PT12H", "P0M", "18 months"] {
            let result = try region.cli.run(
                ["retention", "run", "--dry-run", "--database-url", region.fixture.database.url],
                env: ["OVERSTAP_RETENTION_PERSONAL_DATA": wrong])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("retention.personal_data") && result.stderr.contains("e.g. P18M"), "\(result)")
        }
        let longer = try region.cli.run(
            ["retention", "run", "--dry-run", "--database-url", region.fixture.database.url],
            env: ["OVERSTAP_RETENTION_PERSONAL_DATA": "P2Y", "OVERSTAP_NOW": Self.retentionNow])
        #expect(longer.stdout.hasPrefix("would erase 0 people"), "\(longer)")
    }

    @Test func aMonthEndThatDoesNotExistIsTheMonthsLastDay() {
        let rule = RetentionRule("P18M")!
        #expect(rule.firstDayPast(LocalDate(year: 2027, month: 8, day: 31)) == LocalDate(year: 2029, month: 3, day: 1))
        #expect(rule.firstDayPast(LocalDate(year: 2027, month: 1, day: 10)) == LocalDate(year: 2028, month: 7, day: 11))
        #expect(RetentionRule("P1Y2W3D").map { ($0.months, $0.days) } ?? (0, 0) == (12, 17))
    }
}
