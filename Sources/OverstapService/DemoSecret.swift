import Crypto
import Foundation
import OverstapCore

#if canImport(Glibc)
import Glibc
#endif

/// The key that signs answer links in demo mode (`--demo`): generated once into the database's
/// folder (`data/demo-rsvp.secret`, readable by its owner only) and reused by every later `--demo`
/// run, so the links `outbox send --demo` writes keep working in the daemon `serve --demo` starts.
public enum DemoSecret {
    /// The file name inside the database's folder.
    public static let fileName = "demo-rsvp.secret"

    /// Where the demo key lives for these settings: next to the SQLite database.
    public static func path(for settings: OverstapSettings) throws(InputError) -> String {
        URL(fileURLWithPath: settings.dataFolder).appendingPathComponent(fileName).path
    }

    /// The demo key, generated (256 random bits, mode 0600) when the file does not exist yet.
    public static func loadOrCreate(for settings: OverstapSettings) throws(InputError) -> String {
        let path = try path(for: settings)
        if let existing = try? String(contentsOfFile: path, encoding: .utf8) {
            let key = existing.trimmingCharacters(in: .whitespacesAndNewlines)
            guard key.utf8.count >= 32 else {
                throw InputError(place: path, problem: "holds no usable demo key", fix: "delete the file; the next --demo run makes a new one")
            }
            return key
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw InputError(place: folder, problem: "cannot be created", fix: "check database.url and the folder's permissions")
        }
        var generator = SystemRandomNumberGenerator()
        let key = Base64URL.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        // Written whole to a file of our own (0600 from the start, whatever the umask), then linked
        // into place: link() fails if another demo run got there first, and then its key counts.
        let temporary = "\(path).\(getpid()).tmp"
        defer { unlink(temporary) }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            throw InputError(place: path, problem: "cannot be written", fix: "check the folder's permissions")
        }
        let line = Array((key + "\n").utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let flushed = fsync(descriptor) == 0
        close(descriptor)
        guard written == line.count, flushed else {
            throw InputError(place: path, problem: "could not be written completely", fix: "check the free disk space")
        }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { return try loadOrCreate(for: settings) }
            throw InputError(place: path, problem: "cannot be written", fix: "check the folder's permissions")
        }
        return key
    }

    /// The demo school's feed token, derived from the demo key, so `overstap demo` can show the
    /// same feed address on every run while the database keeps only its hash.
    static func feedToken(partner slug: String, demoKey: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("overstap-demo-feed-v1:\(slug)".utf8), using: SymmetricKey(data: Data(demoKey.utf8)))
        return Base64URL.encode(Data(code))
    }
}

extension OverstapSettings {
    /// These settings for `--demo`: a configured `rsvp.secret` is kept; without one, answer links
    /// are signed with the demo key of `DemoSecret`.
    public func withDemoSecret() throws(InputError) -> OverstapSettings {
        guard rsvpSecret == nil else { return self }
        var settings = self
        settings.rsvpSecret = try DemoSecret.loadOrCreate(for: self)
        return settings
    }

    /// Refuses when answer links cannot be made: no `rsvp.secret`, or no address to put in them.
    /// `demoHint` names the command's `--demo` form for the fix.
    public func requireAnswerLinks(demoHint: String) throws(InputError) {
        guard rsvpSecret != nil else {
            throw InputError(
                place: "rsvp.secret", problem: "is not set, so answer links cannot be signed",
                fix: "set OVERSTAP_RSVP_SECRET to a long random value (openssl rand -base64 48), or try the demo with: \(demoHint)")
        }
        _ = try publicURL()
    }
}
