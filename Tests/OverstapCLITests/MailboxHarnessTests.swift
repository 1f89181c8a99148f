import Foundation
import OverstapTestSupport
import Testing

/// The contract `overstap reply ingest` lives by as a delivery program, checked with the real
/// programs a site runs: Debian's Dovecot holds the team mailbox, getmail6 fetches from it over
/// TLS and hands each new message to a program on standard input. The program here keeps what
/// it is handed (`DeliveryRecorder`); in production `overstap reply ingest` takes its place.
struct MailboxHarnessTests {
    @Test func getmailHandsEachNewMessageOnceAndLeavesTheMailboxAsItWas() throws {
        let server = try DovecotServer()
        defer { server.stop() }
        let replies = (1...3).map { Self.reply($0) }
        try server.deliver(replies)
        let recorder = try DeliveryRecorder()
        let getmail = try Getmail(server: server, program: recorder.program, arguments: ["reply", "ingest", "--config", "/etc/overstap/overstap.yaml"])

        let first = try getmail.run()
        #expect(first.status == 0, "\(first)")
        #expect(first.retrieved == 3, "\(first)")
        // Each message as stored, in delivery order; getmail writes line ends as LF.
        #expect(try recorder.handed() == replies.map(Self.withLFLineEnds), "\(first)")
        #expect(try recorder.arguments(1) == ["reply", "ingest", "--config", "/etc/overstap/overstap.yaml"])

        let second = try getmail.run()
        #expect(second.status == 0, "\(second)")
        #expect(second.retrieved == 0 && second.skipped == 3, "\(second)")
        #expect(try recorder.handed().count == 3)

        // People read the same mailbox: every message is still there, and still unread.
        #expect(try server.messageCount() == 3)
        #expect(try server.unseenCount() == 3)
    }

    /// getmail does not tell a temporary refusal (75, EX_TEMPFAIL) from any other: every
    /// non-zero exit is a delivery error, the message is not remembered and the next run hands it
    /// over again. This is why `reply ingest` as a delivery program exits only 0 or 75.
    @Test(arguments: [Int32(75), 1])
    func aMessageTheProgramRefusesIsHandedOverAgainByTheNextRun(status: Int32) throws {
        let server = try DovecotServer()
        defer { server.stop() }
        let replies = (1...3).map { Self.reply($0) }
        try server.deliver(replies)
        let recorder = try DeliveryRecorder()
        try recorder.refuse(containing: "Message-ID: <reply-2@example.net>", status: status)
        let getmail = try Getmail(server: server, program: recorder.program)

        let refused = try getmail.run()
        #expect(refused.status == 127, "getmail's exit status after a delivery error: \(refused)")
        #expect(refused.deliveryErrors == 1, "\(refused)")
        #expect(refused.errors.contains("error (\(status), "), "\(refused)")

        try recorder.acceptEverything()
        let retried = try getmail.run()
        #expect(retried.status == 0, "\(retried)")
        #expect(retried.retrieved == 1 && retried.skipped == 2, "\(retried)")
        #expect(try recorder.handed() == [replies[0], replies[1], replies[2], replies[1]].map(Self.withLFLineEnds))

        let after = try getmail.run()
        #expect(after.retrieved == 0, "\(after)")
        #expect(try server.messageCount() == 3)
    }

    /// A program that exits 0 but writes to standard error counts as failed unless the rc file
    /// says `ignore_stderr = true`; then the same message would be handed over, and applied, again.
    @Test(arguments: [true, false])
    func writingToStandardErrorCountsAsAFailureUnlessIgnored(ignoreStderr: Bool) throws {
        let server = try DovecotServer()
        defer { server.stop() }
        try server.deliver([Self.reply(1)])
        let recorder = try DeliveryRecorder()
        try recorder.writeOnStandardError("warning: something worth a log line")
        let getmail = try Getmail(server: server, program: recorder.program, ignoreStderr: ignoreStderr)

        let first = try getmail.run()
        #expect(first.status == (ignoreStderr ? 0 : 127), "\(first)")
        let second = try getmail.run()
        #expect(second.retrieved == (ignoreStderr ? 0 : 1), "\(second)")
        #expect(try recorder.handed().count == (ignoreStderr ? 1 : 2))
    }

