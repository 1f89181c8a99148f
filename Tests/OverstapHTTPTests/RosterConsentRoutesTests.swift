import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OverstapCore
import OverstapHTTP
import OverstapService
import OverstapTestSupport
import Testing

/// The roster question on the answer page: asked after "Ik kom", no until the person says yes,
/// changeable later, kept as a history, and what the trainer's list (`session roster`) shows.
struct RosterConsentRoutesTests {
    let answers: AnswerRoutesTests

    init() async throws {
        answers = try await AnswerRoutesTests()
    }

    var service: OverstapService { answers.service }

    /// Posts a form body and returns the response.
    static func post(_ client: some TestClientProtocol, _ uri: String, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    /// The text version the page carries in its roster form.
    static func textVersion(in html: String) throws -> String {
        let marker = "name=\"text_version\" value=\""
        let start = try #require(html.range(of: marker)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    /// The roster as the organiser gets it: the built `overstap` on this test's database.
    func rosterCSV() throws -> String {
        let cli = CLI()
        let result = try cli.run(
            ["session", "roster", "1", "--format", "csv"], env: ["OVERSTAP_DATABASE_URL": try TestDatabase(in: answers.directory).url])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    /// The stored consent history, oldest first, as `agreed|locale|text_version|answered_at`.
    func history() throws -> [String] {
        try DatabaseShell.rows(
            "SELECT CASE WHEN agreed THEN 1 ELSE 0 END, locale, text_version, answered_at FROM roster_consent ORDER BY id",
            in: try TestDatabase(in: answers.directory))
    }

    @Test func afterIkKomThePageAsksWhetherTheNamedPartnerMaySeeYouWithNoChosen() async throws {
        let anouk = try await answers.path(of: "anouk@example.org")
        let bram = try await answers.path(of: "bram@example.org")
        try await answers.app().test(.router) { client in
            let before = String(buffer: try await client.execute(uri: anouk, method: .get).body)
            #expect(!before.contains("name=\"roster\""), "nobody is asked before they say they will come")
            let accepted = try await AnswerRoutesTests.post(client, anouk, "accept")
            let page = String(buffer: try await AnswerRoutesTests.follow(client, from: anouk, accepted).body)
            #expect(page.contains("<h2>Uw naam op de presentielijst</h2>"))
            #expect(page.contains("Mag ROC Midden Nederland, de opleider van deze sessie, uw naam en e-mailadres zien?"))
            #expect(page.contains("<input type=\"radio\" name=\"roster\" value=\"no\" checked>Nee, liever niet"))
            #expect(page.contains("<input type=\"radio\" name=\"roster\" value=\"yes\">Ja, dat mag"))
            #expect(!page.contains("<script"), "a plain form: works without JavaScript")
            _ = try await AnswerRoutesTests.post(client, bram, "accept")
            let english = String(buffer: try await client.execute(uri: bram, method: .get).body)
            #expect(english.contains("May ROC Midden Nederland, the education partner of this session, see your name and e-mail address?"))
        }
        #expect(try rosterCSV() == "nr,naam,e-mail,aanwezig\r\n1,,,\r\n2,,,\r\n", "no answer is no")
        #expect(try history().isEmpty, "showing the question records nothing")
    }

    @Test func consentGivenAndWithdrawnIsWhatTheTrainersListShowsAndTheHistoryIsKept() async throws {
        let anouk = try await answers.path(of: "anouk@example.org")
        let token = try #require(anouk.split(separator: "/").last)
        try await answers.app().test(.router) { client in
            _ = try await AnswerRoutesTests.post(client, anouk, "accept")
            let version = try Self.textVersion(in: String(buffer: try await client.execute(uri: anouk, method: .get).body))
            let given = try await Self.post(client, anouk, "roster=yes&text_version=\(version)")
            #expect(given.status == .seeOther && given.headers[.location] == "\(token)?roster=saved")
            let saved = String(buffer: try await AnswerRoutesTests.follow(client, from: anouk, given).body)
            #expect(saved.contains("Opgeslagen: de opleider mag uw naam en e-mailadres zien."))
            #expect(saved.contains("value=\"yes\" checked>") && !saved.contains("value=\"no\" checked>"))
            let named = try rosterCSV()
            #expect(named == "nr,naam,e-mail,aanwezig\r\n1,,,\r\n2,Anouk,anouk@example.org,\r\n", "\(named)")

            let withdrawn = try await Self.post(client, anouk, "roster=no&text_version=\(version)")
            #expect(withdrawn.status == .seeOther)
            let after = String(buffer: try await AnswerRoutesTests.follow(client, from: anouk, withdrawn).body)
            #expect(after.contains("Opgeslagen: de opleider ziet alleen een nummer") && after.contains("value=\"no\" checked>"))
            #expect(try rosterCSV() == "nr,naam,e-mail,aanwezig\r\n1,,,\r\n2,,,\r\n")
            let answeredAt = DatabaseShell.instant("2027-01-10 08:00:00")
            #expect(try history() == ["1|nl|\(version)|\(answeredAt)", "0|nl|\(version)|\(answeredAt)"])
            #expect(version == OverstapService.RosterConsentText(partners: ["ROC Midden Nederland"], locale: "nl").version)
        }
    }

    @Test func aStaleTextAGETOrSomeoneWhoIsNotComingChangesNothing() async throws {
        let anouk = try await answers.path(of: "anouk@example.org")
        let bram = try await answers.path(of: "bram@example.org")
        let version = OverstapService.RosterConsentText(partners: ["ROC Midden Nederland"], locale: "nl").version
        try await answers.app().test(.router) { client in
            let notComing = try await Self.post(client, anouk, "roster=yes&text_version=\(version)")
            #expect(notComing.status == .conflict && !String(buffer: notComing.body).contains("name=\"roster\""))
            _ = try await AnswerRoutesTests.post(client, anouk, "accept")
            #expect(try await client.execute(uri: anouk + "?roster=yes", method: .get).status == .ok)
            let stale = try await Self.post(client, anouk, "roster=yes&text_version=0123456789abcdef")
            #expect(stale.status == .conflict, "the page showed another text: read the current one first")
            #expect(String(buffer: stale.body).contains("name=\"text_version\" value=\"\(version)\""))
            #expect(try await Self.post(client, anouk, "roster=perhaps&text_version=\(version)").status == .badRequest)
            let forged = try await Self.post(client, String(bram.dropLast(2)) + "xx", "roster=yes&text_version=\(version)")
            #expect(forged.status == .notFound)
        }
        #expect(try history().isEmpty)
        #expect(try rosterCSV() == "nr,naam,e-mail,aanwezig\r\n1,,,\r\n2,,,\r\n")
    }

    @Test func theInvitationMailLinksToTheQuestionForThoseWhoAnswerInTheirCalendar() async throws {
        _ = try await service.sendDue(through: service.mailTransport())
        let folder = answers.directory.file("mail")
        let mails = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".eml") }.map { name in
            try String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8).replacingOccurrences(of: "=\r\n", with: "")
                .replacingOccurrences(of: "=3D", with: "=")
        }
        let anouk = try await answers.path(of: "anouk@example.org")
        let mail = try #require(mails.first { $0.contains("https://overstap.example.org\(anouk)#roster") })
        #expect(mail.contains("Dat kiest u op uw antwoordpagina, ook als u in uw agenda heeft geaccepteerd"))
    }

    @Test func erasingAPersonDeletesTheirConsentRecords() async throws {
        let anouk = try await answers.path(of: "anouk@example.org")
        let version = OverstapService.RosterConsentText(partners: ["ROC Midden Nederland"], locale: "nl").version
        try await answers.app().test(.router) { client in
            _ = try await AnswerRoutesTests.post(client, anouk, "accept")
            #expect(try await Self.post(client, anouk, "roster=yes&text_version=\(version)").status == .seeOther)
        }
        #expect(try history().count == 1)
        try await service.removeWorker(email: "anouk@example.org", transport: service.mailTransport())
        #expect(try history().isEmpty)
        #expect(!(try rosterCSV().contains("Anouk")))
    }
}
