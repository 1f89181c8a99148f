import Foundation

/// Delivers each message as one `.eml` file in a folder, written atomically (a temporary file
/// renamed into place), so a reader never sees half a message. The default on a fresh machine.
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
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
            try FileManager.default.moveItem(atPath: temporary, toPath: target)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw MailTransportError(reason: "cannot write mail into \(directory): check that the folder exists and may be written")
        }
        return .delivered(nil)
    }

    public func close() async {}
}
