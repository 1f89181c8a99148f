import Foundation
import OverstapCore
import OverstapStore

/// Which database the settings name: `database.url`, `database.password`, `database.tls`, `database.ca_file`.
///
/// `database.tls` defaults to `disable` for a loopback host (`localhost`, `127.0.0.0/8`, `::1`),
/// where nothing travels over a network, and to `require` for any other host, so a password never
/// crosses a network in the clear unless the operator says so. `verify-full` also checks the
/// certificate chain and host name (against `database.ca_file` when set, else the system's roots).
public enum DatabaseSettings: Sendable, Equatable {
    /// The embedded default: one SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL server, for several processes on one database.
    case postgres(PostgresStore.Endpoint)

    static let urlForms = "sqlite:PATH, postgres://USER@HOST[:PORT]/DATABASE or postgresql://USER@HOST[:PORT]/DATABASE"

    /// Reads the database keys; `value` gives a key's configured value or its default ("" when none).
    init(url: String, password: String, tls: String, caFile: String) throws(InputError) {
        let text = url.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw InputError(place: "database.url", problem: "the SQLite path is empty", fix: "e.g. sqlite:data/overstap.sqlite")
            }
            self = .sqlite(path: path)
            return
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else {
            throw InputError(place: "database.url", problem: "'\(Self.redacted(text))' is not a database URL", fix: "use \(Self.urlForms)")
        }
        self = .postgres(try Self.endpoint(text, password: password, tls: tls, caFile: caFile))
    }

    private static func endpoint(_ text: String, password: String, tls tlsText: String, caFile: String) throws(InputError) -> PostgresStore.Endpoint {
        let rest = String(text[text.range(of: "://")!.upperBound...])
        guard let at = rest.lastIndex(of: "@") else {
            throw InputError(place: "database.url", problem: "'\(text)' names no user", fix: "use \(urlForms)")
        }
        let userInfo = rest[..<at]
        guard !userInfo.contains(":") else {
            throw InputError(
                place: "database.url", problem: "holds a password, which would show in process lists and logs",
                fix: "remove it from the URL and set database.password or OVERSTAP_DATABASE_PASSWORD instead")
        }
        let afterUser = rest[rest.index(after: at)...]
        guard !afterUser.contains("?"), !afterUser.contains("#") else {
            throw InputError(
                place: "database.url", problem: "'\(text)' has parameters after the database name",
                fix: "set TLS with database.tls and database.ca_file; the URL takes only \(urlForms)")
        }
        guard let slash = afterUser.firstIndex(of: "/") else {
            throw InputError(place: "database.url", problem: "'\(text)' names no database", fix: "use \(urlForms)")
        }
        let hostPort = afterUser[..<slash]
        let database = String(afterUser[afterUser.index(after: slash)...]).removingPercentEncoding ?? ""
        let user = String(userInfo).removingPercentEncoding ?? ""
        guard !user.isEmpty else { throw InputError(place: "database.url", problem: "'\(text)' names no user", fix: "use \(urlForms)") }
        guard !database.isEmpty, !database.contains("/") else {
            throw InputError(place: "database.url", problem: "'\(text)' names no database", fix: "use \(urlForms)")
        }
        let host: String
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw InputError(place: "database.url", problem: "'\(text)' has an unclosed [ in its host", fix: "e.g. postgres://overstap@[::1]:5432/overstap")
            }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw InputError(place: "database.url", problem: "'\(text)' has text after its host", fix: "use \(urlForms)")
            }
        } else if let colon = hostPort.firstIndex(of: ":") {
            host = String(hostPort[..<colon])
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = String(hostPort)
        }
        guard !host.isEmpty else { throw InputError(place: "database.url", problem: "'\(text)' names no host", fix: "use \(urlForms)") }
        var port = 5432
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number) else {
                throw InputError(place: "database.url", problem: "'\(portText)' is not a port number (1 to 65535)", fix: "e.g. postgres://overstap@db.example.org:5432/overstap")
            }
            port = number
        }
        let ca = caFile.trimmingCharacters(in: .whitespaces)
        let tls: PostgresStore.TLSMode
        switch tlsText.trimmingCharacters(in: .whitespaces).lowercased() {
        case "": tls = isLoopback(host) ? .disable : .require
        case "disable": tls = .disable
        case "require": tls = .require
        case "verify-full": tls = .verifyFull(caFile: ca.isEmpty ? nil : ca)
        default:
            throw InputError(place: "database.tls", problem: "'\(tlsText)' is not a TLS mode", fix: "use disable, require or verify-full")
        }
        if !ca.isEmpty, tls != .verifyFull(caFile: ca) {
            throw InputError(
                place: "database.ca_file", problem: "is only used with database.tls verify-full",
                fix: "set database.tls to verify-full to check the server's certificate, or remove database.ca_file")
        }
        return PostgresStore.Endpoint(
            host: host, port: port, username: user, database: database, password: password.isEmpty ? nil : password, tls: tls)
    }

    /// Whether a host name or address stays on this machine.
    static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        return lower == "localhost" || lower == "::1" || lower.hasPrefix("127.")
    }

    /// A URL as it may be shown: a password between `USER:` and `@` is dropped.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text.lastIndex(of: "@"), at > scheme.upperBound,
            let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<text.index(after: colon)]) + "…" + String(text[at...])
    }

    /// Where the data lives, for messages: the SQLite path, or `host:port/database`.
    public var place: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let endpoint): endpoint.place
        }
    }

    /// `sqlite` or `postgresql`.
    public var backend: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }
}
