import ArgumentParser
import Foundation
import OverstapHTTP

/// Runs the fast path's request framing and SwiftNIO's HTTP/1 decoder side by side on seeded
/// generated requests; exits 1 when they disagree on any.
@main
struct FramingDifferentialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "framing-differential",
        abstract: "Compare the fast path's framing with SwiftNIO's HTTPRequestDecoder on generated requests.")
    @Option(help: "Number of generated inputs.") var count = 1_000_000
    @Option(help: "Random seed.") var seed: UInt64 = 18
    @Option(help: "Disagreements to print.") var show = 10

    func run() throws {
        let started = ContinuousClock.now
        let summary = FramingDifferential.run(seed: seed, count: count)
        let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18 + Double((ContinuousClock.now - started).components.seconds)
        for disagreement in summary.disagreements.prefix(show) { print(disagreement) }
        print(
            "\(summary.inputs) inputs (seed \(seed)) in \(String(format: "%.1f", seconds)) s: \(summary.framed) requests framed by the fast path "
                + "(\(summary.answerable) it may answer itself), \(summary.handedOn) inputs handed on unframed, \(summary.refused) refused "
                + "by the decoder path; \(summary.disagreements.count) disagreements")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.operatingSystemVersionString)")
        if !summary.disagreements.isEmpty { throw ExitCode(1) }
    }
}
