import Foundation
import Mail
import OverstapTestSupport
import Testing

struct MIMEComposerTests {
    static let invitation = """
        BEGIN:VCALENDAR\r
        PRODID:-//Overstap//NL\r
        VERSION:2.0\r
        METHOD:REQUEST\r
        BEGIN:VEVENT\r
        UID:3f1c@example.org\r
        SUMMARY:Van keuken naar zorg – informatieavond ☕\r
        END:VEVENT\r
        END:VCALENDAR\r

        """

    static func draft(name: String = "Anouk de Vries", subject: String = "Uitnodiging: Van keuken naar zorg") -> MailDraft {
        MailDraft(
            messageID: "17.a1b2c3@example.org", date: Date(timeIntervalSince1970: 1_799_568_000),
            from: MailAddress(name: "Mobiliteitsteam Midden-Utrecht", address: "team@example.org"),
            to: MailAddress(name: name, address: "anouk@example.org"), returnPath: "bounces@example.org", subject: subject,
            text: "Beste Anouk,\n\nU bent uitgenodigd voor “Van keuken naar zorg”.\n.\nGroet", html: "<p>Beste Anouk,</p>",
            calendar: .init(text: invitation, method: "REQUEST"))
    }

    func parsed(_ message: OutgoingMessage) throws -> [String: Any] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mime-\(UUID().uuidString).eml")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(message.data).write(to: directory)
        return try PythonMIMEParser.parse(file: directory.path)
    }

    func lines(_ message: OutgoingMessage) -> [ArraySlice<UInt8>] {
        message.data.split(separator: 10, omittingEmptySubsequences: false).dropLast()
    }

    @Test func anInvitationHasTheIMIPLayoutWithMatchingMethod() throws {
        let message = try MIMEComposer.compose(Self.draft())
        #expect(message.recipient == "anouk@example.org" && message.envelopeSender == "bounces@example.org")
        let view = try parsed(message)
        #expect(view["defects"] as? [String] == [])
        let root = try #require(view["structure"] as? [String: Any])
        #expect(root["type"] as? String == "multipart/mixed")
        let parts = try #require(root["parts"] as? [[String: Any]])
        #expect(parts.map { $0["type"] as? String } == ["multipart/alternative", "application/ics"])
        let alternative = try #require(parts[0]["parts"] as? [[String: Any]])
        #expect(alternative.map { $0["type"] as? String } == ["text/plain", "text/html", "text/calendar"])
        #expect((alternative[2]["params"] as? [String: String])?["method"] == "REQUEST")
        #expect(alternative[2]["content"] as? String == Self.invitation)
        #expect(alternative[0]["content"] as? String == "Beste Anouk,\r\n\r\nU bent uitgenodigd voor “Van keuken naar zorg”.\r\n.\r\nGroet")
        #expect(parts[1]["filename"] as? String == "invite.ics" && parts[1]["disposition"] as? String == "attachment")
        #expect(parts[1]["content"] as? String == Self.invitation)
    }

    @Test func aNameWithLineBreaksAndNonASCIIStaysOneSafeHeader() throws {
        let message = try MIMEComposer.compose(Self.draft(name: "Çelik 😀\r\nBcc: everyone@example.org\nX-Evil: 1"))
        let view = try parsed(message)
        let names = (view["headers"] as? [[String]] ?? []).map { $0[0].lowercased() }
        #expect(!names.contains("bcc") && !names.contains("x-evil"))
        #expect(names.filter { $0 == "to" }.count == 1)
        let name = (view["to_name"] as? String ?? "").filter { !$0.isWhitespace }
        #expect(name == "Çelik😀Bcc:everyone@example.orgX-Evil:1")
        #expect(view["to_address"] as? String == "anouk@example.org")
    }

    @Test func noLineIsLongerThan998OctetsAndEveryLineEndsInCRLF() throws {
        var draft = Self.draft(subject: String(repeating: "Omscholing naar de zorg ", count: 200) + String(repeating: "é", count: 500))
        draft.text = String(repeating: "x", count: 20_000)
        draft.html = String(repeating: "<b>€</b>", count: 5_000)
        let message = try MIMEComposer.compose(draft)
        #expect(lines(message).allSatisfy { $0.count <= 998 && $0.last == 13 })
        let view = try parsed(message)
        let subject = (view["headers"] as? [[String]])?.first { $0[0] == "Subject" }?[1]
        #expect(subject == draft.subject)
    }

    /// The header section's lines, folded as they were written.
    func headerLines(_ message: OutgoingMessage) -> [String] {
        let text = String(decoding: message.data, as: UTF8.self)
        return text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
    }

    func header(_ view: [String: Any], _ name: String) -> String? {
        (view["headers"] as? [[String]])?.first { $0[0] == name }?[1]
    }

    @Test func longHeadersAreFoldedAt78OctetsAndReadBackWhole() throws {
        let subject = "Uitnodiging voor de informatieavond “Van keuken naar zorg” in Utrecht – één avond, geen kosten, "
            + "koffie ☕ en een rondleiding door de opleiding Verzorgende IG op dinsdag 2 februari 2027 😀"
        let name = "Çelik-van den Broek-Öztürk " + String(repeating: "Ğülşen ", count: 12) + "😀"
        let message = try MIMEComposer.compose(Self.draft(name: name, subject: subject))
        let lines = headerLines(message)
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines.filter { $0.utf8.count > 78 })")
        #expect(lines.filter { $0.hasPrefix(" ") }.count > 4, "the long headers are folded, not cut")
        let view = try parsed(message)
        #expect(view["defects"] as? [String] == [])
        #expect(header(view, "Subject") == subject)
        #expect(view["to_name_rfc2047"] as? String == name)
        #expect(view["to_address"] as? String == "anouk@example.org")
    }

    @Test func aLongASCIISubjectIsFoldedAtSpacesAndAWordLongerThanALineIsNeverCut() throws {
        let spaced = String(repeating: "Omscholing naar de zorg, ", count: 12) + "slot"
        let unbroken = "Zie https://example.org/" + String(repeating: "lang-pad/", count: 30) + " voor meer"
        for subject in [spaced, unbroken] {
            let message = try MIMEComposer.compose(Self.draft(subject: subject))
            #expect(headerLines(message).allSatisfy { $0.utf8.count <= 78 })
            #expect(header(try parsed(message), "Subject") == subject)
        }
        let readable = headerLines(try MIMEComposer.compose(Self.draft(subject: spaced)))
        #expect(readable.contains { $0.hasPrefix("Subject: Omscholing naar de zorg,") }, "plain ASCII stays plain")
    }

    @Test func aLongASCIIDisplayNameIsFoldedAndReadBackWhole() throws {
        let name = String(repeating: "Johannes \"Jan\" Hendrikus ", count: 20).trimmingCharacters(in: .whitespaces)
        let message = try MIMEComposer.compose(Self.draft(name: name))
        #expect(headerLines(message).allSatisfy { $0.utf8.count <= 78 })
        let view = try parsed(message)
        #expect(view["to_name"] as? String == name)
        #expect(view["to_address"] as? String == "anouk@example.org")
    }

    @Test func composingTwiceGivesTheSameBytes() throws {
        #expect(try MIMEComposer.compose(Self.draft()).data == MIMEComposer.compose(Self.draft()).data)
    }

    @Test func theTextIsQuotedPrintableWithEveryLineEndAsCRLFAndReadsBackTheSame() throws {
        var draft = Self.draft()
        draft.text = "Beste Anouk,\r\nRegel één = twee \r\nlosse CR\rlosse LF\neinde met tab\t\n" + String(repeating: "lang ", count: 20) + "\n.punt"
        let message = try MIMEComposer.compose(draft)
        let encoded = "Beste Anouk,\r\nRegel =C3=A9=C3=A9n =3D twee=20\r\nlosse CR\r\nlosse LF\r\neinde met tab=09\r\n"
            + "lang lang lang lang lang lang lang lang lang lang lang lang lang lang lang =\r\nlang lang lang lang lang=20\r\n.punt"
        #expect(String(decoding: message.data, as: UTF8.self).contains("quoted-printable\r\n\r\n" + encoded + "\r\n--"))
        let root = try #require(try parsed(message)["structure"] as? [String: Any])
        let alternative = try #require((root["parts"] as? [[String: Any]])?.first?["parts"] as? [[String: Any]])
        let plain = (alternative.first?["content"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(plain == draft.text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n"))
    }

    @Test(arguments: [0, 951_782_400, 1_799_568_000, 1_861_919_999, -86_401, 4_107_542_400])
    func theDateHeaderIsRFC5322InUTC(seconds: Int) throws {
        var draft = Self.draft()
        draft.date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        #expect(headerLines(try MIMEComposer.compose(draft)).first == "Date: " + formatter.string(from: draft.date))
    }

    @Test func aReminderWithoutCalendarIsAlternativeOnly() throws {
        var draft = Self.draft()
        draft.calendar = nil
        let root = try #require(try parsed(try MIMEComposer.compose(draft))["structure"] as? [String: Any])
        #expect(root["type"] as? String == "multipart/alternative")
        #expect((root["parts"] as? [[String: Any]])?.map { $0["type"] as? String } == ["text/plain", "text/html"])
    }

    @Test(arguments: [
        ("anouk@example.org", true), ("a@b", true), ("o'brien+zorg@example.org", true), ("", false), ("@example.org", false),
        ("anouk@", false), ("a@b@example.org", false), ("anouk @example.org", false), ("anouk@exämple.org", false),
        ("<anouk@example.org>", false), ("anouk@example.org;x", false), ("a\"b@example.org", false), ("a\tb@example.org", false),
        (String(repeating: "a", count: 240) + "@example.org", true), (String(repeating: "a", count: 243) + "@example.org", false),
    ])
    func aSafeAddressHasOneAtBetweenPrintableASCIIThatCannotRestructureALine(address: String, safe: Bool) {
        #expect(MailAddress(address: address).isSafeAddress == safe)
    }

    @Test func unusableAddressesAndAMethodMismatchAreRefused() {
        var draft = Self.draft()
        draft.to.address = "anouk@example.org>\r\nBcc: x@example.org"
        #expect(throws: MailCompositionError.self) { try MIMEComposer.compose(draft) }
        draft = Self.draft()
        draft.calendar?.method = "CANCEL"
        #expect { try MIMEComposer.compose(draft) } throws: { "\($0)".contains("method=CANCEL") }
    }
}

struct FileTransportTests {
    @Test func aMessageBecomesOneFileAndARetryReplacesIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let transport = FileTransport(directory: folder)
        let message = try MIMEComposer.compose(MIMEComposerTests.draft())
        #expect(try await transport.send(message) == .delivered(nil))
        #expect(try await transport.send(message) == .delivered(nil))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["17.a1b2c3@example.org.eml"])
        let written = try Data(contentsOf: URL(fileURLWithPath: transport.path(of: message.messageID)))
        #expect(written.starts(with: Data("Return-Path: <bounces@example.org>\r\nDate: ".utf8)))
    }

    @Test func anUnwritableFolderIsATransportFailure() async throws {
        let transport = FileTransport(directory: "/proc/overstap-mail")
        await #expect(throws: MailTransportError.self) { try await transport.send(try MIMEComposer.compose(MIMEComposerTests.draft())) }
    }
}