    /// What reaches the program is the message after a round trip through Python's e-mail
    /// package, not the stored bytes: a parser of it must expect these changes.
    @Test func getmailRewritesHeadersButNotTheBodyOnTheWay() throws {
        let server = try DovecotServer()
        defer { server.stop() }
        let longLine = String(repeating: "x", count: 900)
        let message = Array([
            "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=example.net; dmarc=fail header.from=example.net",
            "Sender: Deelnemer <deelnemer@example.net>",
            "From: =?utf-8?q?J=C3=A9r=C3=B4me?= <deelnemer@example.net>",
            "Subject: Geaccepteerd: bijeenkomst",
            "Message-ID: <long@example.net>",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
            "Tot dan, één keer.",
            longLine,
            "",
        ].joined(separator: "\r\n").utf8)
        try server.deliver(message)
        let recorder = try DeliveryRecorder()
        let getmail = try Getmail(server: server, program: recorder.program)
        #expect(try getmail.run().status == 0)
        let handed = String(decoding: try #require(recorder.handed().first), as: UTF8.self)

        // A Return-Path first, made from Sender (else `<unknown>`) when the message has none.
        #expect(handed.hasPrefix("Return-Path: <deelnemer@example.net>\n"))
        // Header lines over 78 characters are folded again; unfolding gives the same value.
        #expect(handed.contains("""
            Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=example.net;
             dmarc=fail header.from=example.net\n
            """))
        // The body keeps its bytes (8-bit text, a 900-character line); line ends become LF.
        #expect(handed.hasSuffix("\n\nTot dan, één keer.\n\(longLine)\n"))
        #expect(!handed.contains("\r"))
    }

    /// The message getmail stores for reply `number`: a calendar answer as a mail server
    /// delivered it to the team mailbox, every header line under 78 characters.
    static func reply(_ number: Int) -> [UInt8] {
        Array([
            "Return-Path: <deelnemer\(number)@example.net>",
            "From: Deelnemer \(number) <deelnemer\(number)@example.net>",
            "To: mobiliteitsteam@example.org",
            "Subject: Geaccepteerd: Kennismaking zorg",
            "Message-ID: <reply-\(number)@example.net>",
            "MIME-Version: 1.0",
            "Content-Type: text/calendar; method=REPLY; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
            "BEGIN:VCALENDAR",
            "METHOD:REPLY",
            "BEGIN:VEVENT",
            "UID:session-\(number)@example.org",
            "ATTENDEE;PARTSTAT=ACCEPTED;CN=\"Deelnemer \(number)\":mailto:deelnemer\(number)@example.net",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ].joined(separator: "\r\n").utf8)
    }

    static func withLFLineEnds(_ message: [UInt8]) -> [UInt8] {
        Array(String(decoding: message, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").utf8)
    }
}

/// A delivery program for getmail's `MDA_external`: a shell script that keeps each message it
/// is handed as `N.eml` (from 1, in order) with its arguments in `N.args`, and exits 0, or the
/// status asked for when the message contains a given text.
struct DeliveryRecorder {
    let folder = TemporaryDirectory()

    /// The script's path, for the rc file's `path`.
    var program: String { folder.file("deliver.sh") }

    init() throws {
        try FileManager.default.createDirectory(atPath: folder.file("handed"), withIntermediateDirectories: true)
        try folder.write("deliver.sh", """
            #!/bin/sh
            dir="$(dirname "$0")"
            n=$(( $(ls "$dir/handed" | grep -c '\\.eml$') + 1 ))
            cat > "$dir/handed/$n.eml"
            printf '%s\\n' "$@" > "$dir/handed/$n.args"
            if [ -s "$dir/stderr" ]; then cat "$dir/stderr" >&2; fi
            if [ -s "$dir/refuse" ] && grep -q -F -f "$dir/refuse" "$dir/handed/$n.eml"; then exit "$(cat "$dir/status")"; fi
            exit 0

            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program)
    }

    /// From now on, exit `status` for every message that contains `text`.
    func refuse(containing text: String, status: Int32) throws {
        try folder.write("status", "\(status)\n")
        try folder.write("refuse", text + "\n")
    }

    /// From now on, exit 0 for every message.
    func acceptEverything() throws {
        try FileManager.default.removeItem(atPath: folder.file("refuse"))
    }

    /// From now on, write `text` on standard error for every message.
    func writeOnStandardError(_ text: String) throws {
        try folder.write("stderr", text + "\n")
    }

    /// Every message handed over so far, in order, as the program read it.
    func handed() throws -> [[UInt8]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.file("handed"))
        let numbers = names.filter { $0.hasSuffix(".eml") }.compactMap { Int($0.dropLast(4)) }.sorted()
        return try numbers.map { Array(try Data(contentsOf: URL(fileURLWithPath: folder.file("handed/\($0).eml")))) }
    }

    /// The arguments the program got with message `number`.
    func arguments(_ number: Int) throws -> [String] {
        try String(contentsOfFile: folder.file("handed/\(number).args"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}
