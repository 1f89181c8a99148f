import Foundation
import Mail
import OverstapTestSupport
import Testing

/// A composed iMIP invitation through the SMTP client to a real server, read back by an
/// independent MIME parser.
struct IMIPDeliveryTests {
    @Test func anInvitationWithAHostileNameArrivesIntactWithOneSafeToHeader() async throws {
        let server = try SMTPTestServer(["--tls", "starttls"])
        defer { server.stop() }
        var draft = MIMEComposerTests.draft(name: "Zoë \"de\" Wit\r\nBcc: iedereen@example.org\r\n\r\nnep-inhoud")
        draft.subject = "Uitnodiging: Van keuken naar zorg – café ☕"
        let message = try MIMEComposer.compose(draft)
        let transport = SMTPTransport(
            configuration: SMTPConfiguration(
                host: "localhost", port: server.port, tls: .starttls, caFile: server.certificateFile, timeouts: .all(.seconds(15))))
        #expect(try await transport.send(message) == .delivered(MailReply(code: 250, enhancedCode: "2.0.0", lines: ["queued as 1"])))
        await transport.close()

        let received = try #require(try server.receivedMessages().first)
        #expect(received.recipients == ["anouk@example.org"] && received.sender == "bounces@example.org")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("imip-\(UUID().uuidString).eml")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(received.data).write(to: file)
        let parsed = try PythonMIMEParser.parse(file: file.path)
        let headers = (parsed["headers"] as? [[String]] ?? []).map { $0[0].lowercased() }
        #expect(headers.filter { $0 == "to" }.count == 1 && !headers.contains("bcc"))
        #expect((parsed["to_name"] as? String)?.hasPrefix("Zoë \"de\" Wit") == true)
        #expect((parsed["headers"] as? [[String]])?.first { $0[0] == "Subject" }?[1] == draft.subject)
        let parts = ((parsed["structure"] as? [String: Any])?["parts"] as? [[String: Any]]) ?? []
        let calendar = ((parts.first?["parts"] as? [[String: Any]]) ?? []).first { $0["type"] as? String == "text/calendar" }
        #expect((calendar?["params"] as? [String: String])?["method"] == "REQUEST")
        #expect(calendar?["content"] as? String == MIMEComposerTests.invitation)
        #expect(parts.last?["filename"] as? String == "invite.ics" && parts.last?["content"] as? String == MIMEComposerTests.invitation)
    }
}
