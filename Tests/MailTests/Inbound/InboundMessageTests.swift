import Foundation
import Mail
import Testing

struct InboundMessageTests {
    static let calendar = "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n"

    func parse(_ text: String, limits: InboundLimits = .default) throws -> InboundMessage {
        try InboundMessage.parse(Array(text.utf8), limits: limits)
    }

    func refusal(_ bytes: [UInt8], limits: InboundLimits = .default) -> InboundMessageError? {
        do {
            _ = try InboundMessage.parse(bytes, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func foldedHeadersAndAnMboxLineAreRead() throws {
        let message = try parse("""
            From someone@example.nl  Mon Jan 11 09:14:03 2027
            Message-ID:
             <abc.123@host.example> (the id)
            From: "Jansen,
             Anouk" <anouk@Example.NL>
            Date: Mon, 11 Jan 2027 09:14:03 +0100 (CET)
            Content-Type: text/calendar;
            \tmethod=reply; charset=utf-8

            \(Self.calendar)
            """)
        #expect(message.messageID == "abc.123@host.example")
        #expect(message.from == InboundMailbox(address: "anouk@example.nl", displayName: "Jansen, Anouk"))
        #expect(message.date == Date(timeIntervalSince1970: 1_799_655_243))
        #expect(message.calendarParts.count == 1)
        #expect(message.calendarParts[0].method == "REPLY" && message.calendarParts[0].section == "1")
    }

    @Test(arguments: [
        ("Anouk <anouk@example.nl>", "anouk@example.nl", "Anouk"),
        ("anouk@EXAMPLE.nl (Anouk Jansen)", "anouk@example.nl", "Anouk Jansen"),
        ("=?UTF-8?Q?Jos=C3=A9_M=C3=BCller?= <jose@example.nl>", "jose@example.nl", "José Müller"),
        ("=?ISO-8859-1?B?SOls6G5l?= =?ISO-8859-1?Q?_Bos?= <h@example.org>", "h@example.org", "Hélène Bos"),
        ("\"Bos \\\"HB\\\" H.\" <h@example.org>, other@example.org", "h@example.org", "Bos \"HB\" H."),
        ("Team: anouk@example.nl;", "anouk@example.nl", nil),
        ("<@relay.example:anouk@example.nl>", "anouk@example.nl", nil),
        ("\"anouk\"@example.nl", "anouk@example.nl", nil),
    ] as [(String, String, String?)])
    func fromAddressesAreReadAsClientsWriteThem(header: String, address: String, name: String?) throws {
        #expect(InboundMailbox.parse(header) == InboundMailbox(address: address, displayName: name))
    }

    @Test func aFromWithoutAnAddressIsNil() {
        #expect(InboundMailbox.parse("undisclosed-recipients:;") == nil)
        #expect(InboundMailbox.parse("Anouk Jansen") == nil)
    }

    @Test func nestedPartsForwardedMessagesAndEncodingsAreFound() throws {
        let encoded = Data(Self.calendar.utf8).base64EncodedString()
        let message = try parse("""
            From: a@example.nl
            Content-Type: multipart/mixed; boundary=outer

            preamble
            --outer
            Content-Type: multipart/alternative; boundary="in ner"

            --in ner
            Content-Type: text/plain

            --outer is not a delimiter here when it has more text
            --in ner
            Content-Type: text/calendar; method=REPLY; charset=us-ascii
            Content-Transfer-Encoding: quoted-printable

            BEGIN:VCALENDAR=0D
            METHOD:RE=
            PLY=0D
            END:VCALENDAR=0D
            --in ner--
            --outer
            Content-Type: application/octet-stream; name="=?UTF-8?B?dWl0bm9kaWdpbmcuSUNT?="
            Content-Transfer-Encoding: base64

            \(encoded)
            --outer
            Content-Type: message/rfc822

            From: b@example.nl
            Content-Type: application/ics

            \(Self.calendar)
            --outer--
            epilogue
            """)
        #expect(message.calendarParts.map(\.section) == ["1.2", "2", "3"])
        #expect(message.calendarParts[0].text == "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r")
        #expect(message.calendarParts[1].filename == "uitnodiging.ICS" && message.calendarParts[1].text == Self.calendar)
        #expect(message.calendarParts.map(\.isForwarded) == [false, false, true])
        #expect(message.calendarParts[2].contentType == "application/ics")
    }

    @Test(arguments: [
        ("windows-1252", [0x80, 0x20, 0x93, 0x6A, 0x61, 0x94] as [UInt8], "€ “ja”"),
        ("iso-8859-1", [0x48, 0xE9, 0x6C, 0xE8, 0x6E, 0x65], "Hélène"),
        ("ISO-8859-15", [0xA4, 0x35], "€5"),
        ("utf-8", [0xC3, 0xA9, 0xC3, 0xA9, 0x6E], "één"),
        ("x-unknown", [0xC3, 0xA9], "é"),
        ("x-unknown", [0xE9], "é"),
    ])
    func charsetsBecomeUTF8(charset: String, bytes: [UInt8], text: String) throws {
        let head = Array("From: a@example.nl\r\nContent-Type: text/calendar; charset=\(charset)\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".utf8)
        let message = try InboundMessage.parse(head + bytes)
        #expect(message.calendarParts.first?.text == text)
    }

    @Test func anRFC2231FileNameMarksAnAttachmentAsCalendar() throws {
        let message = try parse("""
            From: a@example.nl
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: application/octet-stream
            Content-Disposition: attachment; filename*0*=UTF-8''uitnodiging%20%C3%A9;
             filename*1=".ics"

            \(Self.calendar)
            --b--
            """)
        #expect(message.calendarParts.first?.filename == "uitnodiging é.ics")
    }

    @Test func aQuestionWithoutCalendarHasNoParts() throws {
        let message = try parse("From: a@example.nl\nSubject: vraag\n\nKost de cursus iets?\n")
        #expect(message.calendarParts.isEmpty && message.from?.address == "a@example.nl")
    }

    @Test func aCutOffMultipartKeepsWhatArrived() throws {
        let message = try parse("From: a@example.nl\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/calendar\n\nBEGIN:VCALENDAR\n")
        #expect(message.calendarParts.first?.text == "BEGIN:VCALENDAR\n")
    }

    @Test func onlyTheTopmostAuthenticationResultsCounts() throws {
        let message = try parse("""
            Authentication-Results: spf=pass (sender IP is 40.107.22.55) smtp.mailfrom=contoso.nl; dkim=pass
             (signature was verified) header.d=contoso.nl;dmarc=fail action=quarantine header.from=Contoso.nl;compauth=fail reason=000
            Authentication-Results: relay.example; dmarc=pass header.from=contoso.nl
            From: x@contoso.nl

            hallo
            """)
        let results = try #require(message.authenticationResults)
        #expect(results.authservID == nil)
        #expect(results.statements.map(\.method) == ["spf", "dkim", "dmarc", "compauth"])
        #expect(results.dmarc?.result == "fail" && results.dmarcHeaderFrom == "contoso.nl")
        #expect(message.failedDMARCDomain == "contoso.nl")
        let passed = AuthenticationResults.parse("mx.example.nl 1; dmarc=pass (p=none) header.from=example.nl")
        #expect(passed.authservID == "mx.example.nl" && passed.dmarc?.result == "pass")
        #expect(try parse("From: a@example.nl\nAuthentication-Results: mx.example.nl; none\n\nx").failedDMARCDomain == nil)
    }

    @Test func datesInOldFormsAreRead() throws {
        let date = try parse("From: a@example.nl\nDate: 11 Jan 27 08:14 GMT\n\nx").date
        #expect(date == Date(timeIntervalSince1970: 1_799_655_240))
        #expect(try parse("From: a@example.nl\nDate: gisteren\n\nx").date == nil)
    }

    @Test func bytesThatAreNoMessageAreRefused() {
        #expect(refusal(Array("\r\n\r\nBEGIN:VCALENDAR".utf8))?.kind == .notAMessage)
        #expect(refusal([])?.kind == .notAMessage)
    }

    @Test func limitsAreTypedRefusalsWithTheirPlace() {
        var small = InboundLimits.default
        small.maximumBytes = 100
        #expect(refusal(Array(repeating: 65, count: 101), limits: small)?.kind == .tooLarge(bytes: 101, limit: 100))
        let long = refusal(Array(("From: a@example.nl\nSubject: " + String(repeating: "x", count: 20_000) + "\n\nx").utf8))
        #expect(long?.kind == .headerLineTooLong(limit: 16_384) && long?.line == 2)
        #expect(long?.description == "line 2: a header line is longer than 16384 bytes")
        var nested = "From: a@example.nl\n"
        for level in 0..<20 { nested += "Content-Type: multipart/mixed; boundary=b\(level)\n\n--b\(level)\n" }
        let deep = refusal(Array(nested.utf8))
        #expect(deep?.kind == .tooDeep(limit: 12) && deep?.section == "1.1.1.1.1.1.1.1.1.1.1.1.1")
        let many = "From: a@example.nl\nContent-Type: multipart/mixed; boundary=b\n\n" + String(repeating: "--b\n\n", count: 600)
        #expect(refusal(Array(many.utf8))?.kind == .tooManyParts(limit: 500))
        let fields = "From: a@example.nl\n" + String(repeating: "X-A: 1\n", count: 2_100) + "\nx"
        #expect(refusal(Array(fields.utf8))?.kind == .tooManyHeaderFields(limit: 2_000))
    }
}
