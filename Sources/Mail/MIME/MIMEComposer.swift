import Foundation

/// Why a draft cannot become a message.
public struct MailCompositionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and where.
    public var description: String
}

/// Turns a draft into the bytes of an iMIP message:
/// `multipart/mixed` [ `multipart/alternative` [text, HTML, `text/calendar; method=X`], `invite.ics` ],
/// or `multipart/alternative` [text, HTML] when there is no calendar part.
public enum MIMEComposer {
    /// Composes the message and its envelope.
    public static func compose(_ draft: MailDraft) throws(MailCompositionError) -> OutgoingMessage {
        for (field, mailbox) in [("From", draft.from), ("To", draft.to)] where !mailbox.isSafeAddress {
            throw MailCompositionError(description: "\(field): '\(MIMEEncoding.headerSafe(mailbox.address))' is not a usable e-mail address")
        }
        guard MailAddress(address: draft.returnPath).isSafeAddress else {
            throw MailCompositionError(description: "Return-Path: '\(MIMEEncoding.headerSafe(draft.returnPath))' is not a usable e-mail address")
        }
        guard MailAddress(address: draft.messageID).isSafeAddress else {
            throw MailCompositionError(description: "Message-ID: '\(MIMEEncoding.headerSafe(draft.messageID))' is not of the form unique@domain")
        }
        if let calendar = draft.calendar {
            let method = calendar.method.uppercased()
            guard method.allSatisfy({ $0.isLetter && $0.isASCII }), calendar.text.contains("\nMETHOD:\(method)\r\n") else {
                throw MailCompositionError(description: "text/calendar: the part's method=\(calendar.method) differs from the object's METHOD")
            }
        }
        let boundary = Self.boundary(for: draft.messageID)
        var headers = [
            "Date: \(MIMEEncoding.date(draft.date))",
            MIMEEncoding.mailbox("From", displayName: draft.from.name, address: draft.from.address),
            MIMEEncoding.mailbox("To", displayName: draft.to.name, address: draft.to.address),
            MIMEEncoding.unstructured("Subject", draft.subject),
            "Message-ID: <\(draft.messageID)>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
        ]
        var body: [UInt8] = []
        let alternative = alternativeParts(draft)
        if let calendar = draft.calendar {
            headers.append("Content-Type: multipart/mixed; boundary=\"\(boundary)mixed\"")
            body = multipart(boundary: boundary + "mixed", parts: [
                part(["Content-Type: multipart/alternative; boundary=\"\(boundary)alt\""], multipart(boundary: boundary + "alt", parts: alternative)),
                part(
                    [
                        "Content-Type: application/ics; name=\"invite.ics\"",
                        "Content-Disposition: attachment; filename=\"invite.ics\"",
                        "Content-Transfer-Encoding: base64",
                    ], MIMEEncoding.base64Lines(Array(calendar.text.utf8))),
            ])
        } else {
            headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)alt\"")
            body = multipart(boundary: boundary + "alt", parts: alternative)
        }
        let data = Array(headers.joined(separator: "\r\n").utf8) + MIMEEncoding.crlf + MIMEEncoding.crlf + body
        return OutgoingMessage(messageID: draft.messageID, envelopeSender: draft.returnPath, recipient: draft.to.address, data: data)
    }

    private static func alternativeParts(_ draft: MailDraft) -> [[UInt8]] {
        var parts = [
            part(["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"], MIMEEncoding.quotedPrintable(draft.text)),
            part(["Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"], MIMEEncoding.quotedPrintable(draft.html)),
        ]
        if let calendar = draft.calendar {
            parts.append(part(
                ["Content-Type: text/calendar; method=\(calendar.method.uppercased()); charset=UTF-8", "Content-Transfer-Encoding: base64"],
                MIMEEncoding.base64Lines(Array(calendar.text.utf8))))
        }
        return parts
    }

    private static func part(_ headers: [String], _ content: [UInt8]) -> [UInt8] {
        Array(headers.joined(separator: "\r\n").utf8) + MIMEEncoding.crlf + MIMEEncoding.crlf + content
    }

    private static func multipart(boundary: String, parts: [[UInt8]]) -> [UInt8] {
        var body: [UInt8] = []
        for part in parts {
            body += Array("--\(boundary)\r\n".utf8) + part + MIMEEncoding.crlf
        }
        return body + Array("--\(boundary)--\r\n".utf8)
    }

    /// A boundary that cannot occur in quoted-printable or base64 content (they never contain `=_`),
    /// derived from the Message-ID so a retry produces the same bytes.
    private static func boundary(for messageID: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in messageID.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return "=_overstap_\(String(hash, radix: 36))_"
    }
}
