import Foundation

/// Delivers each message as one `.eml` file in a folder, written atomically (a temporary file
/// renamed into place), so a reader never sees half a message. The default on a fresh machine.
/// Messages carry personal data: the folder is created 0700 and each file 0600, whatever the umask.
public struct FileTransport: MailTransport {
    /// The folder the files go to; created when missing.
    public let directory: String

    /// Creates a transport writing into `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// The file a message is (or would be) delivered to; the same for every retry.
    public func path(of messageID: String) -> String {
        let name = String(messageID.unicodeScalars.map { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "@.-_".unicodeScalars.contains(scalar)) ? Character(scalar) : "_"
        })
        return (directory as NSString).appendingPathComponent("\(name).eml")
    }

    public func send(_ message: OutgoingMessage) async throws(MailTransportError) -> DeliveryOutcome {
        let target = path(of: message.messageID)
        let temporary = (directory as NSString).appendingPathComponent(".\(UUID().uuidString).tmp")
        let bytes = Array("Return-Path: <\(message.envelopeSender)>\r\n".utf8) + message.data
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try writeForOwnerOnly(bytes, to: temporary)
            if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
            try FileManager.default.moveItem(atPath: temporary, toPath: target)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw MailTransportError(reason: "cannot write mail into \(directory): check that the folder exists and may be written")
        }
        return .delivered(nil)
    }

    public func close() async {}

    /// Makes the folder and every message file in it private to their owner, for folders an
    /// older version wrote with the umask's modes. Only a folder open to others is scanned (and
    /// closed last), so every later start costs one `stat`; a missing folder is left alone.
    public func restrictToOwner() throws {
        let files = FileManager.default
        guard let mode = try? files.attributesOfItem(atPath: directory)[.posixPermissions] as? Int, mode & 0o077 != 0 else { return }
        for name in try files.contentsOfDirectory(atPath: directory) where name.hasSuffix(".eml") {
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: (directory as NSString).appendingPathComponent(name))
        }
        try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
    }

    private func writeForOwnerOnly(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission) }
        defer { _ = Foundation.close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw CocoaError(.fileWriteUnknown) }
            written += count
        }
    }
}
