import Configuration
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OverstapCore

/// The settings every command needs, read from the layered configuration.
///
/// Keys: `database.url` (`sqlite:PATH`, default `sqlite:data/overstap.sqlite`, or
/// `postgres://USER@HOST[:PORT]/DB`), `database.password`, `database.tls`, `database.ca_file` (see
/// `DatabaseSettings`), `organiser.name`,
/// `organiser.email`, `organiser.region`, `timezone` (default `Europe/Amsterdam`), `templates.path`
/// (default `templates`), `catalogues.path` (folder with `sectors.yaml` and `regions.yaml`; default
/// the folder of the config file, else `config`), `calendar.alarm`, `matching.max_sessions_per_worker`,
/// `rsvp.deadline`, `rsvp.nudge`, `report.min_cell` and `retention.personal_data`.
public struct OverstapSettings: Sendable {
    /// A documented configuration key.
    public struct Key: Sendable {
        public var name: String
        public var defaultValue: String?
        public var isSecret: Bool
        public var help: String
    }

    /// Every key Overstap reads; `config check` reports keys in the file that are not here.
    public static let keys: [Key] = [
        Key(
            name: "database.url", defaultValue: "sqlite:data/overstap.sqlite", isSecret: false,
            help: "where the data lives: sqlite:PATH or postgres://USER@HOST[:PORT]/DATABASE (no password in it)"),
        Key(name: "database.password", defaultValue: nil, isSecret: true, help: "PostgreSQL password (secret; OVERSTAP_DATABASE_PASSWORD)"),
        Key(
            name: "database.tls", defaultValue: nil, isSecret: false,
            help: "PostgreSQL TLS: disable, require or verify-full (default disable on loopback, require otherwise)"),
        Key(name: "database.ca_file", defaultValue: nil, isSecret: false, help: "CA certificate (PEM) that signed the server's, for verify-full"),
        Key(
            name: "database.change_poll", defaultValue: nil, isSecret: false,
            help: "PostgreSQL behind a transaction-mode pooler: poll for changes this often (e.g. 2s) instead of LISTEN/NOTIFY"),
        Key(name: "organiser.name", defaultValue: "Mobiliteitsteam", isSecret: false, help: "the team's name as participants see it"),
        Key(name: "organiser.email", defaultValue: "mobiliteitsteam@example.org", isSecret: false, help: "the team mailbox: ORGANIZER and sender"),
        Key(name: "organiser.region", defaultValue: "midden-utrecht", isSecret: false, help: "the team's labour-market region"),
        Key(name: "timezone", defaultValue: "Europe/Amsterdam", isSecret: false, help: "zone of sessions and availability windows"),
        Key(name: "templates.path", defaultValue: "templates", isSecret: false, help: "folder with mail and page templates"),
        Key(name: "catalogues.path", defaultValue: nil, isSecret: false, help: "folder with sectors.yaml and regions.yaml"),
        Key(name: "calendar.alarm", defaultValue: "-PT1H", isSecret: false, help: "reminder alarm in invitations, or none"),
        Key(name: "matching.max_sessions_per_worker", defaultValue: "1", isSecret: false, help: "upcoming sessions one person may be placed in"),
        Key(name: "http.host", defaultValue: "127.0.0.1", isSecret: false, help: "address overstap serve listens on"),
        Key(name: "http.port", defaultValue: "8080", isSecret: false, help: "port overstap serve listens on"),
        Key(
            name: "http.public_url", defaultValue: nil, isSecret: false,
            help: "the base of every link in mails and feeds (default http://HOST:PORT of a concrete http.host)"),
        Key(name: "http.head_timeout", defaultValue: "PT10S", isSecret: false, help: "a request head must be whole this long after it starts"),
        Key(name: "http.idle_timeout", defaultValue: "PT60S", isSecret: false, help: "an idle connection is closed this long after its last answer"),
        Key(name: "rsvp.secret", defaultValue: nil, isSecret: true, help: "key that signs answer links (serve and outbox send refuse without one, except --demo)"),
        Key(
            name: "rsvp.deadline", defaultValue: "P2D", isSecret: false,
            help: "answer deadline before the first meeting (ISO 8601 duration); unanswered invitations expire then; or none"),
        Key(name: "rsvp.nudge", defaultValue: "P1D", isSecret: false, help: "one reminder to answer, this long before the answer deadline; or none"),
        Key(name: "reminders.offsets", defaultValue: "P1D,PT2H", isSecret: false, help: "reminders before each meeting, ISO 8601 durations"),
        Key(name: "mail.transport", defaultValue: "file", isSecret: false, help: "file (write .eml files) or smtp"),
        Key(name: "mail.directory", defaultValue: "data/mail", isSecret: false, help: "folder of the file transport"),
        Key(name: "mail.return_path", defaultValue: nil, isSecret: false, help: "envelope sender for bounces (default organiser.email)"),
        Key(name: "smtp.host", defaultValue: "localhost", isSecret: false, help: "mail server"),
        Key(name: "smtp.port", defaultValue: "587", isSecret: false, help: "mail server port (465 for tls: implicit)"),
        Key(name: "smtp.tls", defaultValue: "starttls", isSecret: false, help: "starttls, implicit or none"),
        Key(name: "smtp.ca_file", defaultValue: nil, isSecret: false, help: "extra trusted CA certificate (PEM)"),
        Key(name: "smtp.username", defaultValue: nil, isSecret: false, help: "login name, when the server wants AUTH"),
        Key(name: "smtp.password", defaultValue: nil, isSecret: true, help: "password for AUTH (secret)"),
        Key(name: "smtp.connections", defaultValue: "2", isSecret: false, help: "connections kept open to the server"),
        Key(name: "outbox.retry.first", defaultValue: "PT1M", isSecret: false, help: "wait after the first failed attempt"),
        Key(name: "outbox.retry.max", defaultValue: "PT1H", isSecret: false, help: "longest wait between attempts (doubling up to it)"),
        Key(name: "outbox.retry.give_up", defaultValue: "P2D", isSecret: false, help: "age after which a message fails"),
        Key(name: "report.min_cell", defaultValue: "5", isSecret: false, help: "counts below this are suppressed in reports (at least 2)"),
        Key(
            name: "retention.personal_data", defaultValue: "P18M", isSecret: false,
            help: "people are erased this long after their last session, outcome or import (ISO 8601: years, months, weeks, days)"),
    ]

