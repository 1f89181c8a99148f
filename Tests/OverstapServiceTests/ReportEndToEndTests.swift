import Foundation
import OverstapCore
import OverstapStore
import OverstapTestSupport
import TestRandom
import Testing

@testable import OverstapService

/// `overstap report` over a region built through the service and its lifecycle, read by the built
/// binary: known counts, suppression across tables, the same bytes twice, no personal data.
@Suite(.serialized)
struct ReportEndToEndTests {
    /// A region with known counts, built once; `people` holds every name and address in it.
    struct Region {
        let fixture: ServiceFixture
        let cli = CLI()
        var people: [(name: String, email: String)] = []
        /// Addresses and links that are not people's but must not appear either.
        let places = ["planning@roc.example.org", "roosters@hu.example.nl", "Stationsplein 12", "3511 ED", "meet.example.org"]

        /// The report's clock: after every outcome below.
        static let now = "2027-10-01T09:00:00+02:00"

        func report(_ arguments: [String]) throws -> String {
            let result = try cli.run(
                ["report", "--database-url", fixture.database.url] + arguments, env: ["OVERSTAP_NOW": Self.now])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.isEmpty, "\(result)")
            return result.stdout
        }
    }

    /// Group A: 12 from horeca in the zorg session of 2 February (9 attended, 1 accepted and did not
    /// come, 1 declined, 1 never answered; 7 found work). Group B: 7 from retail in the techniek session of 9 February
    /// (all attended; 2 found work). Group C: 6 from horeca in Amersfoort, invited to the
    /// logistiek session of 2 March (3 accepted). Group D: 5 imported and never placed.
    static func region() async throws -> Region {
        let fixture = try await ServiceFixture()
        var region = Region(fixture: fixture)
        let service = fixture.service
        _ = try await service.addPartner(name: "Hogeschool Utrecht", email: "roosters@hu.example.nl", slug: "hu", kind: .school, region: nil)
        let zorg = try await service.createSession(SessionOptions.fixture()).id
        var options = SessionOptions.fixture()
        options.sector = "techniek"
        options.audience = ["detailhandel"]
        options.partners = ["roc", "hu"]
        options.start = "2027-02-09 19:00"
        options.online = nil
        options.location = "Stationsplein 12, 3511 ED Utrecht"
        options.capacity = 10
        let techniek = try await service.createSession(options).id
        options.sector = "logistiek"
        options.partners = ["hu"]
        options.start = "2027-03-02 19:00"
        options.capacity = 8
        let logistiek = try await service.createSession(options).id

        var random = SeededRandom(seed: 21)
        let first = ["Fatima", "Jeroen", "Sanne", "Mehmet", "Anouk", "Pieter", "Ayse", "Daan", "Lotte", "Youssef"]
        let last = ["El Amrani", "de Vries", "Jansen", "Yilmaz", "Bakker", "Visser", "Smit", "Meijer"]
        var csv = ServiceFixture.csvHeader
        let groups = [(12, "horeca", "midden-utrecht"), (7, "detailhandel", "midden-utrecht"), (6, "horeca", "amersfoort"), (5, "horeca", "midden-utrecht")]
        var emails: [[String]] = []
        for (count, sector, place) in groups {
            var group: [String] = []
            for _ in 0..<count {
                let name = "\(first[random.next(first.count)]) \(last[random.next(last.count)])"
                let email = "\(name.lowercased().replacingOccurrences(of: " ", with: "."))\(region.people.count)@post.example.nl"
                region.people.append((name, email))
                group.append(email)
                csv += "\(email),\(name),\(sector),zorg|techniek|logistiek,\(place),nl,di 18:00-22:00,unemployed\n"
            }
            emails.append(group)
        }
        _ = try await service.importWorkers(path: try fixture.directory.write("workers.csv", csv), dryRun: false)
        let ids = Dictionary(uniqueKeysWithValues: try await service.workers().map { ($0.email, $0.id ?? 0) })

        func walk(_ session: Int64, _ email: String, _ events: [EnrollmentEvent]) async throws {
            let worker = ids[email] ?? 0
            try await service.store.write { tx in
                let placed: [EnrollmentEvent] = [.placedByOrganiser(override: nil), .invited]
                for event in placed + events {
                    let current = try await tx.enrollment(sessionID: session, workerID: worker)
                    try await service.applyLifecycle(event, sessionID: session, workerID: worker, from: current, tx)
                }
            }
        }
        for (index, email) in emails[0].enumerated() {
            try await walk(zorg, email, index < 10 ? [.answered(.accept)] : index == 10 ? [.answered(.decline)] : [])
        }
        for email in emails[1] { try await walk(techniek, email, [.answered(.accept)]) }
        for (index, email) in emails[2].enumerated() { try await walk(logistiek, email, index < 3 ? [.answered(.accept)] : []) }

        // After the sessions: the trainers' attendance lists decide attended and no-show (A12, who
        // never answered and has no mark, counts as absent), then outcomes are recorded: A1–A6 in
        // zorg after 10, 20 … 60 days, A7 in techniek after 70, A8 only in training; B1 and B2 in
        // techniek after 28 and 59 days.
        let later = OverstapService(
            store: service.store, settings: service.settings, catalogues: service.catalogues, clock: .fixed(Date(timeIntervalSince1970: 1_822_374_000)))
        func marks(_ emails: ArraySlice<String>, _ presence: Presence) -> [OverstapService.AttendanceMark] {
            emails.map { OverstapService.AttendanceMark(place: "test", who: .email($0), presence: presence) }
        }
        _ = try await later.recordAttendance(sessionID: zorg, meeting: nil, marks: marks(emails[0][0..<9], .attended) + marks(emails[0][9..<10], .noShow))
        _ = try await later.recordAttendance(sessionID: techniek, meeting: nil, marks: marks(emails[1][...], .attended))
        let session = LocalDate(year: 2027, month: 2, day: 2)
        for index in 0..<7 {
            _ = try await later.recordOutcome(
                email: emails[0][index], result: "found_work", sector: index < 6 ? "zorg" : "techniek",
                date: session.adding(days: (index + 1) * 10).description)
        }
        _ = try await later.recordOutcome(email: emails[0][7], result: "in_training", sector: "zorg", date: "2027-03-01")
        _ = try await later.recordOutcome(email: emails[1][0], result: "found_work", sector: "techniek", date: "2027-03-09")
        _ = try await later.recordOutcome(email: emails[1][1], result: "werk_gevonden", sector: "techniek", date: "2027-04-09")
        return region
    }

    @Test func theReportCountsTheRegionAndHidesWhatWouldRevealASmallCount() async throws {
        let region = try await Self.region()
        let csv = try region.report(["--period", "2027-Q1", "--format", "csv"])
        let rows = Set(csv.components(separatedBy: "\r\n"))
        for row in [
            "funnel,imported,people,30", "funnel,placed,people,25", "funnel,invited,people,25",
            // 25 invited, 21 answered: the 4 who did not answer would show; so would 1 decline, 4 who did not attend.
            "funnel,answered,people,x", "funnel,accepted,people,x", "funnel,attended,people,x", "funnel,found_work,people,9",
            "sector_flows,horeca,techniek,<5", "sector_flows,detailhandel,techniek,<5", "sector_flows,detailhandel,zorg,0",
            // Horeca → zorg (6) would give horeca → techniek from the horeca total, so it is hidden; the
            // horeca total would then give it back from the grand total 9, shared with the funnel.
            "sector_flows,horeca,zorg,x", "sector_flows,horeca,total,x", "sector_flows,detailhandel,total,<5",
            "sector_flows,total,zorg,x", "sector_flows,total,techniek,<5", "sector_flows,total,total,9",
            "time_to_work,days,people,9", "time_to_work,days,lower_quartile,28", "time_to_work,days,median,40", "time_to_work,days,upper_quartile,59",
            "sessions,1,seats,20", "sessions,1,no_shows,<5", "sessions,1,no_show_rate,", "partners,roc,no_shows,<5",
            "sessions,2,partners,ROC Midden Nederland|Hogeschool Utrecht", "sessions,2,no_shows,0",
            "partners,roc,seats,30", "partners,hu,seats,18",
        ] {
            #expect(rows.contains(row), "missing \(row)\n\(csv)")
        }

        let midden = try region.report(["--period", "2027-Q1", "--format", "csv", "--region", "midden-utrecht"])
        #expect(midden.contains("funnel,imported,people,24\r\n"))
        #expect(midden.contains("sessions,3,taken,0\r\n"), "the logistiek session has nobody from Midden-Utrecht")

        let json = try #require(try JSONSerialization.jsonObject(with: Data(try region.report(["--period", "2027-Q1", "--format", "json"]).utf8)) as? [String: Any])
        let flows = try #require(json["sector_flows"] as? [String: Any])
        let cells = try #require(flows["cells"] as? [[String: Any]])
        let hidden = try #require(cells.first { $0["from"] as? String == "horeca" && $0["to"] as? String == "techniek" }?["people"] as? [String: Any])
        #expect(hidden["value"] is NSNull && hidden["suppressed"] as? Bool == true)
        #expect((flows["total"] as? [String: Any])?["value"] as? Int == 9)
        #expect(flows["in_session_sector_share"] is NSNull, "a share needs both its counts printed")

        let text = try region.report(["--period", "2027-Q1"])
        #expect(text.contains("generated at 2027-10-01T09:00:00+02:00"))
        #expect(text.contains("9 people: lower quartile 28 days, median 40 days, upper quartile 59 days"))
    }

    @Test func theSameDataGivesTheSameBytesAndNoPersonalDataInAnyFormat() async throws {
        let region = try await Self.region()
        for format in ["text", "csv", "json", "html"] {
            for period in ["2027", "2027-Q1", "2027-02"] {
                let output = try region.report(["--period", period, "--format", format])
                #expect(output == (try region.report(["--period", period, "--format", format])), "\(format) \(period) differs between runs")
                for person in region.people {
                    #expect(!output.contains(person.email), "\(format) shows \(person.email)")
                    #expect(!output.contains(person.name), "\(format) shows \(person.name)")
                    let surname = person.name.split(separator: " ").dropFirst().joined(separator: " ")
                    #expect(!output.contains(surname), "\(format) shows the surname \(surname)")
                }
                for place in region.places { #expect(!output.contains(place), "\(format) shows \(place)") }
            }
        }
    }

    @Test func theHTMLReportIsOneSelfContainedPageWithThreeCharts() async throws {
        let region = try await Self.region()
        let html = try region.report(["--period", "2027-Q1", "--format", "html"])
        #expect(html.components(separatedBy: "<svg ").count - 1 == 3)
        for external in ["<script", "src=", "href=", "url(", "@import", "http:", "https:", "<link", "<img"] {
            #expect(!html.contains(external), "the page refers to something outside it: \(external)")
        }
        #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        #expect(html.contains("@media print"))
        #expect(html.contains("<td class=\"n\">&lt;5</td>"), "a small count reads <5")
        #expect(html.contains("generated at 2027-10-01T09:00:00+02:00"))
    }

    /// Chromium, when the machine has it (Debian package `chromium`).
    static let chromium = "/usr/bin/chromium"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: chromium)))
    func aBrowserDrawsTheChartsAndThePageFitsAPhoneWithoutScrollingSideways() async throws {
        let region = try await Self.region()
        let html = try region.report(["--period", "2027-Q1", "--format", "html"])
        // The report has no script of its own: a separate page holds it in a phone-wide frame and
        // writes what the browser measured into its title.
        let frame = html.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
        let probe = """
            <!DOCTYPE html><html><body style="margin:0"><iframe id="f" width="390" height="844" style="border:0" srcdoc="\(frame)"></iframe>
            <script>document.getElementById("f").onload = function () { var f = document.getElementById("f"), d = f.contentDocument;
            document.title = ["measured", d.documentElement.scrollWidth, f.contentWindow.innerWidth, d.querySelectorAll("svg").length,
            d.querySelectorAll("svg rect").length, d.querySelectorAll("svg text").length].join(" ") }</script></body></html>
            """
        let page = try region.fixture.directory.write("probe.html", probe)
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: Self.chromium)
        browser.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(region.fixture.directory.file("chromium"))", "--window-size=600,900",
            "--virtual-time-budget=5000", "--enable-logging=stderr", "--v=0", "--dump-dom", "file://\(page)",
        ]
        let output = region.fixture.directory.file("dom.html")
        let log = region.fixture.directory.file("chromium.log")
        FileManager.default.createFile(atPath: output, contents: nil)
        FileManager.default.createFile(atPath: log, contents: nil)
        browser.standardOutput = FileHandle(forWritingAtPath: output)
        browser.standardError = FileHandle(forWritingAtPath: log)
        try browser.run()
        browser.waitUntilExit()
        let dom = try String(contentsOfFile: output, encoding: .utf8)
        let title = try #require(dom.components(separatedBy: "<title>measured ").dropFirst().first?.components(separatedBy: "</title>").first)
        let numbers = title.split(separator: " ").compactMap { Int($0) }
        try #require(numbers.count == 5, "\(title)")
        #expect(numbers[1] == 390, "the frame is a phone's width")
        #expect(numbers[0] <= numbers[1], "the page is \(numbers[0]) px wide in a \(numbers[1]) px viewport")
        #expect(numbers[2] == 3, "funnel, sector flows and fill per session")
        #expect(numbers[3] >= 7 + 3 + 3 * 2, "a bar or a box for every count")
        #expect(numbers[4] > 0)
        let console = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").filter { $0.contains("CONSOLE") }
        #expect(console.isEmpty, "the browser console reported: \(console)")
    }
}
