@testable import Mail

/// Distinct limits, so a test can tell which timeout an action armed.
let distinctTimeouts = SMTPTimeouts(
    connect: .seconds(1), greeting: .seconds(2), mail: .seconds(3), rcpt: .seconds(4),
    dataInitiation: .seconds(5), dataBlock: .seconds(6), dataTermination: .seconds(7)
)

/// A short message addressed from the team to one participant.
let sampleMessage = OutgoingMessage(
    messageID: "1@overstap.test",
    envelopeSender: "team@overstap.test",
    recipient: "jan@example.nl",
    data: Array("Subject: Uitnodiging\r\n\r\nBeste Jan,\r\n".utf8)
)

/// The `250` reply to `EHLO` announcing `extensions`.
func ehloReply(_ extensions: [String]) -> String {
    let lines = ["mx.example.nl Hello"] + extensions
    return lines.enumerated().map { index, line in
        "250\(index == lines.count - 1 ? " " : "-")\(line)\r\n"
    }.joined()
}

/// The action writing `text` (a command with its CRLF) and waiting `timeout` for the answer.
func sending(_ text: String, timeout: Duration) -> SMTPClientStateMachine.Action {
    .send(Array(text.utf8), timeout: timeout)
}

extension SMTPClientStateMachine {
    /// A fresh machine with the distinct test timeouts.
    static func make(tls: SMTPTLSMode = .none, username: String? = nil, password: String? = nil) -> Self {
        SMTPClientStateMachine(configuration: SMTPConfiguration(
            host: "mx.example.nl", port: 587, tls: tls, username: username, password: password,
            heloName: "overstap.test", timeouts: distinctTimeouts
        ))
    }

    /// A plain-text session that was greeted and is ready for messages.
    static func ready(extensions: [String]) -> Self {
        var machine = make()
        _ = machine.connected()
        _ = machine.receive("220 mx.example.nl ESMTP\r\n")
        let action = machine.receive(ehloReply(extensions))
        precondition(action == .sessionReady, "setup did not finish: \(action)")
        return machine
    }

    /// Feeds text as one read from the server.
    mutating func receive(_ text: String) -> Action {
        bytesReceived(Array(text.utf8))
    }
}

extension SMTPClientStateMachine.Action {
    /// The transport error carried by a `.fail`, nil for any other action.
    var error: MailTransportError? {
        if case .fail(let error) = self { return error }
        return nil
    }

    /// The text written by a `.send` or `.sendContent`, nil for any other action.
    var sentText: String? {
        switch self {
        case .send(let bytes, _), .sendContent(let bytes, _): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }
}
