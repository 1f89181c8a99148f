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
            guard method.allSatisfy({ $0.isLetter && $0.isASCII }), calendar.text.utf8.firstRange(of: "\nMETHOD:\(method)\r\n".utf8) != nil else {
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
        // One buffer for the whole message: every mail is composed, so no part is copied twice.
        let calendarBase64 = draft.calendar.map { MIMEEncoding.base64Lines(Array($0.text.utf8)) }
        if draft.calendar != nil {
            headers.append("Content-Type: multipart/mixed; boundary=\"\(boundary)mixed\"")
        } else {
            headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)alt\"")
        }
        var data = Array(headers.joined(separator: "\r\n").utf8)
        data.reserveCapacity(2 * (draft.text.utf8.count + draft.html.utf8.count + 2 * (calendarBase64?.count ?? 0)) + 2_048)
        data += MIMEEncoding.crlf + MIMEEncoding.crlf
        if let calendarBase64 {
            openPart(boundary + "mixed", ["Content-Type: multipart/alternative; boundary=\"\(boundary)alt\""], into: &data)
            alternativeParts(draft, calendarBase64: calendarBase64, boundary: boundary + "alt", into: &data)
            data += MIMEEncoding.crlf
            openPart(
                boundary + "mixed",
                [
                    "Content-Type: application/ics; name=\"invite.ics\"",
                    "Content-Disposition: attachment; filename=\"invite.ics\"",
                    "Content-Transfer-Encoding: base64",
                ], into: &data)
            data += calendarBase64
            data += MIMEEncoding.crlf
            data += Array("--\(boundary)mixed--\r\n".utf8)
        } else {
            alternativeParts(draft, calendarBase64: nil, boundary: boundary + "alt", into: &data)
        }
        return OutgoingMessage(messageID: draft.messageID, envelopeSender: draft.returnPath, recipient: draft.to.address, data: data)
    }

    /// The `multipart/alternative` body: text, HTML and (for iMIP) the calendar, closed.
    private static func alternativeParts(_ draft: MailDraft, calendarBase64: [UInt8]?, boundary: String, into data: inout [UInt8]) {
        openPart(boundary, ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"], into: &data)
        data += MIMEEncoding.quotedPrintable(draft.text)
        data += MIMEEncoding.crlf
        openPart(boundary, ["Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"], into: &data)
        data += MIMEEncoding.quotedPrintable(draft.html)
        data += MIMEEncoding.crlf
        if let calendar = draft.calendar, let calendarBase64 {
            openPart(
                boundary,
                ["Content-Type: text/calendar; method=\(calendar.method.uppercased()); charset=UTF-8", "Content-Transfer-Encoding: base64"],
                into: &data)
            data += calendarBase64
            data += MIMEEncoding.crlf
        }
        data += Array("--\(boundary)--\r\n".utf8)
    }

    /// A part's delimiter line and headers, up to the empty line before its content.
    private static func openPart(_ boundary: String, _ headers: [String], into data: inout [UInt8]) {
        data += Array("--\(boundary)\r\n".utf8)
        data += Array(headers.joined(separator: "\r\n").utf8)
        data += MIMEEncoding.crlf + MIMEEncoding.crlf
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