    public var databaseURL: String
    /// The database `database.url` and its companion keys name.
    public var database: DatabaseSettings
    public var organiserName: String
    public var organiserEmail: String
    public var organiserRegion: String
    public var timezone: String
    public var templatesPath: String
    public var cataloguesPath: String
    public var calendarAlarm: String
    public var maxSessionsPerWorker: Int
    /// How mail leaves: transport, SMTP server and retries.
    public var mail: MailSettings
    public var httpHost: String
    public var httpPort: Int
    /// `http.public_url` as configured, without a trailing slash; nil when not set.
    public var configuredPublicURL: String?
    /// How long a request head may take to arrive whole, in seconds.
    public var httpHeadTimeout: TimeInterval
    /// How long a connection may stay open between requests, in seconds.
    public var httpIdleTimeout: TimeInterval
    /// The key of answer links; nil until configured.
    public var rsvpSecret: String?
    /// How long before each meeting reminders go out.
    public var reminderOffsets: [TimeInterval]
    /// How long before the first meeting an invitation must be answered (`rsvp.deadline`); nil: no deadline.
    public var answerDeadline: TimeInterval?
    /// How long before the answer deadline the one reminder to answer goes out (`rsvp.nudge`); nil: none.
    public var nudgeLead: TimeInterval?
    /// Counts from 1 to `reportMinCell - 1` are suppressed in reports.
    public var reportMinCell: Int
    /// How long a person's data is kept after their last session, outcome or import (`retention.personal_data`).
    public var retention: RetentionRule

