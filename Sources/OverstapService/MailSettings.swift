import Foundation
import OverstapCore

/// The `mail.*`, `smtp.*` and `outbox.retry.*` settings.
public struct MailSettings: Sendable {
    /// Where messages go.
    public enum Transport: String, Sendable {
        case file, smtp
    }

    /// How the SMTP connection is protected.
    public enum TLS: String, Sendable {
        case starttls, implicit, none
    }

    public var transport: Transport
    public var directory: String
    public var returnPath: String
    public var smtpHost: String
    public var smtpPort: Int
    public var smtpTLS: TLS
    public var smtpCAFile: String?
    public var smtpUsername: String?
    public var smtpPassword: String?
    public var smtpConnections: Int
    public var retry: OutboxPolicy.Retry

    /// Reads and checks the keys through `value`, which falls back to each key's default.
    init(value: (String) -> String, organiserEmail: String) throws(InputError) {
        var problems: [InputError] = []
        func choice<T: RawRepresentable<String>>(_ key: String, _: T.Type, options: String) -> T? {
            let text = value(key)
            guard let parsed = T(rawValue: text.lowercased()) else {
                problems.append(InputError(place: key, problem: "'\(text)' is not one of \(options)"))
                return nil
            }
            return parsed
        }
        func number(_ key: String, in range: ClosedRange<Int>) -> Int {
            let text = value(key)
            guard let parsed = Int(text), range.contains(parsed) else {
                problems.append(InputError(place: key, problem: "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)"))
                return range.lowerBound
            }
            return parsed
        }
        func seconds(_ key: String) -> TimeInterval {
            let text = value(key)
            guard let parsed = ISODuration.seconds(text), parsed > 0 else {
                problems.append(InputError(place: key, problem: "'\(text)' is not an ISO 8601 duration", fix: "write e.g. PT30S, PT5M, PT2H or P2D"))
                return 60
            }
            return parsed
        }
        func optional(_ key: String) -> String? {
            let text = value(key)
            return text.isEmpty ? nil : text
        }
        transport = choice("mail.transport", Transport.self, options: "file, smtp") ?? .file
        directory = value("mail.directory")
        returnPath = optional("mail.return_path") ?? organiserEmail
        smtpHost = value("smtp.host")
        smtpPort = number("smtp.port", in: 1...65_535)
        smtpTLS = choice("smtp.tls", TLS.self, options: "starttls, implicit, none") ?? .starttls
        smtpCAFile = optional("smtp.ca_file")
        smtpUsername = optional("smtp.username")
        smtpPassword = optional("smtp.password")
        smtpConnections = number("smtp.connections", in: 1...16)
        retry = OutboxPolicy.Retry(first: seconds("outbox.retry.first"), maximum: seconds("outbox.retry.max"), giveUp: seconds("outbox.retry.give_up"))
        if let problem = EmailAddress.problem(with: returnPath) {
            problems.append(InputError(place: "mail.return_path", problem: problem))
        }
        if let first = problems.first { throw first }
    }
}
