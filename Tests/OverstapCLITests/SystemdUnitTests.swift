import Foundation
import OverstapTestSupport
import Testing

/// The example systemd unit is what municipal IT installs: it must load, and it must keep the
/// daemon's files private and the rest of the system out of its reach.
struct SystemdUnitTests {
    static let unit = "\(Repository.configFolder)/overstap.service"

    func settings() throws -> [String: String] {
        let lines = try String(contentsOfFile: Self.unit, encoding: .utf8).split(separator: "\n")
        var settings: [String: String] = [:]
        for line in lines where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { settings[String(parts[0])] = String(parts[1]) }
        }
        return settings
    }

    @Test func theUnitKeepsFilesPrivateAndTheSystemReadOnly() throws {
        let unit = try settings()
        #expect(unit["UMask"] == "0077")
        #expect(unit["NoNewPrivileges"] == "true")
        #expect(unit["ProtectSystem"] == "strict")
        #expect(unit["PrivateTmp"] == "true")
        #expect(unit["ReadWritePaths"] == "/var/lib/overstap")
        #expect(unit["WorkingDirectory"] == "/var/lib/overstap", "the default sqlite:data/… lands in the writable folder")
        #expect(unit["CapabilityBoundingSet"] == "")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
    func theUnitVerifies() throws {
        let directory = TemporaryDirectory()
        // verify checks that ExecStart exists; the test machine has no installed overstap.
        let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
            .replacingOccurrences(of: "ExecStart=/usr/local/bin/overstap", with: "ExecStart=/bin/true")
        let copy = try directory.write("overstap.service", text)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        process.arguments = ["verify", copy]
        let output = Pipe()
        // systemd reports unknown or misspelt keys on standard error and still exits 0.
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(report)")
        #expect(!report.contains("Unknown key"), "\(report)")
        #expect(!report.contains("Failed to parse"), "\(report)")
    }
}