    /// Reads the settings; `configFolder` is where the config file was found, if any.
    public init(reader: ConfigReader, configFolder: String?) throws(InputError) {
        func value(_ name: String) -> String {
            let key = Self.keys.first { $0.name == name }
            return reader.string(forKey: ConfigKey(name), isSecret: key?.isSecret ?? false) ?? key?.defaultValue ?? ""
        }
        databaseURL = value("database.url")
        database = try DatabaseSettings(
            url: databaseURL, password: value("database.password"), tls: value("database.tls"), caFile: value("database.ca_file"))
        database = try database.withChangePoll(value("database.change_poll"))
        organiserName = value("organiser.name")
        organiserEmail = value("organiser.email")
        organiserRegion = value("organiser.region")
        timezone = value("timezone")
        templatesPath = value("templates.path")
        let catalogues = value("catalogues.path")
        cataloguesPath = catalogues.isEmpty ? (configFolder ?? "config") : catalogues
        calendarAlarm = value("calendar.alarm")
        let maxText = value("matching.max_sessions_per_worker")
        guard let max = Int(maxText), max >= 1 else {
            throw InputError(place: "matching.max_sessions_per_worker", problem: "'\(maxText)' is not a positive whole number")
        }
        maxSessionsPerWorker = max
        if let problem = EmailAddress.problem(with: organiserEmail) {
            throw InputError(place: "organiser.email", problem: problem)
        }
        mail = try MailSettings(value: value, organiserEmail: organiserEmail)
        httpHost = value("http.host")
        let portText = value("http.port")
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw InputError(place: "http.port", problem: "'\(portText)' is not a port number (1 to 65535)")
        }
        httpPort = port
        let base = value("http.public_url").trimmingCharacters(in: .whitespaces)
        if base.isEmpty {
            configuredPublicURL = nil
        } else {
            guard let url = URL(string: base), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw InputError(place: "http.public_url", problem: "'\(base)' is not an http(s) URL", fix: "e.g. https://overstap.example.org")
            }
            configuredPublicURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        }
        func timeout(_ name: String) throws(InputError) -> TimeInterval {
            let text = value(name)
            guard let seconds = ISODuration.seconds(text), seconds > 0 else {
                throw InputError(place: name, problem: "'\(text)' is not a positive ISO 8601 duration", fix: "e.g. PT10S or PT1M")
            }
            return seconds
        }
        httpHeadTimeout = try timeout("http.head_timeout")
        httpIdleTimeout = try timeout("http.idle_timeout")
        let secret = value("rsvp.secret")
        rsvpSecret = secret.isEmpty ? nil : secret
        if let secret = rsvpSecret, secret.utf8.count < 32 {
            throw InputError(place: "rsvp.secret", problem: "is shorter than 32 characters", fix: "use a long random value, e.g. from: openssl rand -base64 48")
        }
        let offsets = value("reminders.offsets")
        reminderOffsets = []
        for part in offsets.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            guard let seconds = ISODuration.seconds(part), seconds > 0 else {
                throw InputError(place: "reminders.offsets", problem: "'\(part)' is not an ISO 8601 duration", fix: "e.g. P1D,PT2H")
            }
            reminderOffsets.append(seconds)
        }
        func optionalDuration(_ name: String, example: String) throws(InputError) -> TimeInterval? {
            let text = value(name).trimmingCharacters(in: .whitespaces)
            if text.lowercased() == "none" { return nil }
            guard let seconds = ISODuration.seconds(text), seconds > 0 else {
                throw InputError(
                    place: name, problem: "'\(text)' is not a positive ISO 8601 duration or none", fix: "e.g. \(example), or none to turn it off")
            }
            return seconds
        }
        answerDeadline = try optionalDuration("rsvp.deadline", example: "P2D or PT36H")
        nudgeLead = try optionalDuration("rsvp.nudge", example: "P1D or PT12H")
        let minCellText = value("report.min_cell")
        guard let minCell = Int(minCellText), minCell >= 2 else {
            throw InputError(place: "report.min_cell", problem: "'\(minCellText)' is not a whole number of at least 2", fix: "e.g. 5, as statistics offices use")
        }
        reportMinCell = minCell
        let retentionText = value("retention.personal_data")
        guard let retention = RetentionRule(retentionText) else {
            throw InputError(
                place: "retention.personal_data", problem: "'\(retentionText)' is not a positive ISO 8601 duration of years, months, weeks or days",
                fix: "e.g. P18M or P2Y")
        }
        self.retention = retention
        try SessionRules.singleLine(organiserName, place: "organiser.name", required: true)
        _ = try ZoneResolver(identifier: timezone, place: "timezone")
    }

    /// The base of every link in mails and feeds, without a trailing slash: `http.public_url`, else
    /// `http://HOST:PORT` from a concrete `http.host`. A wildcard host (`0.0.0.0`, `::`) names no
    /// address anyone can reach, so it needs `http.public_url`.
    public func publicURL() throws(InputError) -> String {
        if let configuredPublicURL { return configuredPublicURL }
        guard !Self.isWildcard(httpHost) else {
            throw InputError(
                place: "http.public_url",
                problem: "is not set, and http.host '\(httpHost)' listens on every address, so links cannot name one",
                fix: "set http.public_url (or OVERSTAP_HTTP_PUBLIC_URL) to the address people reach, e.g. https://overstap.example.org")
        }
        return "http://\(listenAddress)"
    }

    /// `http.host:http.port` as a URL writes it (an IPv6 address in brackets).
    public var listenAddress: String {
        let host = httpHost.contains(":") && !httpHost.hasPrefix("[") ? "[\(httpHost)]" : httpHost
        return "\(host):\(httpPort)"
    }

    /// Whether a listening address means "every address": empty, `*`, or an all-zero IPv4 or IPv6 address.
    static func isWildcard(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        if bare.isEmpty || bare == "*" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 { return v4.s_addr == 0 }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 { return withUnsafeBytes(of: &v6) { $0.allSatisfy { $0 == 0 } } }
        return false
    }

    /// The SQLite file path from `database.url`; refused for a PostgreSQL database.
    public func sqlitePath() throws(InputError) -> String {
        guard case .sqlite(let path) = database else {
            throw InputError(place: "database.url", problem: "names a PostgreSQL database, where this needs a SQLite file", fix: "use sqlite:PATH")
        }
        return path
    }

    /// The folder for files that belong with the data (the demo key): the SQLite file's folder, or
    /// `data` beside a PostgreSQL database.
    public var dataFolder: String {
        switch database {
        case .sqlite(let path): URL(fileURLWithPath: path).deletingLastPathComponent().path
        case .postgres: "data"
        }
    }
}
